#include "runs.hpp"
#include "threads.hpp"

namespace gillab::runs {

RunResult race(const RunSpec& s) { return threads<rc::Race>(s, false); }

}  // namespace gillab::runs
