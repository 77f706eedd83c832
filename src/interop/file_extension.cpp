#include "dense/interop/file_extension.hpp"

#include <algorithm>
#include <string>

namespace dense::interop {

bool has_extension(const std::filesystem::path& path, std::string_view extension) {
    const std::string name = path.string();
    if (name.size() < extension.size()) return false;
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return std::ranges::equal(std::string_view(name).substr(name.size() - extension.size()), extension, {}, lower, lower);
}

}  // namespace dense::interop
