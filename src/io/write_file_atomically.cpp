// Atomic writes of whole files (see dense/io/write_file_atomically.hpp).
#include "dense/io/write_file_atomically.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "dense/error.hpp"
#include "dense/printable.hpp"

namespace dense::io {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t max_name_in_temporary = 100;  // keeps .NAME.tmp-HOST-PID-XXXXXX under NAME_MAX

std::string system_error(const std::string& what, const fs::path& path, int error) {
    return what + " " + in_quotes(path.string(), 200) + ": " + std::strerror(error);
}

void write_all(int fd, std::span<const std::byte> bytes, const fs::path& path) {
    while (!bytes.empty()) {
        const auto written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0)
            throw DataError(system_error("cannot write", path, written < 0 ? errno : ENOSPC) +
                            "; check the free space and the file size limit (ulimit -f)");
        bytes = bytes.subspan(static_cast<std::size_t>(written));
    }
}

// Passes what it is given to the file in writes of at least 1 MiB.
class BufferedFile {
public:
    BufferedFile(int fd, const fs::path& path) : fd_(fd), path_(path) { buffer_.reserve(capacity); }
    void add(std::span<const std::byte> bytes) {
        if (buffer_.size() + bytes.size() > capacity) flush();
        if (bytes.size() >= capacity)
            write_all(fd_, bytes, path_);
        else
            buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    }
    void flush() {
        write_all(fd_, buffer_, path_);
        buffer_.clear();
    }

private:
    static constexpr std::size_t capacity = 1 << 20;
    int fd_;
    const fs::path& path_;
    std::vector<std::byte> buffer_;
};

void write_produced(int fd, const fs::path& path, const std::function<void(const ByteSink&)>& produce) {
    BufferedFile file(fd, path);
    produce([&](std::span<const std::byte> bytes) { file.add(bytes); });
    file.flush();
}

// Makes the rename itself durable; a folder that cannot be synced is not an error.
void sync_folder(const fs::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "host";
    std::string host(name);
    for (char& c : host)
        if (c == '/' || c == '-') c = '_';  // '-' separates the fields of the temporary's name
    return host.substr(0, 64);
}

// ".NAME.tmp-HOST-": every temporary of a save of NAME on this host starts so.
std::string temporary_prefix(const fs::path& path) {
    std::string name = path.filename().string();
    if (name.size() > max_name_in_temporary) {
        std::size_t end = max_name_in_temporary;
        while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
        name.resize(end);
    }
    return "." + name + ".tmp-" + host_name() + "-";
}

// The PID in "PID-XXXXXX" (what follows the prefix), or 0 when the rest is not of that form.
pid_t saver_of(std::string_view rest) {
    const auto dash = rest.find('-');
    if (dash == 0 || dash == std::string_view::npos || rest.size() - dash - 1 != 6) return 0;
    pid_t pid = 0;
    for (char c : rest.substr(0, dash)) {
        if (c < '0' || c > '9' || pid > 100'000'000) return 0;
        pid = pid * 10 + (c - '0');
    }
    return pid;
}

// Temporaries that a save killed midway left: their process is gone from this host.
void remove_stale_temporaries(const fs::path& folder, const std::string& prefix) {
    std::error_code error;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(prefix)) continue;
        const pid_t pid = saver_of(std::string_view(name).substr(prefix.size()));
        if (pid <= 0 || pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
        std::error_code ignored;
        fs::remove(it->path(), ignored);
    }
}

// A FIFO or character device takes the bytes as they come: no temporary, no rename.
void write_through(const fs::path& path, const std::function<void(const ByteSink&)>& produce) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw DataError(system_error("cannot open", path, errno));
    try {
        write_produced(fd, path, produce);
    } catch (...) {
        ::close(fd);
        throw;
    }
    if (::close(fd) != 0) throw DataError(system_error("cannot finish writing", path, errno));
}

// What a path that exists but is not a regular file is, for the message refusing it.
const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

fs::path folder_of(const fs::path& path) { return path.has_parent_path() ? path.parent_path() : fs::path("."); }

std::string no_temporary_file(const fs::path& folder, int error) {
    return system_error("cannot create a temporary file in", folder, error) +
           "; check that the folder exists and is writable";
}

std::string not_a_regular_file(const fs::path& path, mode_t mode) {
    return in_quotes(path.string(), 200) + " is " + kind_of(mode) + "; pass the path of a regular file to write";
}

void write_by_rename(const fs::path& path, const std::function<void(const ByteSink&)>& produce) {
    const auto folder = folder_of(path);
    const auto prefix = temporary_prefix(path);
    remove_stale_temporaries(folder, prefix);
    std::string temporary = (folder / (prefix + std::to_string(::getpid()) + "-XXXXXX")).string();
    const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
    if (fd < 0) throw DataError(no_temporary_file(folder, errno));
    try {
        write_produced(fd, path, produce);
        if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) throw DataError(system_error("cannot flush", path, errno));
    } catch (...) {
        ::close(fd);
        ::unlink(temporary.c_str());
        throw;
    }
    if (::close(fd) != 0) {
        const std::string message = system_error("cannot finish writing", path, errno);
        ::unlink(temporary.c_str());
        throw DataError(message);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string message = system_error("cannot replace", path, errno);
        ::unlink(temporary.c_str());
        throw DataError(message);
    }
    sync_folder(folder);
}

}  // namespace

void write_file_atomically(const fs::path& path, std::span<const std::byte> bytes) {
    write_file_atomically(path, [&](const ByteSink& sink) { sink(bytes); });
}

void write_file_atomically(const fs::path& path, const std::function<void(const ByteSink&)>& produce) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0 || S_ISREG(status.st_mode)) return write_by_rename(path, produce);
    if (S_ISFIFO(status.st_mode) || S_ISCHR(status.st_mode)) return write_through(path, produce);
    throw DataError(not_a_regular_file(path, status.st_mode));
}

void check_writable(const fs::path& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) == 0) {
        if (S_ISFIFO(status.st_mode) || S_ISCHR(status.st_mode)) return;
        if (!S_ISREG(status.st_mode))
            throw DataError(not_a_regular_file(path, status.st_mode));
    }
    const auto folder = folder_of(path);
    if (::access(folder.c_str(), W_OK | X_OK) != 0) throw DataError(no_temporary_file(folder, errno));
}

}  // namespace dense::io
