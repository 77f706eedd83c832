#pragma once
// Writing a file so that a reader sees the old contents or the new, never a torn mix, and a
// failure (a full disk, a file-size limit) is an error naming the file, never a silent loss.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>

namespace dense::io {

// A regular file (or a new one) is written atomically: a temporary file in the same folder,
// fsync, rename over `path`; on any failure the old file is left as it was and the temporary
// removed. The temporary is named .NAME.tmp-HOST-PID-XXXXXX; those that a process killed while
// saving left behind (its PID gone on this host) are removed by the next save of NAME.
// A FIFO or a character device (/dev/stdout, /dev/null) is written through, without rename.
// A folder, a block device or a socket is refused. Throws DataError for any failure.
void write_file_atomically(const std::filesystem::path& path, std::span<const std::byte> bytes);

// Takes the next bytes of a file being written.
using ByteSink = std::function<void(std::span<const std::byte>)>;
// The same for contents made in pieces: `produce` passes them, in order, to the sink it gets,
// so a large file never has to be whole in memory.
void write_file_atomically(const std::filesystem::path& path, const std::function<void(const ByteSink&)>& produce);

// Throws the DataError write_file_atomically would throw for a path it cannot write (a missing
// or read-only folder; a folder, a block device or a socket in its place) without writing
// anything: a command checks its outputs before long work, not after it.
void check_writable(const std::filesystem::path& path);

}  // namespace dense::io
