#pragma once
// The strategies: one name everywhere (config, CSV, plots), each a runner instantiated with its
// refcount policy at compile time. The runtime switch happens once per run, here, never per
// refcount operation.
#include <deque>
#include <string>
#include <vector>

#include "run_result.hpp"

namespace gillab {

// What the harness needs to know of a strategy is a field here, so that no file outside the
// registry compares strategy names.
struct Strategy {
  std::string name;
  std::string description;
  bool parallel = false;  // runs `workers` threads or processes; serial runs one
  bool uses_gil = false;  // its threads take turns: at most one runs at a time
  bool uses_lock_kind = false;
  RunResult (*run)(const RunSpec&) = nullptr;
  double cost = 1.0;            // a run's time against serial's on one core, roughly: for the estimate
  bool times_startup = false;   // its runs report startup_s (each interpreter's creation)
  bool counts_cas = false;      // its runs report CAS retries and their histograms
  bool counts_biased = false;   // its runs report biased merges and queued hand-backs
  bool locks_containers = false;  // threads share a runtime with no GIL: each list takes its lock (container_lock.hpp)
  int max_workers = 0;            // > 0: planned at no more workers (a strategy sound on one thread only)
};

const std::deque<Strategy>& strategies();  // a deque: registering keeps pointers valid
const Strategy* find_strategy(const std::string& name);
// Adds one (the tests add strategies that crash or hang, to prove the harness contains them).
void register_strategy(Strategy s);

}  // namespace gillab
