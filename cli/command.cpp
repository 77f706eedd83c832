// The registry behind CommandRegistration (see command.hpp).
#include "command.hpp"

namespace dense::cli {

std::vector<CommandAdder>& command_adders() {
    static std::vector<CommandAdder> adders;
    return adders;
}

}  // namespace dense::cli
