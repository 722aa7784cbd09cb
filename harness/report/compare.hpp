#pragma once
// `gillab compare`: every machine's results side by side (results/<machine>/ folders), so that a
// reader sees the costs follow the hardware: the micro-benchmarks' instruction costs (plain add,
// lock xadd, lock cmpxchg, a cache line handed between cores), each strategy's single-thread
// time against its matched serial point, and every claim's verdict, one column per machine.
// Writes machines.csv (long form, one row per machine and item: what plots/machines.gp draws)
// and MACHINES.md as one set, into OUT (by default ROOT: `make machines` does that; `make
// report` writes into build/compare/, so a report of one's own machine changes no tracked file).
#include <string>

namespace gillab {

// Returns the paths written; throws std::runtime_error when ROOT holds no machine's results.
std::string write_comparison(const std::string& root, const std::string& out_dir = "");

}  // namespace gillab
