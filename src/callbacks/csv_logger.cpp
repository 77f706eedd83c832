#include "dense/callbacks/csv_logger.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "dense/error.hpp"
#include "dense/sequential.hpp"

namespace dense {

template <class T>
BasicCSVLogger<T>::BasicCSVLogger(std::string path, char separator, bool append)
    : path_(std::move(path)), separator_(separator), append_(append) {}

template <class T>
void BasicCSVLogger<T>::on_train_begin(BasicSequential<T>&) {
    std::error_code missing;
    const auto existing_size = std::filesystem::file_size(path_, missing);
    write_header_ = !(append_ && !missing && existing_size > 0);  // as Keras: one header per file
    out_.open(path_, append_ ? std::ios::app : std::ios::trunc);
    if (!out_) throw DataError("CSVLogger: cannot open '" + path_ + "' for writing; check the folder exists and is writable");
    keys_.clear();
}

template <class T>
void BasicCSVLogger<T>::on_epoch_end(BasicSequential<T>&, int epoch, const Logs& logs) {
    if (keys_.empty()) {
        for (const auto& [key, value] : logs) keys_.push_back(key);
        if (write_header_) {
            out_ << "epoch";
            for (const auto& key : keys_) out_ << separator_ << key;
            out_ << '\n';
        }
    }
    out_ << epoch;
    char number[32];
    for (const auto& key : keys_) {
        const auto found = logs.find(key);
        const double value = found == logs.end() ? 0.0 : found->second;
        std::snprintf(number, sizeof number, "%.9g", value);
        out_ << separator_ << (std::isnan(value) ? "nan" : number);  // as Keras writes it, never "-nan"
    }
    out_ << '\n';
    out_.flush();
    check_written();
}

// A full disk or a file-size limit fails the log, as any other write, instead of leaving it empty.
template <class T>
void BasicCSVLogger<T>::check_written() {
    if (!out_) throw DataError("CSVLogger: cannot write '" + path_ + "': " + std::strerror(errno) +
                               "; check the free space and the file size limit (ulimit -f)");
}

template <class T>
void BasicCSVLogger<T>::on_train_end(BasicSequential<T>&) {
    out_.close();
    check_written();
}

template class BasicCSVLogger<float>;
template class BasicCSVLogger<double>;

}  // namespace dense
