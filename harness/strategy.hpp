#pragma once
// The strategies: one name everywhere (config, CSV, plots), each a runner instantiated with its
// refcount policy at compile time. The runtime switch happens once per run, here, never per
// refcount operation.
#include <deque>
#include <string>
#include <vector>

#include "run_result.hpp"

namespace gillab {

struct Strategy {
  std::string name;
  std::string description;
  bool parallel;  // runs `workers` threads or processes; serial runs one
  bool uses_gil;
  bool uses_lock_kind;
  RunResult (*run)(const RunSpec&);
};

const std::deque<Strategy>& strategies();  // a deque: registering keeps pointers valid
const Strategy* find_strategy(const std::string& name);
// Adds one (the tests add strategies that crash or hang, to prove the harness contains them).
void register_strategy(Strategy s);

}  // namespace gillab
