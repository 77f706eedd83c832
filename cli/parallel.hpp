#pragma once
// The command line under `mpirun -np N dense ...`: the MPI world (when dense::distributed is
// built and mpirun started this process), which process prints and writes files, and ending the
// whole job when one process fails.
#include <memory>
#include <string>

#include "dense/data_parallel.hpp"
#include "dense/messenger.hpp"

namespace dense::cli {

// The processes of the job, started on first use; null when this process runs alone.
std::shared_ptr<DataParallel> parallel_world();

// The same processes as texts sent point to point (a search spread over them); null alone.
std::shared_ptr<Messenger> parallel_messenger();

// Process 0, or a process running alone: the one that prints and writes files.
bool is_main_process();

// A process of an mpirun job other than the first, told by the launcher's environment before MPI
// starts: a command that does not spread its work over processes (predict, evaluate, ...) runs on
// process 0 alone, and the others leave at once instead of printing and writing it again.
bool another_process_of_the_job();

// Under mpirun every process reads the data itself, so a process whose copy differs (an older
// file on one machine) would train with the others on rows their preprocessing does not describe,
// or on other rows: a result no single process gives. `what_was_read` says what this process read
// (its rows, the preprocessing learnt from them); unless it is the same on every process, every
// one throws a DataError naming `data`. Nothing when running alone.
void require_the_same_data_everywhere(const std::string& data, const std::string& what_was_read);

// After a failure: ends the other processes of the job (which would wait for this one) with
// this exit status. Nothing when running alone.
void end_other_processes(int exit_code);

}  // namespace dense::cli
