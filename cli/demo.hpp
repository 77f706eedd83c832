#pragma once
// `dense demo`: the articles' worked examples, reproduced (see docs/ and the README).
#include <iosfwd>

namespace dense::cli {

// Prints the three lessons to `out`; returns the process exit status.
int run_demo(std::ostream& out);

}  // namespace dense::cli
