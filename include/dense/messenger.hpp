#pragma once
// Messenger: processes handing each other texts, point to point — how the processes of a search
// spread over several (dense::tune under mpirun) hand out trials and send back their scores.
// dense::distributed implements it over MPI (dense/distributed/communicator.hpp), so the core
// library needs no MPI.
#include <cstddef>
#include <optional>
#include <string>

namespace dense {

struct Message {
    std::size_t from = 0;
    std::string text;
};

class Messenger {
public:
    virtual ~Messenger() = default;
    // This process's number, 0 to size() - 1.
    virtual std::size_t rank() const = 0;
    virtual std::size_t size() const = 0;
    // Sends `text` to process `to`; messages between two processes arrive in the order sent.
    virtual void send(std::size_t to, const std::string& text) = 0;
    // A message that has arrived from any process, if one has; never waits.
    virtual std::optional<Message> try_receive() = 0;
};

}  // namespace dense
