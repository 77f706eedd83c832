#include "interop/zip_archive.hpp"

#include <cstdint>
#include <memory>

#include <zip.h>

#include "dense/error.hpp"
#include "io/entire_file.hpp"

namespace dense::interop {

namespace {

struct ArchiveCloser {
    void operator()(zip_t* archive) const { zip_discard(archive); }
};
using Archive = std::unique_ptr<zip_t, ArchiveCloser>;

struct FileCloser {
    void operator()(zip_file_t* file) const { zip_fclose(file); }
};

// A zip entry's declared size is believed only as far as its compressed bytes can hold it:
// deflate's largest ratio is 1032:1, and a stored entry is its own size. The compressed bytes
// are declared too, and cannot be more than the whole archive.
void check_declared_size(const zip_stat_t& stat, std::uint64_t archive_bytes, const std::string& where) {
    constexpr zip_uint64_t kLargestCompressionRatio = 1032;
    if (!(stat.valid & ZIP_STAT_SIZE) || !(stat.valid & ZIP_STAT_COMP_SIZE))
        throw DataError(where + ": the zip entry does not say its size");
    if (stat.comp_size > archive_bytes)
        throw DataError(where + ": the zip entry declares " + std::to_string(stat.comp_size) +
                        " compressed bytes but the archive holds only " + std::to_string(archive_bytes) +
                        "; the archive is corrupt");
    const bool stored = (stat.valid & ZIP_STAT_COMP_METHOD) && stat.comp_method == ZIP_CM_STORE;
    const zip_uint64_t most = stored ? stat.comp_size : stat.comp_size * kLargestCompressionRatio + 64;
    if (stat.size > most)
        throw DataError(where + ": the zip entry declares " + std::to_string(stat.size) + " bytes but compresses only " +
                        std::to_string(stat.comp_size) + "; the archive is corrupt");
}

std::string read_entry(zip_t* archive, zip_uint64_t index, std::uint64_t archive_bytes, const std::string& where) {
    zip_stat_t stat;
    if (zip_stat_index(archive, index, 0, &stat) != 0) throw DataError(where + ": unreadable zip entry");
    check_declared_size(stat, archive_bytes, where);
    std::unique_ptr<zip_file_t, FileCloser> file(zip_fopen_index(archive, index, 0));
    if (!file) throw DataError(where + ": cannot open zip entry: " + zip_strerror(archive));
    std::string contents(static_cast<std::size_t>(stat.size), '\0');
    if (zip_fread(file.get(), contents.data(), stat.size) != static_cast<zip_int64_t>(stat.size))
        throw DataError(where + ": truncated or corrupt zip entry");
    return contents;
}

[[noreturn]] void refuse_archive(zip_error_t* details, const std::string& description) {
    const std::string message = description + ": not a readable zip archive (" + zip_error_strerror(details) +
                                "); a .keras file is the zip that Keras 3's model.save writes";
    zip_error_fini(details);
    throw DataError(message);
}

std::map<std::string, std::string> read_entries(zip_t* archive, std::uint64_t archive_bytes, const std::string& description) {
    std::map<std::string, std::string> entries;
    const auto count = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* name = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
        if (!name) throw DataError(description + ": zip entry " + std::to_string(i) + " has no readable name");
        entries[name] = read_entry(archive, static_cast<zip_uint64_t>(i), archive_bytes, description + "!" + name);
    }
    return entries;
}

}  // namespace

std::map<std::string, std::string> read_zip(const std::filesystem::path& path) {
    io::require_file(path);
    int error = 0;
    Archive archive(zip_open(path.c_str(), ZIP_RDONLY, &error));
    if (!archive) {
        zip_error_t details;
        zip_error_init_with_code(&details, error);
        refuse_archive(&details, path.string());
    }
    return read_entries(archive.get(), std::filesystem::file_size(path), path.string());
}

std::map<std::string, std::string> read_zip_image(std::string_view bytes, const std::string& description) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    zip_t* raw = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
    if (!raw) {
        if (source) zip_source_free(source);
        refuse_archive(&error, description);
    }
    zip_error_fini(&error);
    Archive archive(raw);
    return read_entries(archive.get(), bytes.size(), description);
}

std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_t* raw = buffer ? zip_open_from_source(buffer, ZIP_TRUNCATE, &error) : nullptr;
    if (!raw) {
        if (buffer) zip_source_free(buffer);
        throw Error(std::string("cannot create a zip archive in memory: ") + zip_error_strerror(&error));
    }
    Archive archive(raw);
    // The buffer must outlive zip_close, which writes the archive into it.
    zip_source_keep(buffer);
    for (const auto& [name, contents] : entries) {
        zip_source_t* source = zip_source_buffer(archive.get(), contents.data(), contents.size(), 0);
        if (!source || zip_file_add(archive.get(), name.c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
            if (source) zip_source_free(source);
            zip_source_free(buffer);
            throw Error("cannot add " + name + " to a zip archive: " + zip_strerror(archive.get()));
        }
    }
    if (zip_close(archive.get()) != 0) {
        zip_source_free(buffer);
        throw Error(std::string("cannot write a zip archive: ") + zip_strerror(archive.get()));
    }
    archive.release();
    std::string bytes;
    zip_stat_t stat;
    zip_source_stat(buffer, &stat);
    bytes.resize(static_cast<std::size_t>(stat.size));
    zip_source_open(buffer);
    zip_source_read(buffer, bytes.data(), stat.size);
    zip_source_close(buffer);
    zip_source_free(buffer);
    return bytes;
}

}  // namespace dense::interop
