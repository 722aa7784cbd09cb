#pragma once
// The free-threaded speedup claims A10 and A12 read: a workload at 2 workers over the same
// mechanism on 1. The model's free-threading is biased counts with immortal and deferred
// objects: its `scaling`, each run over the same point's run at 1 worker in the same round
// (paired, so the round's drift cancels). Free-threaded CPython's threads (gil_enabled 0) are
// paired with the free-threaded build's own serial run in the same round already. Both sides
// then carry their costs on one thread as on two: the ratio is the scaling alone.
#include <string>

#include "claim.hpp"

namespace gillab {

inline ResultSet::Match free_threaded_point(bool model, const std::string& workload) {
  ResultSet::Match m{{"workers", "2"}, {"workload", workload}};
  if (model) m.insert({{"implementation", "gillab"}, {"strategy", "biased"}, {"immortal", "1"}, {"deferred", "1"}});
  else m.insert({{"implementation", "cpython"}, {"strategy", "threads"}, {"gil_enabled", "0"}});
  return m;
}

inline Estimate free_threaded_speedup(const ResultSet& r, const std::string& config, bool model, const std::string& workload) {
  return r.get(config, free_threaded_point(model, workload), model ? "scaling" : "speedup");
}

}  // namespace gillab
