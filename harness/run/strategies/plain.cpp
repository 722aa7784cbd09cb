// The strategies on plain refcounts: serial, and gil (the same policy under the lock).
#include "runs.hpp"
#include "threads.hpp"

namespace gillab::runs {

RunResult serial(const RunSpec& s) {
  RunSpec one = s;
  one.workers = 1;
  return threads<rc::Plain>(one, false);
}

RunResult gil(const RunSpec& s) {
  return s.gil.mode == "old" ? threads<rc::Plain, true>(s, true) : threads<rc::Plain>(s, true);
}

}  // namespace gillab::runs
