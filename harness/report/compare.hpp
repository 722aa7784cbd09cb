#pragma once
// `gillab compare`: every machine's results side by side (results/<machine>/ folders), so that a
// reader sees the costs follow the hardware: the micro-benchmarks' instruction costs (plain add,
// lock xadd, lock cmpxchg, a cache line handed between cores), each strategy's single-thread
// time against its matched serial point, and every claim's verdict, one column per machine.
// Writes ROOT/machines.csv (long form, one row per machine and item: what plots/machines.gp
// draws) and ROOT/MACHINES.md as one set.
#include <string>

namespace gillab {

// Returns the paths written; throws std::runtime_error when ROOT holds no machine's results.
std::string write_comparison(const std::string& root);

}  // namespace gillab
