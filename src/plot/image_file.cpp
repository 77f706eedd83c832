// The files dense::plot writes pictures to (see dense/plot/image_file.hpp).
#include "dense/plot/image_file.hpp"

#include "picture.hpp"

namespace dense::plot {

void check_image_path(const std::filesystem::path& path) { image_format_of(path); }

}  // namespace dense::plot
