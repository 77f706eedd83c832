// Streaming a CSV file in chunks: the index and its chunks read again give the cells and lines of
// the file read whole; the streamed preprocessing is fit_preprocessing's on the same training
// rows; CsvStream gives every row of its side of the split once an epoch, reproducibly, and a
// chunk of plain numbers read straight from its text the same floats as through its cells.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "dense/error.hpp"
#include "dense/io/csv_stream.hpp"
#include "dense/io/stream_preprocessing.hpp"
#include "io/plain_chunk.hpp"

namespace dense::io {
namespace {

std::string write_file(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::path(testing::TempDir()) / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

// "line:cell" of every cell, column by column.
std::vector<std::vector<std::string>> cells_of(const CsvTable& table) {
    std::vector<std::vector<std::string>> cells(table.columns.size());
    for (std::size_t c = 0; c < table.columns.size(); ++c)
        for (std::size_t r = 0; r < table.rows(); ++r)
            cells[c].push_back(std::to_string(table.columns[c].line(r)) + ":" + std::string(table.columns[c].cell(r)));
    return cells;
}

void append_cells(std::vector<std::vector<std::string>>& all, const CsvTable& table) {
    const auto cells = cells_of(table);
    all.resize(cells.size());
    for (std::size_t c = 0; c < cells.size(); ++c) all[c].insert(all[c].end(), cells[c].begin(), cells[c].end());
}

template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(CsvIndex, ChunksOfAnySizeReadAgainGiveTheCellsAndLinesOfTheWholeFile) {
    std::string text = "\xEF\xBB\xBFid,note\r\n";
    for (int r = 0; r < 50; ++r)
        text += std::to_string(r) + (r % 4 == 0 ? ",\"two\r\nlines, \"\"quoted\"\"\"\r\n" : ",plain\r\n") + (r % 9 == 0 ? "\r\n" : "");
    const auto path = write_file("dense_stream_index.csv", text);
    const auto expected = cells_of(parse_csv(text, path));
    ASSERT_EQ(expected[1][0], "2:two\r\nlines, \"quoted\"");
    for (std::size_t chunk_bytes : {1, 7, 64, 1 << 20}) {
        std::vector<std::vector<std::string>> indexed, reread;
        std::vector<std::size_t> first_rows;
        const CsvIndex index = index_csv(path, {.delimiter = 0, .chunk_bytes = chunk_bytes}, [&](const CsvTable& t, std::size_t first_row) {
            append_cells(indexed, t);
            first_rows.push_back(first_row);
        });
        EXPECT_EQ(indexed, expected) << chunk_bytes;
        EXPECT_EQ(index.rows, 50u);
        CsvChunkReader reader(index);
        std::vector<std::size_t> reread_first_rows;
        for (std::size_t k = index.chunks.size(); k-- > 0;) reader.read(index.chunks[k]);  // any order
        reader.for_each([&](const CsvTable& t, std::size_t first_row) {
            append_cells(reread, t);
            reread_first_rows.push_back(first_row);
        });
        EXPECT_EQ(reread, expected) << chunk_bytes;
        EXPECT_EQ(reread_first_rows, first_rows);
    }
    std::filesystem::remove(path);
}

TEST(CsvIndex, MalformedRowIsReportedAtItsFileLineAndField) {
    const auto path = write_file("dense_stream_bad.csv", "a,b\n1,2\n3,4\n5,\"6\n7,8\n");
    EXPECT_NE(error_of([&] { index_csv(path, {.delimiter = 0, .chunk_bytes = 4}); }).find("dense_stream_bad.csv:4:2"),
              std::string::npos);
    const auto short_row = write_file("dense_stream_short.csv", "a,b\n1,2\n3,4\n5\n");
    EXPECT_NE(error_of([&] { index_csv(short_row, {.delimiter = 0, .chunk_bytes = 4}); }).find("dense_stream_short.csv:4"),
              std::string::npos);
    EXPECT_NE(error_of([&] { index_csv("-"); }).find("standard input"), std::string::npos);
}

TEST(RowSplit, DrawsAboutTheShareAskedAndDependsOnTheSeed) {
    const RowSplit a{0.25, 1}, b{0.25, 2};
    std::size_t drawn = 0, same = 0;
    for (std::size_t r = 0; r < 100000; ++r) {
        drawn += a.validates(r) ? 1 : 0;
        same += a.validates(r) == b.validates(r) ? 1 : 0;
    }
    EXPECT_NEAR(double(drawn) / 100000, 0.25, 0.01);  // binomial sd 0.0014
    EXPECT_LT(same, 100000u * 7 / 10);                  // independent draws agree on 62.5 % of rows
    EXPECT_FALSE((RowSplit{0.0, 1}.validates(3)));
}

// fit_preprocessing on the table with the training rows of `split` first, in file order.
Preprocessing in_memory(const std::string& text, const PreprocessingOptions& options, const RowSplit& split) {
    const CsvTable table = parse_csv(text, "t.csv");
    CsvTable ordered{.source = table.source, .delimiter = table.delimiter, .columns = {}};
    std::size_t training = 0;
    for (const auto& column : table.columns) {
        CsvColumn copy(column.name(), column.number());
        for (bool validation : {false, true})
            for (std::size_t r = 0; r < table.rows(); ++r)
                if (split.validates(r) == validation) copy.append(column.cell(r), column.line(r));
        ordered.columns.push_back(std::move(copy));
    }
    for (std::size_t r = 0; r < table.rows(); ++r) training += split.validates(r) ? 0 : 1;
    PreprocessingOptions with_rows = options;
    with_rows.training_rows = training;
    return fit_preprocessing(ordered, with_rows);
}

// `name`: a file of the test's own, as ctest runs tests side by side.
Preprocessing streamed(const std::string& text, const PreprocessingOptions& options, const RowSplit& split,
                       const std::string& name = "dense_stream_fit.csv") {
    const auto path = write_file(name, text);
    auto result = fit_streamed_preprocessing(path, options, split, {.delimiter = 0, .chunk_bytes = 40}).preprocessing;
    std::filesystem::remove(path);
    return result;
}

// Rows of numbers at very different scales, a text column, missing numbers and two targets.
std::string mixed_csv(bool missing) {
    std::string text = "size,colour,weight,tiny,label,price\n";
    for (int r = 0; r < 200; ++r) {
        const double size = 0.1 * r * r - 3.7 * r + 1e-3 / (r + 1);
        text += (missing && r % 11 == 3 ? std::string("NA") : format_number(size)) + "," +
                (r % 3 == 0 ? "red" : r % 3 == 1 ? " green" : "blue") + "," + format_number(1e6 + r * 17.25) + "," +
                format_number(1e-9 * (r % 13)) + "," + std::to_string(r % 4) + "," + format_number(2.5 * r - 40) + "\n";
    }
    return text;
}

TEST(StreamedPreprocessing, EqualsFitPreprocessingOnTheSameTrainingRows) {
    for (const double share : {0.0, 0.3})
        for (const auto fill : {FillPolicy::none, FillPolicy::zero, FillPolicy::mean, FillPolicy::median})
            for (const auto& targets : std::vector<std::vector<std::string>>{{"label"}, {"price"}, {"price", "tiny"}, {"colour"}}) {
                PreprocessingOptions options;
                options.targets = targets;
                options.fill = fill;
                const std::string text = mixed_csv(fill != FillPolicy::none);
                const RowSplit split{share, 7};
                const Preprocessing expected = in_memory(text, options, split);
                EXPECT_EQ(streamed(text, options, split), expected)
                    << share << " " << int(fill) << " " << targets.front() << "\n" << to_json(expected).dump() << "\n"
                    << to_json(streamed(text, options, split)).dump();
            }
}

TEST(StreamedPreprocessing, FillsAMissingTextCellWithTheMostFrequentTrainingCategoryAsFitPreprocessingDoes) {
    // red and blue two rows in five each, nearly tied: the split decides which is commoner
    std::string text = "colour,y\n";
    for (int r = 0; r < 120; ++r) {
        const char* colour = r % 7 == 2 ? "" : r % 5 < 2 ? "red" : r % 5 < 4 ? "blue" : "green";
        text += std::string(colour) + "," + std::to_string(r) + "\n";
    }
    for (const double share : {0.0, 0.3})
        for (const auto fill : {FillPolicy::mean, FillPolicy::zero}) {
            PreprocessingOptions options;
            options.targets = {"y"};
            options.fill = fill;
            const RowSplit split{share, 5};
            const Preprocessing expected = in_memory(text, options, split);
            EXPECT_TRUE(expected.features[0].fill_category.has_value());
            EXPECT_EQ(streamed(text, options, split, "dense_stream_fill_text.csv"), expected) << share;
        }
}

TEST(StreamedPreprocessing, MakesOneClassOfAValueSpeltTwoWaysAsFitPreprocessingDoes) {
    PreprocessingOptions options;
    options.targets = {"y"};
    const std::string text = "x,y\n1,1\n2,1.0\n3,0\n4,0\n5,1\n6,0.0\n";
    const auto path = write_file("dense_stream_classes.csv", text);
    const Preprocessing fitted = fit_streamed_preprocessing(path, options, {}).preprocessing;
    std::filesystem::remove(path);
    EXPECT_EQ(fitted.classes, (std::vector<std::string>{"0", "1"}));
    EXPECT_EQ(fitted, in_memory(text, options, {}));
}

TEST(StreamedPreprocessing, ErrorsNameTheCellAsReadingTheFileWholeDoes) {
    PreprocessingOptions options;
    options.targets = {"y"};
    const std::string missing_number = "x,y\n1,2\n,3\n4,5\n";
    const std::string text_in_numbers = "x,y\n1,2\n2,3\n3,4\nabc,5\n4,6\n5,7\n";
    const std::string missing_target = "x,y\n1,2\n2,\n3,4\n";
    const std::string question_marks = "x,y\n?,2\n?,3\n?,4\n4,5\n";  // UCI's missing values
    const std::string no_values = "x,b,y\n1,,2\n2,NA,3\n3,,4\n";
    const std::string missing_category = "x,c,y\n1,red,2\n2,,3\n3,blue,4\n";
    for (const auto& text : {missing_number, text_in_numbers, missing_target, question_marks, no_values, missing_category}) {
        const auto path = write_file("dense_stream_errors.csv", text);
        const std::string whole = error_of([&] { fit_preprocessing(parse_csv(text, path), options); });
        EXPECT_NE(whole, "(no error)");
        EXPECT_EQ(error_of([&] { fit_streamed_preprocessing(path, options, {}); }), whole) << text;
        std::filesystem::remove(path);
    }
}

// A regression target of text labels is refused with the same message read whole and streamed
// (before, streaming said "fix the cell or drop the column" of the target), and with several
// targets the message asks for a classifier of its own (--task classification alone would be
// refused: classification takes one target).
TEST(StreamedPreprocessing, ARegressionTargetOfTextIsRefusedAsReadingTheFileWholeDoes) {
    const std::string text = "x,y,kind\n1,2,red\n2,3,blue\n3,4,red\n4,5,blue\n";
    const auto path = write_file("dense_stream_text_target.csv", text);
    PreprocessingOptions alone, beside_another;
    alone.targets = {"kind"};
    alone.task = Task::regression;
    beside_another.targets = {"y", "kind"};
    std::vector<std::string> messages;
    for (const auto& options : {alone, beside_another}) {
        messages.push_back(error_of([&] { fit_preprocessing(parse_csv(text, path), options); }));
        EXPECT_EQ(error_of([&] { fit_streamed_preprocessing(path, options, {}); }), messages.back());
    }
    EXPECT_NE(messages[0].find("'kind' holds text ('blue'), which regression cannot predict; pass --task classification"),
              std::string::npos) << messages[0];
    EXPECT_NE(messages[1].find("predict it as classes in a model of its own (--target kind --task classification)"),
              std::string::npos) << messages[1];
    std::filesystem::remove(path);
}

// mixed_csv cut into three shard files, each with the header.
std::vector<std::string> shard_files(const std::string& text, const std::string& name) {
    const std::size_t header_end = text.find('\n') + 1;
    const std::string header = text.substr(0, header_end);
    std::vector<std::string> paths;
    std::size_t from = header_end;
    for (int k = 0; k < 3; ++k) {
        const std::size_t to = k == 2 ? text.size() : text.find('\n', from + (text.size() - header_end) / 3) + 1;
        paths.push_back(write_file(name + std::to_string(k) + ".csv", header + text.substr(from, to - from)));
        from = to;
    }
    return paths;
}

TEST(CsvIndex, ShardFilesIndexAsOneFileWithRowsNumberedAcrossThem) {
    const std::string text = mixed_csv(true);
    const auto paths = shard_files(text, "dense_stream_shard");
    std::vector<std::vector<std::string>> cells;
    const CsvIndex index = index_csv(paths, {.delimiter = 0, .chunk_bytes = 500}, [&](const CsvTable& t, std::size_t) {
        append_cells(cells, t);
    });
    EXPECT_EQ(index.rows, 200u);
    EXPECT_EQ(index.files.size(), 3u);
    EXPECT_EQ(index.name(), paths.front() + " and 2 more files");
    EXPECT_EQ(cells[0].size(), 200u);
    // Fitted on the shards, the preprocessing is that of the whole file.
    PreprocessingOptions options;
    options.targets = {"label"};
    options.fill = FillPolicy::mean;
    const RowSplit split{0.2, 11};
    EXPECT_EQ(fit_streamed_preprocessing(paths, options, split, {.delimiter = 0, .chunk_bytes = 300}).preprocessing,
              in_memory(text, options, split));
    // A shard whose header differs is named.
    const auto other = write_file("dense_stream_shard_other.csv", "size,colour\n1,red\n");
    const std::string message = error_of([&] { index_csv(std::vector<std::string>{paths[0], other}); });
    EXPECT_NE(message.find("dense_stream_shard_other.csv: the columns"), std::string::npos) << message;
    // A bad cell in the third shard (written over it) is named at that file's line.
    write_file("dense_stream_shard2.csv", "size,colour,weight,tiny,label,price\n1,red,2,3,1,4\nx,red,2,3,1,4\n");
    const std::string bad_cell = error_of([&] { fit_streamed_preprocessing(paths, options, {}); });
    EXPECT_NE(bad_cell.find("dense_stream_shard2.csv:3:1"), std::string::npos) << bad_cell;
    for (const auto& path : paths) std::filesystem::remove(path);
    std::filesystem::remove(other);
}

// Every row of a CsvStream epoch, as text, sorted (a multiset of rows).
std::vector<std::string> rows_of_epoch(CsvStream& stream, int epoch, std::vector<std::string>* in_order = nullptr) {
    stream.start_epoch(epoch);
    std::vector<std::string> rows;
    Matrix<float> x, y;
    while (stream.next_batch(x, y))
        for (std::size_t r = 0; r < x.rows(); ++r) {
            std::string row;
            for (float v : x.row(r)) row += std::to_string(v) + " ";
            for (float v : y.row(r)) row += std::to_string(v) + " ";
            rows.push_back(row);
        }
    if (in_order) *in_order = rows;
    std::sort(rows.begin(), rows.end());
    return rows;
}

// `text` with every "\n" written "\r\n", as unix2dos writes it.
std::string with_crlf(const std::string& text) {
    std::string crlf;
    for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return crlf;
}

// The same rows with LF and with CRLF line endings are cut into chunks of the same rows, so an
// epoch gives them in the same order (and training makes the same model). Before, chunks were cut
// by bytes, and the CRLF file's held fewer rows each.
TEST(CsvStream, ChunksAndEpochsAreTheSameForLfAndCrlfLineEndings) {
    const std::string text = mixed_csv(false);
    PreprocessingOptions options;
    options.targets = {"label"};
    const RowSplit split{0.25, 3};
    const StreamOptions shuffled{.batch_size = 16, .split = split, .validation = false, .shuffle = true, .shuffle_buffer = 20, .seed = 5};
    const Loss loss("sparse_categorical_crossentropy");
    std::vector<std::vector<std::size_t>> chunk_rows;
    std::vector<std::vector<std::string>> epochs;
    for (const auto& file : {text, with_crlf(text)}) {
        const auto path = write_file("dense_stream_line_ends.csv", file);
        for (const std::size_t chunk_bytes : {97, 300}) {
            const auto fitted = fit_streamed_preprocessing(path, options, split, {.delimiter = 0, .chunk_bytes = chunk_bytes});
            chunk_rows.emplace_back();
            for (const auto& chunk : fitted.index.chunks) chunk_rows.back().push_back(chunk.rows);
            CsvStream stream(fitted.index, fitted.preprocessing, loss, shuffled);
            rows_of_epoch(stream, 1, &epochs.emplace_back());
        }
    }
    ASSERT_GT(chunk_rows[1].size(), 5u);
    EXPECT_EQ(chunk_rows[2], chunk_rows[0]);
    EXPECT_EQ(chunk_rows[3], chunk_rows[1]);
    EXPECT_EQ(epochs[2], epochs[0]);
    EXPECT_EQ(epochs[3], epochs[1]);
}

TEST(CsvStream, EachEpochGivesEveryRowOfItsSideOnceInASeededOrder) {
    const std::string text = mixed_csv(false);
    const auto path = write_file("dense_stream_rows.csv", text);
    PreprocessingOptions options;
    options.targets = {"label"};
    const RowSplit split{0.25, 3};
    auto fitted = fit_streamed_preprocessing(path, options, split, {.delimiter = 0, .chunk_bytes = 300});
    ASSERT_GT(fitted.index.chunks.size(), 5u);
    const Loss loss("sparse_categorical_crossentropy");
    // The rows in memory, encoded whole: the truth each side is compared with.
    const CsvTable table = parse_csv(text, path);
    const auto x = encode_features<float>(fitted.preprocessing, table);
    const auto y = encode_targets<float>(fitted.preprocessing, table, loss);
    std::vector<std::string> training, validation;
    for (std::size_t r = 0; r < x.rows(); ++r) {
        std::string row;
        for (float v : x.row(r)) row += std::to_string(v) + " ";
        row += std::to_string(y(r, 0)) + " ";
        (split.validates(r) ? validation : training).push_back(row);
    }
    const std::vector<std::string> validation_in_file_order = validation;
    std::sort(training.begin(), training.end());
    std::sort(validation.begin(), validation.end());
    const StreamOptions shuffled{.batch_size = 16, .split = split, .validation = false, .shuffle = true, .shuffle_buffer = 20, .seed = 5};
    CsvStream stream(fitted.index, fitted.preprocessing, loss, shuffled);
    std::vector<std::string> epoch0, epoch1, again;
    EXPECT_EQ(rows_of_epoch(stream, 0, &epoch0), training);
    EXPECT_EQ(rows_of_epoch(stream, 1, &epoch1), training);
    EXPECT_EQ(stream.rows(), training.size());
    EXPECT_EQ(stream.batches_per_epoch(), (training.size() + 15) / 16);
    EXPECT_NE(epoch0, epoch1);
    CsvStream same(fitted.index, fitted.preprocessing, loss, shuffled);
    rows_of_epoch(same, 1, &again);
    EXPECT_EQ(again, epoch1);
    StreamOptions held_out = shuffled;
    held_out.validation = true;
    CsvStream validation_stream(fitted.index, fitted.preprocessing, loss, held_out);
    std::vector<std::string> in_order;
    EXPECT_EQ(rows_of_epoch(validation_stream, 0, &in_order), validation);
    EXPECT_EQ(in_order, validation_in_file_order);  // validation rows are never shuffled
    // Kept in memory after the first epoch: the file emptied, the next epoch gives the same rows;
    // a stream that may not keep them has to read the file, and finds it changed.
    StreamOptions uncached = held_out;
    uncached.cache_bytes = 0;
    CsvStream reading_again(fitted.index, fitted.preprocessing, loss, uncached);
    rows_of_epoch(reading_again, 0);
    std::filesystem::resize_file(path, 0);
    std::vector<std::string> from_memory;
    rows_of_epoch(validation_stream, 1, &from_memory);
    EXPECT_EQ(from_memory, validation_in_file_order);
    EXPECT_THROW(rows_of_epoch(reading_again, 1), DataError);
    std::ofstream(path, std::ios::binary) << text;
    // Two shards of the chunks together give every training row once.
    std::vector<std::string> both;
    for (std::size_t shard : {0, 1}) {
        StreamOptions part = shuffled;
        part.shard = shard;
        part.shards = 2;
        CsvStream sharded(fitted.index, fitted.preprocessing, loss, part);
        const auto rows = rows_of_epoch(sharded, 0);
        both.insert(both.end(), rows.begin(), rows.end());
    }
    std::sort(both.begin(), both.end());
    EXPECT_EQ(both, training);
    std::filesystem::remove(path);
}

// A chunk of plain numbers encoded straight from its text (plain_chunk.hpp): the same floats, to
// the bit, as its cells through encode_features and encode_targets; anything else left to the cells.
std::vector<std::uint32_t> bits_of(const Matrix<float>& values) {
    std::vector<std::uint32_t> bits;
    for (std::size_t r = 0; r < values.rows(); ++r)
        for (float v : values.row(r)) bits.push_back(std::bit_cast<std::uint32_t>(v));
    return bits;
}

// Rows of numbers written every way a data file writes them, with (when `odd_every` > 0) every
// odd_every-th row holding something only the cells read: a missing value, a '+', a space, quotes.
std::string regression_csv(std::size_t rows, std::size_t odd_every) {
    const char* odd[] = {"", "+2.5", " 7", "\"3\"", "NA"};
    std::string text = "a,b,y\r\n";
    for (std::size_t r = 0; r < rows; ++r) {
        const double a = static_cast<double>(r % 97) * 0.37 - 11;
        std::string b = std::to_string(r % 13) + (r % 3 == 0 ? "e-2" : r % 3 == 1 ? ".125" : "");
        if (odd_every > 0 && r % odd_every == odd_every - 1) b = odd[(r / odd_every) % 5];
        text += std::to_string(a) + "," + b + "," + std::to_string(a * 3.1 - static_cast<double>(r % 7)) + "\r\n";
    }
    return text;
}

TEST(PlainChunk, EncodesAChunkOfPlainNumbersAsItsCellsDoToTheBit) {
    const auto path = write_file("dense_plain_chunk.csv", regression_csv(50, 0));
    PreprocessingOptions options;
    options.targets = {"y"};
    const auto fitted = fit_streamed_preprocessing(path, options, {}, {.delimiter = 0, .chunk_bytes = 1 << 20});
    CsvChunkReader reader(fitted.index);
    const CsvBlock& block = reader.read_text(fitted.index.chunks.front());
    const auto plain = PlainChunkEncoder(fitted.preprocessing, fitted.index.header()).encode(block);
    ASSERT_TRUE(plain);
    const CsvTable records = reader.parse_text(fitted.index.chunks.front());
    EXPECT_EQ(bits_of(plain->x), bits_of(encode_features<float>(fitted.preprocessing, records)));
    EXPECT_EQ(bits_of(plain->y), bits_of(encode_targets<float>(fitted.preprocessing, records, Loss("mse"))));
    EXPECT_EQ(plain->x.rows(), 50u);
    std::filesystem::remove(path);
}

TEST(PlainChunk, LeavesToTheCellsWhatOnlyTheyRead) {
    PreprocessingOptions options;
    options.targets = {"y"};
    const auto header = parse_csv("a,b,y\n1,2,3\n4,5,6\n", "fit.csv");  // its columns; the cells do not matter
    Preprocessing regression = fit_preprocessing(header, options);
    const auto encoded = [&](const Preprocessing& preprocessing, const std::string& text) {
        const CsvBlock block{.text = text, .first_line = 2, .offset = 0, .header = std::make_shared<CsvTable>(header)};
        return PlainChunkEncoder(preprocessing, header).encode(block).has_value();
    };
    EXPECT_TRUE(encoded(regression, "1,2,3\n4,5,3.4e38\n"));
    for (const std::string text : {"1,,3\n", "1,+2,3\n", "1, 2,3\n", "1,\"2\",3\n", "1,2\n", "1,2,3,4\n", "1,2,3.5e38\n", "1,nan,3\n"})
        EXPECT_FALSE(encoded(regression, text)) << text;
    Preprocessing classes = regression;
    classes.task = Task::classification;
    classes.classes = {"3", "6"};
    EXPECT_FALSE(encoded(classes, "1,2,3\n"));  // class labels are read by the cells' rules
    Preprocessing fewer = regression;
    fewer.features.pop_back();
    EXPECT_FALSE(encoded(fewer, "1,2,3\n"));  // a column the model lacks is the cells' error
}

// A file whose chunks are some plain, some not: the streamed epoch gives exactly the rows read whole.
TEST(PlainChunk, StreamedEpochEqualsTheFileEncodedWhole) {
    const std::string text = regression_csv(400, 37);
    const auto path = write_file("dense_plain_chunk_mixed.csv", text);
    PreprocessingOptions options;
    options.targets = {"y"};
    options.fill = FillPolicy::mean;
    const auto fitted = fit_streamed_preprocessing(path, options, {}, {.delimiter = 0, .chunk_bytes = 600});
    const PlainChunkEncoder encoder(fitted.preprocessing, fitted.index.header());
    CsvChunkReader reader(fitted.index);
    std::size_t plain_chunks = 0;
    for (const auto& chunk : fitted.index.chunks) plain_chunks += encoder.encode(reader.read_text(chunk)) ? 1 : 0;
    EXPECT_GT(plain_chunks, 2u);
    EXPECT_LT(plain_chunks, fitted.index.chunks.size());
    const Loss loss("mse");
    CsvStream stream(fitted.index, fitted.preprocessing, loss, {.batch_size = 64, .split = {}, .validation = false, .shuffle = false});
    stream.start_epoch(0);
    std::vector<std::uint32_t> x_bits, y_bits;
    Matrix<float> x, y;
    while (stream.next_batch(x, y)) {
        const auto xb = bits_of(x), yb = bits_of(y);
        x_bits.insert(x_bits.end(), xb.begin(), xb.end());
        y_bits.insert(y_bits.end(), yb.begin(), yb.end());
    }
    const CsvTable table = parse_csv(text, path);
    EXPECT_EQ(x_bits, bits_of(encode_features<float>(fitted.preprocessing, table)));
    EXPECT_EQ(y_bits, bits_of(encode_targets<float>(fitted.preprocessing, table, loss)));
    std::filesystem::remove(path);
}

// The deviation and sum passes read plain chunks from their text too: the same preprocessing, to
// the bit, as the file read whole, on a file whose chunks are some plain, some not.
TEST(PlainChunk, StreamedPreprocessingOfPlainAndOtherChunksEqualsTheFileReadWhole) {
    const std::string text = regression_csv(400, 37);
    PreprocessingOptions options;
    options.targets = {"y"};
    options.fill = FillPolicy::mean;
    for (const double share : {0.0, 0.3}) {
        const RowSplit split{share, 7};
        const auto path = write_file("dense_plain_chunk_fit.csv", text);
        const auto fitted = fit_streamed_preprocessing(path, options, split, {.delimiter = 0, .chunk_bytes = 600});
        EXPECT_EQ(fitted.preprocessing, in_memory(text, options, split)) << share;
        std::filesystem::remove(path);
    }
}

}  // namespace
}  // namespace dense::io
