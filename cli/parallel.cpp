// parallel_world and parallel_messenger over dense::distributed::Communicator when the build has it; alone otherwise.
#include "parallel.hpp"

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

bool is_main_process() {
    const auto processes = parallel_world();
    return !processes || processes->rank() == 0;
}

void end_other_processes(int exit_code) {
#ifdef DENSE_HAVE_DISTRIBUTED
    if (world() && world()->size() > 1) world()->fail("", exit_code);
#else
    (void)exit_code;
#endif
}

}  // namespace dense::cli
