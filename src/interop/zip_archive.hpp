#pragma once
// The .keras container: a zip archive read and written whole, in memory, through libzip.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dense::interop {

// Every entry of the archive at `path`, by name.
std::map<std::string, std::string> read_zip(const std::filesystem::path& path);
// The same from the archive's bytes; `description` names it in error messages.
std::map<std::string, std::string> read_zip_image(std::string_view bytes, const std::string& description);

// An archive holding `entries` (name, contents) in that order, as bytes.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace dense::interop
