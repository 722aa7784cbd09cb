#pragma once
// What names a workload run: its file (workloads/<name>.py, or a path) and the parameters its
// task(seed, difficulty, blocks) takes. The programs themselves are Python files, compiled by
// interpreter/compile.py and loaded by the harness (harness/workload_files.hpp); nothing of a
// workload is written in C++.
#include <cstdint>
#include <string>

namespace gillab {

struct WorkloadParams {
  std::string name = "pow";  // a file stem in workloads/, or a path to a .py file
  int difficulty = 8;        // pow: low zero bits a block's hash must have (2^difficulty tries each)
  int blocks = 64;           // pow: proofs chained in one task; the loops: blocks << difficulty iterations
};

inline constexpr int64_t kMaxSeed = (int64_t{1} << 31) - 1;  // keeps pow's products in 63 bits

// Every program's global `task(seed, difficulty, blocks)` runs one task.
inline constexpr char kTaskGlobal[] = "task";

// Seeds of the tasks of a run, the same for every strategy: seed + i, kept below kMaxSeed.
inline int64_t task_seed(int64_t base_seed, int task) { return (base_seed + task) % (kMaxSeed + 1); }

}  // namespace gillab
