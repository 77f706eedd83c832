// Fuzzes the IDX reader (plain and gzip) and the image and label loaders: any input must either
// parse or throw dense::Error; a crash, a leak, a sanitizer report, an allocation beyond
// libFuzzer's limit or any other exception is a finding.
#include <cstddef>
#include <cstdint>
#include <span>

#include "dense/error.hpp"
#include "dense/io/idx.hpp"

namespace {

template <class Step>
void allowing_data_errors(Step step) {
    try {
        step();
    } catch (const dense::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    allowing_data_errors([&] {
        const dense::io::IdxArray array = dense::io::parse_idx(bytes, "fuzz.idx");
        for (std::size_t i = 0; i < array.size(); ++i) (void)array.value(i);
        allowing_data_errors([&] { (void)dense::io::idx_images(array, "fuzz.idx"); });
        allowing_data_errors([&] { (void)dense::io::idx_labels(array, "fuzz.idx"); });
    });
    return 0;
}
