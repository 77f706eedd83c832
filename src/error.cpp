// Messages of dense::Error made printable (see dense/error.hpp).
#include "dense/error.hpp"

#include <string_view>

#include "dense/printable.hpp"

namespace dense {
namespace {

constexpr std::size_t head_bytes = 3072;
constexpr std::size_t tail_bytes = 1024;

// The start of the message (with its length), then its end from a character's first byte.
std::string one_printable_line(std::string_view message) {
    if (message.size() <= head_bytes + tail_bytes) return printable(message, message.size());
    std::size_t tail_start = message.size() - tail_bytes;
    while (tail_start < message.size() && (static_cast<unsigned char>(message[tail_start]) & 0xC0) == 0x80) ++tail_start;
    return printable(message, head_bytes) + " …" + printable(message.substr(tail_start), tail_bytes);
}

}  // namespace

Error::Error(const std::string& message) : std::runtime_error(one_printable_line(message)) {}

}  // namespace dense
