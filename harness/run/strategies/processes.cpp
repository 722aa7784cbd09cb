#include "process_runner.hpp"
#include "runs.hpp"

namespace gillab::runs {

RunResult processes(const RunSpec& s) { return s.immortal || s.deferred ? run_processes<true>(s) : run_processes<false>(s); }

}  // namespace gillab::runs
