#include "interpreters_runner.hpp"
#include "runs.hpp"

namespace gillab::runs {

RunResult interpreters(const RunSpec& s) {
  return s.immortal || s.deferred ? run_interpreters<true>(s) : run_interpreters<false>(s);
}

}  // namespace gillab::runs
