#pragma once
// The runtime switch a thread strategy makes once per run, never per refcount operation.
#include "refcount_policies.hpp"
#include "thread_runner.hpp"

namespace gillab::runs {

template <class P, bool Ticks = false>
RunResult threads(const RunSpec& s, bool with_gil) {
  // The eval loop tests for uncounted objects only in runtimes that have them.
  return s.immortal || s.deferred ? run_threads<P, true, Ticks>(s, with_gil) : run_threads<P, false, Ticks>(s, with_gil);
}

}  // namespace gillab::runs
