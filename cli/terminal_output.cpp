// The filter behind escape_control_characters_on_terminals (see terminal_output.hpp).
#include "terminal_output.hpp"

#include <unistd.h>

#include <iostream>
#include <streambuf>
#include <string_view>

#include "dense/printable.hpp"

namespace dense::cli {
namespace {

bool passes(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte >= 0x20 && byte != 0x7F) || c == '\n' || c == '\t' || c == '\r';
}

// Hands everything to the stream buffer it wraps, control characters as their escapes.
class EscapingBuffer : public std::streambuf {
public:
    explicit EscapingBuffer(std::streambuf* target) : target_(target) {}

protected:
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        const char byte = traits_type::to_char_type(c);
        return put(std::string_view(&byte, 1)) ? c : traits_type::eof();
    }
    std::streamsize xsputn(const char* text, std::streamsize count) override {
        return put(std::string_view(text, static_cast<std::size_t>(count))) ? count : 0;
    }
    int sync() override { return target_->pubsync(); }

private:
    bool put(std::string_view text) {
        while (!text.empty()) {
            std::size_t run = 0;
            while (run < text.size() && passes(text[run])) ++run;
            if (target_->sputn(text.data(), static_cast<std::streamsize>(run)) != static_cast<std::streamsize>(run))
                return false;
            if (run == text.size()) return true;
            const auto escaped = printable(text.substr(run, 1));
            if (target_->sputn(escaped.data(), static_cast<std::streamsize>(escaped.size())) !=
                static_cast<std::streamsize>(escaped.size()))
                return false;
            text.remove_prefix(run + 1);
        }
        return true;
    }

    std::streambuf* target_;
};

void filter_if_terminal(std::ostream& stream, int fd) {
    // Never deleted: the standard streams flush through it until the process ends.
    if (::isatty(fd)) stream.rdbuf(new EscapingBuffer(stream.rdbuf()));
}

}  // namespace

void escape_control_characters_on_terminals() {
    filter_if_terminal(std::cout, STDOUT_FILENO);
    filter_if_terminal(std::cerr, STDERR_FILENO);
}

}  // namespace dense::cli
