#pragma once
// dense prints fit's progress on std::cout. While a StdoutToPython is alive, that text goes to
// Python's sys.stdout instead, so it shows in notebooks and in the order of Python's own prints.
namespace dense::python {

class StdoutToPython {
public:
    // Does nothing when not active (verbose=0): silent calls pay nothing.
    explicit StdoutToPython(bool active);
    ~StdoutToPython();
    StdoutToPython(const StdoutToPython&) = delete;
    StdoutToPython& operator=(const StdoutToPython&) = delete;

private:
    bool active_;
};

}  // namespace dense::python
