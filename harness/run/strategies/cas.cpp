#include "runs.hpp"
#include "threads.hpp"

namespace gillab::runs {

RunResult cas(const RunSpec& s) { return threads<rc::Cas>(s, false); }

}  // namespace gillab::runs
