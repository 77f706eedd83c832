#pragma once
// The files dense::plot writes pictures to: .svg, .png or .pdf, told by the extension.
#include <filesystem>

namespace dense::plot {

// Throws UsageError naming `path` unless its extension is .svg, .png or .pdf (any case): what a
// command checks before long work whose end it draws.
void check_image_path(const std::filesystem::path& path);

}  // namespace dense::plot
