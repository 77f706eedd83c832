// Communicator over MPI_COMM_WORLD: MPI's errors returned (MPI_ERRORS_RETURN) and thrown as
// dense::Error, a watchdog that ends a collective waiting past the timeout, and a SIGTERM
// handler that says why the job ended when mpirun ends it because another process died.
#include "dense/distributed/communicator.hpp"

#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <thread>

#include "dense/error.hpp"

namespace dense::distributed {
namespace {

void check(int code, const char* call) {
    if (code == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(code, text, &length);
    throw Error(std::string(call) + " failed: " + std::string(text, std::size_t(length)) +
                " (another process of the job has probably died; see mpirun's messages)");
}

// The rank, as text, for the signal handler (which may not format numbers).
char rank_text[24] = "?";

// mpirun ends the other processes with SIGTERM when one dies: say so (with write, which a
// signal handler may call) instead of vanishing. Files are written atomically, so the last
// complete save of a model or checkpoint (or line of a trial log) is what stays.
extern "C" void on_terminate(int) {
    const char* parts[] = {"dense (rank ", rank_text,
                           "): the job was ended by mpirun, most likely because another process died; the model "
                           "file, checkpoints and trial log are as their last complete save left them\n"};
    for (const char* part : parts) {
        const ssize_t written = ::write(STDERR_FILENO, part, std::strlen(part));
        (void)written;
    }
    std::_Exit(1);
}

std::chrono::seconds timeout_from_environment(std::chrono::seconds fallback) {
    const char* text = std::getenv("DENSE_MPI_TIMEOUT");
    if (!text || !*text) return fallback;
    char* end = nullptr;
    const long seconds = std::strtol(text, &end, 10);
    if (*end || seconds <= 0)
        throw UsageError(std::string("DENSE_MPI_TIMEOUT must be a positive number of seconds, got '") + text + "'");
    return std::chrono::seconds(seconds);
}

// The tag of Messenger's texts, apart from anything else sent point to point.
constexpr int message_tag = 18;

// MPI counts are ints: longer spans go in pieces of at most this many elements.
constexpr std::size_t max_count = std::size_t(1) << 30;

}  // namespace

// Ends the job when one collective lasts longer than the timeout: a process that hangs (or died
// without mpirun noticing) would otherwise keep every other one waiting for ever.
class Communicator::Watchdog {
public:
    Watchdog(std::chrono::seconds timeout, std::size_t rank) : timeout_(timeout), rank_(rank), thread_([this] { watch(); }) {}
    ~Watchdog() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_one();
        thread_.join();
    }
    // The collective `what` starts; finished() when it returns.
    void started(const char* what) {
        std::lock_guard lock(mutex_);
        what_ = what;
        since_ = std::chrono::steady_clock::now();
    }
    void finished() {
        std::lock_guard lock(mutex_);
        what_ = nullptr;
    }

private:
    void watch() {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            wake_.wait_for(lock, std::chrono::seconds(1));
            if (what_ && std::chrono::steady_clock::now() - since_ > timeout_) {
                std::cerr << "dense (rank " << rank_ << "): " << what_ << " waited more than " << timeout_.count()
                          << " s for the other processes; one has died or hangs, so the job ends "
                             "(DENSE_MPI_TIMEOUT sets the limit)"
                          << std::endl;
                std::_Exit(1);  // mpirun then ends the other processes
            }
        }
    }
    std::chrono::seconds timeout_;
    std::size_t rank_;
    std::mutex mutex_;
    std::condition_variable wake_;
    const char* what_ = nullptr;
    std::chrono::steady_clock::time_point since_;
    bool stopping_ = false;
    std::thread thread_;
};

bool launched_by_mpirun() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
        if (std::getenv(name)) return true;
    return false;
}

Communicator::Communicator(CommunicatorOptions options) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
        int provided = 0;
        check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
        started_mpi_ = true;
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    rank_ = std::size_t(rank);
    size_ = std::size_t(size);
    const std::string text = std::to_string(rank);
    std::copy_n(text.c_str(), text.size() + 1, rank_text);
    std::signal(SIGTERM, on_terminate);
    watchdog_ = std::make_unique<Watchdog>(timeout_from_environment(options.timeout), rank_);
}

Communicator::~Communicator() {
    watchdog_.reset();
    if (started_mpi_) MPI_Finalize();
}

// MPI_Allreduce in place, in pieces of at most max_count elements.
template <class T>
void sum_in_place(std::span<T> values, MPI_Datatype type) {
    for (std::size_t first = 0; first < values.size(); first += max_count) {
        const int count = int(std::min(max_count, values.size() - first));
        check(MPI_Allreduce(MPI_IN_PLACE, values.data() + first, count, type, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
    }
}

void Communicator::sum(std::span<float> values) {
    watchdog_->started("MPI_Allreduce");
    sum_in_place(values, MPI_FLOAT);
    watchdog_->finished();
}

void Communicator::sum(std::span<double> values) {
    watchdog_->started("MPI_Allreduce");
    sum_in_place(values, MPI_DOUBLE);
    watchdog_->finished();
}

std::vector<std::string> Communicator::gather(const std::string& text) {
    if (text.size() > std::size_t(INT_MAX)) throw UsageError("Communicator::gather: a text of over 2 GB");
    watchdog_->started("MPI_Gather");
    int length = int(text.size());
    std::vector<int> lengths(size_), offsets(size_);
    check(MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
    std::string all;
    if (rank_ == 0) {
        std::size_t total = 0;
        for (std::size_t r = 0; r < size_; ++r) offsets[r] = int(total), total += std::size_t(lengths[r]);
        all.resize(total);
    }
    check(MPI_Gatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0,
                      MPI_COMM_WORLD),
          "MPI_Gatherv");
    watchdog_->finished();
    std::vector<std::string> texts;
    if (rank_ == 0)
        for (std::size_t r = 0; r < size_; ++r) texts.push_back(all.substr(std::size_t(offsets[r]), std::size_t(lengths[r])));
    return texts;
}

std::string Communicator::broadcast(std::string text) {
    watchdog_->started("MPI_Bcast");
    unsigned long long length = text.size();
    check(MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD), "MPI_Bcast");
    text.resize(length);
    for (std::size_t first = 0; first < length; first += max_count) {
        const int count = int(std::min<std::size_t>(max_count, length - first));
        check(MPI_Bcast(text.data() + first, count, MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast");
    }
    watchdog_->finished();
    return text;
}

void Communicator::barrier() {
    watchdog_->started("MPI_Barrier");
    check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
    watchdog_->finished();
}

// MPI_Isend, then MPI_Test every millisecond until the text is handed over: a long text waits
// for the receiver to take it, which may be busy for as long as a trial lasts, so no watchdog;
// and looking every millisecond leaves the core to the processes that compute.
void Communicator::send(std::size_t to, const std::string& text) {
    if (text.size() > std::size_t(INT_MAX)) throw UsageError("Communicator::send: a text of over 2 GB");
    MPI_Request request;
    check(MPI_Isend(text.data(), int(text.size()), MPI_CHAR, int(to), message_tag, MPI_COMM_WORLD, &request),
          "MPI_Isend");
    for (int sent = 0;;) {
        check(MPI_Test(&request, &sent, MPI_STATUS_IGNORE), "MPI_Test");
        if (sent) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

std::optional<Message> Communicator::try_receive() {
    int arrived = 0;
    MPI_Status status;
    check(MPI_Iprobe(MPI_ANY_SOURCE, message_tag, MPI_COMM_WORLD, &arrived, &status), "MPI_Iprobe");
    if (!arrived) return std::nullopt;
    int length = 0;
    check(MPI_Get_count(&status, MPI_CHAR, &length), "MPI_Get_count");
    Message message{std::size_t(status.MPI_SOURCE), std::string(std::size_t(length), '\0')};
    watchdog_->started("MPI_Recv");
    check(MPI_Recv(message.text.data(), length, MPI_CHAR, status.MPI_SOURCE, message_tag, MPI_COMM_WORLD,
                   MPI_STATUS_IGNORE),
          "MPI_Recv");
    watchdog_->finished();
    return message;
}

void Communicator::fail(const std::string& message, int code) {
    std::cerr << message << std::endl;
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);
}

}  // namespace dense::distributed
