#include <stdexcept>

#include "runs.hpp"
#include "threads.hpp"

namespace gillab::runs {

RunResult refcount_lock(const RunSpec& s) {
  RunResult r = [&] {
    if (s.lock_kind == "mutex") return threads<rc::MutexPerObject>(s, false);
    if (s.lock_kind == "spinlock") return threads<rc::SpinPerObject>(s, false);
    if (s.lock_kind == "striped-mutex") return threads<rc::MutexStriped>(s, false);
    if (s.lock_kind == "striped-spinlock") return threads<rc::SpinStriped>(s, false);
    throw std::invalid_argument("unknown lock_kind " + s.lock_kind);
  }();
  r.lock_acquires = r.refcount_ops;  // one lock taken per refcount operation
  return r;
}

}  // namespace gillab::runs
