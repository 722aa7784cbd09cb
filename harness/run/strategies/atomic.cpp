#include "runs.hpp"
#include "threads.hpp"

namespace gillab::runs {

RunResult atomic(const RunSpec& s) { return threads<rc::Atomic>(s, false); }

}  // namespace gillab::runs
