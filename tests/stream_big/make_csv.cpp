// Writes a CSV file of at least BYTES bytes for the streaming test: eight numeric features, a
// text feature of four categories and a two-class target y, from a seeded generator, so every
// file of the same seed holds the same rows (a smaller one holds the first rows of a larger).
//   y = yes when x1 − x2 + 0.5·x3·x4 + shift(category) > 0, with 5 % of the labels flipped.
// Usage: make_csv OUT BYTES SEED
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "dense/random.hpp"

namespace {

// One row's text, values with six decimals.
void append_row(std::string& text, dense::Rng& rng) {
    static constexpr const char* categories[] = {"north", "south", "east", "west"};
    static constexpr double shifts[] = {0.4, -0.4, 0.1, -0.1};
    double x[8];
    for (double& v : x) v = rng.uniform(-1.0, 1.0);
    const auto category = rng.below(4);
    const bool yes = (x[0] - x[1] + 0.5 * x[2] * x[3] + shifts[category] > 0) != (rng.uniform() < 0.05);
    char number[32];
    for (double v : x) {
        const auto end = std::to_chars(number, number + sizeof number, v, std::chars_format::fixed, 6).ptr;
        text.append(number, end);
        text.push_back(',');
    }
    text.append(categories[category]);
    text.append(yes ? ",yes\n" : ",no\n");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: make_csv OUT BYTES SEED\n");
        return 2;
    }
    std::FILE* out = std::fopen(argv[1], "wb");
    if (!out) {
        std::perror(argv[1]);
        return 1;
    }
    const unsigned long long bytes = std::strtoull(argv[2], nullptr, 10);
    dense::Rng rng(std::strtoull(argv[3], nullptr, 10));
    std::string text = "x1,x2,x3,x4,x5,x6,x7,x8,region,y\n";
    unsigned long long written = 0;
    while (written < bytes) {
        while (text.size() < (1u << 20)) append_row(text, rng);
        if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) {
            std::perror(argv[1]);
            return 1;
        }
        written += text.size();
        text.clear();
    }
    return std::fclose(out) == 0 ? 0 : 1;
}
