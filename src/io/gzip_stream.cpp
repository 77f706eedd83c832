#include "gzip_stream.hpp"

#include <algorithm>
#include <limits>

#include "dense/error.hpp"

namespace dense::io {

bool is_gzip(std::span<const std::byte> bytes) noexcept {
    return bytes.size() >= 2 && bytes[0] == std::byte{0x1f} && bytes[1] == std::byte{0x8b};
}

GzipStream::GzipStream(std::span<const std::byte> compressed, std::string source)
    : remaining_(compressed), source_(std::move(source)) {
    // windowBits 15 + 16: a gzip wrapper around a deflate stream with a 32 KiB window.
    if (inflateInit2(&stream_, 15 + 16) != Z_OK) throw Error(source_ + ": zlib could not start decompressing (out of memory?)");
}

GzipStream::~GzipStream() { inflateEnd(&stream_); }

// zlib counts input in uInt: hand it at most that much at a time.
void GzipStream::feed_input() noexcept {
    if (stream_.avail_in != 0 || remaining_.empty()) return;
    const std::size_t piece = std::min<std::size_t>(remaining_.size(), std::numeric_limits<uInt>::max());
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(remaining_.data()));
    stream_.avail_in = static_cast<uInt>(piece);
    remaining_ = remaining_.subspan(piece);
}

bool GzipStream::inflate_step() {
    feed_input();
    const int status = inflate(&stream_, Z_NO_FLUSH);
    if (status == Z_STREAM_END) {
        feed_input();
        if (stream_.avail_in == 0) return false;
        // Another gzip member follows (files made by `cat a.gz b.gz`).
        if (inflateReset(&stream_) != Z_OK) throw Error(source_ + ": zlib could not restart decompressing");
        return true;
    }
    if (status == Z_OK) return true;
    if (status == Z_BUF_ERROR && stream_.avail_in == 0)
        throw DataError(source_ + ": the gzip data ends early; the file is truncated, download or copy it again");
    const std::string detail = stream_.msg != nullptr ? stream_.msg : "error " + std::to_string(status);
    throw DataError(source_ + ": the gzip data is corrupted (" + detail + "); download or copy the file again");
}

std::size_t GzipStream::read(std::vector<std::byte>& out, std::size_t count) {
    constexpr std::size_t piece = std::size_t{1} << 20;
    const std::size_t start = out.size();
    std::size_t produced = 0;
    while (produced < count && !ended_) {
        const std::size_t want = std::min({count - produced, piece, std::size_t{std::numeric_limits<uInt>::max()}});
        out.resize(start + produced + want);
        stream_.next_out = reinterpret_cast<Bytef*>(out.data() + start + produced);
        stream_.avail_out = static_cast<uInt>(want);
        ended_ = !inflate_step();
        produced += want - stream_.avail_out;
    }
    out.resize(start + produced);
    return produced;
}

}  // namespace dense::io
