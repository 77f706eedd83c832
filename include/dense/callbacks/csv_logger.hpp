#pragma once
// CSVLogger (Keras): one row per epoch — "epoch" then every log key in sorted order.
#include <fstream>
#include <string>
#include <vector>

#include "dense/callback.hpp"

namespace dense {

template <class T>
class BasicCSVLogger final : public BasicCallback<T> {
public:
    explicit BasicCSVLogger(std::string path, char separator = ',', bool append = false);
    void on_train_begin(BasicSequential<T>& model) override;
    void on_epoch_end(BasicSequential<T>& model, int epoch, const Logs& logs) override;
    void on_train_end(BasicSequential<T>& model) override;

private:
    void check_written();

    std::string path_;
    char separator_;
    bool append_;
    bool write_header_ = true;  // false when appending to a file that already has one
    std::ofstream out_;
    std::vector<std::string> keys_;
};

using CSVLogger = BasicCSVLogger<float>;

}  // namespace dense
