#pragma once
// Reading a whole file or stream into memory, with the messages every reader of dense::io gives
// for a path that is missing, a folder or unreadable.
#include <filesystem>
#include <iosfwd>
#include <string>

namespace dense::io {

// Throws DataError when `path` names nothing, or a folder, saying so. A pipe (bash's <(...), a
// FIFO) or a device passes: it is read as a file is.
void require_file(const std::filesystem::path& path);

std::string read_entire_file(const std::filesystem::path& path);
// `source` names the stream in messages ("<stdin>").
std::string read_entire_stream(std::istream& in, const std::string& source);

}  // namespace dense::io
