#pragma once
// Decompressing gzip data from memory piece by piece (zlib), so a reader can check a header
// before it asks for, and allocates, the rest.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <zlib.h>

namespace dense::io {

// True when the bytes start with the gzip magic number 1f 8b.
bool is_gzip(std::span<const std::byte> bytes) noexcept;

class GzipStream {
public:
    // Deflate cannot expand data more than 1032 times: a bound on what `compressed` can yield.
    static constexpr std::size_t max_expansion = 1032;

    GzipStream(std::span<const std::byte> compressed, std::string source);
    ~GzipStream();
    GzipStream(const GzipStream&) = delete;
    GzipStream& operator=(const GzipStream&) = delete;

    // Appends up to `count` decompressed bytes to `out`; fewer only when the data ends.
    // Memory grows with the bytes actually produced, never with `count` alone.
    std::size_t read(std::vector<std::byte>& out, std::size_t count);

private:
    void feed_input() noexcept;
    // Runs inflate once; false when the compressed data has ended.
    bool inflate_step();

    z_stream stream_{};
    std::span<const std::byte> remaining_;
    std::string source_;
    bool ended_ = false;
};

}  // namespace dense::io
