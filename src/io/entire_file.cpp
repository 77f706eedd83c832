#include "entire_file.hpp"

#include <array>
#include <fstream>

#include "dense/error.hpp"

namespace dense::io {
namespace {

// Appends everything `in` holds to `text`.
void read_into(std::istream& in, const std::string& source, std::string& text) {
    std::array<char, 1 << 16> chunk;
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (in.bad()) throw DataError(source + ": reading failed; check that the input is readable");
}

}  // namespace

void require_file(const std::filesystem::path& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status))
        throw DataError(path.string() + ": no such file; check the path (it must name a file, not a folder)");
    if (std::filesystem::is_directory(status))
        throw DataError(path.string() + ": is a folder; give the path of a file in it");
}

std::string read_entire_file(const std::filesystem::path& path) {
    require_file(path);
    std::error_code error;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path.string() + ": cannot open the file; check that it is readable");
    // Room for the whole file at once: a string grown as it reads holds up to twice its size.
    std::string text;
    const auto size = std::filesystem::file_size(path, error);
    if (!error) text.reserve(static_cast<std::size_t>(size));
    read_into(in, path.string(), text);
    if (text.capacity() > text.size() + text.size() / 8) text.shrink_to_fit();
    return text;
}

std::string read_entire_stream(std::istream& in, const std::string& source) {
    std::string text;
    read_into(in, source, text);
    return text;
}

}  // namespace dense::io
