#include "entire_file.hpp"

#include <array>
#include <fstream>

#include "dense/error.hpp"

namespace dense::io {

std::string read_entire_file(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw DataError(path.string() + ": no such file; check the path (it must name a file, not a folder)");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path.string() + ": cannot open the file; check that it is readable");
    return read_entire_stream(in, path.string());
}

std::string read_entire_stream(std::istream& in, const std::string& source) {
    std::string text;
    std::array<char, 1 << 16> chunk;
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (in.bad()) throw DataError(source + ": reading failed; check that the input is readable");
    return text;
}

}  // namespace dense::io
