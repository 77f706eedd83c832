// parallel_world and parallel_messenger over dense::distributed::Communicator when the build has it; alone otherwise.
#include "parallel.hpp"

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string_view>
#include <vector>

#include "dense/error.hpp"

#ifdef DENSE_HAVE_DISTRIBUTED
#include "dense/distributed/communicator.hpp"
#endif

namespace dense::cli {
namespace {

#ifdef DENSE_HAVE_DISTRIBUTED
std::shared_ptr<distributed::Communicator>& world() {
    static std::shared_ptr<distributed::Communicator> communicator;
    return communicator;
}
#endif

}  // namespace

std::shared_ptr<DataParallel> parallel_world() {
#ifdef DENSE_HAVE_DISTRIBUTED
    if (!world() && distributed::launched_by_mpirun()) world() = std::make_shared<distributed::Communicator>();
    return world();
#else
    return nullptr;
#endif
}

std::shared_ptr<Messenger> parallel_messenger() {
#ifdef DENSE_HAVE_DISTRIBUTED
    parallel_world();
    return world();
#else
    return nullptr;
#endif
}

bool another_process_of_the_job() {
    // Open MPI, PMIx and MPICH/Hydra (PMI) name the rank in these.
    for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"})
        if (const char* rank = std::getenv(name)) return std::string_view(rank) != "0";
    return false;
}

bool is_main_process() {
    const auto processes = parallel_world();
    return !processes || processes->rank() == 0;
}

void require_the_same_data_everywhere(const std::string& data, const std::string& what_was_read) {
    const auto processes = parallel_world();
    if (!processes || processes->size() == 1) return;
    const std::uint64_t digest = std::hash<std::string>{}(what_was_read);
    // In 16-bit parts, which a double holds exactly, as do their sums over the processes: the
    // sums are size() times this process's parts only if every process has its digest.
    std::vector<double> parts;
    for (int shift = 0; shift < 64; shift += 16) parts.push_back(double((digest >> shift) & 0xFFFF));
    auto sums = parts;
    processes->sum(sums);
    for (std::size_t i = 0; i < parts.size(); ++i)
        if (sums[i] != parts[i] * double(processes->size()))
            throw DataError(data + ": the processes read different data (its rows, or the preprocessing learnt from them, "
                                   "differ from one process to another); give every process the same file");
}

void end_other_processes(int exit_code) {
#ifdef DENSE_HAVE_DISTRIBUTED
    if (world() && world()->size() > 1) world()->fail("", exit_code);
#else
    (void)exit_code;
#endif
}

}  // namespace dense::cli
