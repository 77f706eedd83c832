#pragma once
// dense::distributed::Communicator: MPI_COMM_WORLD as the DataParallel that fit() sums its
// gradients through (FitOptions::data_parallel), and as the Messenger a search spread over
// processes hands out its trials through (tune::TunerOptions::processes). Run the program with `mpirun -np N`; each
// process passes fit its own shard of the rows (dense::shard_of tells which).
//
//   auto world = std::make_shared<dense::distributed::Communicator>();
//   auto [first, end] = dense::shard_of(rows, world->rank(), world->size());
//   model.fit(x_rows_first_to_end, y_rows_first_to_end, {.batch_size = 256, .data_parallel = world});
//
// A process that dies, or one that fails, must not leave the others waiting for ever: an error
// ends the whole job (fail), and a collective that waits longer than the timeout ends it too.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dense/data_parallel.hpp"
#include "dense/messenger.hpp"

namespace dense::distributed {

// Whether this process was started by mpirun (or another MPI launcher): then MPI may be started.
bool launched_by_mpirun();

struct CommunicatorOptions {
    // A collective that has not finished after this long ends the job: another process has died
    // or hangs. The environment variable DENSE_MPI_TIMEOUT (seconds) overrides it.
    std::chrono::seconds timeout{600};
};

class Communicator final : public DataParallel, public Messenger {
public:
    // Starts MPI unless it is started already (then Communicator only uses it), with errors
    // returned as dense::Error rather than aborting silently. Ends it in the destructor if it
    // started it.
    explicit Communicator(CommunicatorOptions options = {});
    ~Communicator() override;
    Communicator(const Communicator&) = delete;
    Communicator& operator=(const Communicator&) = delete;

    std::size_t rank() const override { return rank_; }
    std::size_t size() const override { return size_; }
    // MPI_Allreduce(MPI_SUM): for a given number of processes and length Open MPI adds in the
    // same order every time (the algorithm is chosen from those two alone).
    void sum(std::span<float> values) override;
    void sum(std::span<double> values) override;
    // Every process's text, in rank order, on process 0 (empty elsewhere).
    std::vector<std::string> gather(const std::string& text);
    // Process 0's text, on every process.
    std::string broadcast(std::string text);
    void barrier();
    // MPI_Isend to one process (returning once the receiver has the text, waiting for it without
    // spinning and without timeout), and MPI_Iprobe then MPI_Recv from any, with a tag of their own.
    void send(std::size_t to, const std::string& text) override;
    std::optional<Message> try_receive() override;
    // Prints `message` on stderr and ends every process of the job with exit status `code`.
    [[noreturn]] void fail(const std::string& message, int code = 1);

private:
    class Watchdog;
    std::size_t rank_ = 0, size_ = 1;
    bool started_mpi_ = false;
    std::unique_ptr<Watchdog> watchdog_;
};

}  // namespace dense::distributed
