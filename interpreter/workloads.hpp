#pragma once
// The workloads, as interpreter programs, and a native reference that computes the same
// answers in C++ (for tests and to check every run).
//
// pow: the essay's really_really_slow_func as a proof-of-work chain. A task with seed s runs
//   `blocks` blocks; each finds the first nonce whose mix(s, nonce) has `difficulty` low zero
//   bits, then chains s = mix(s, nonce) >> 1. The answer is the final s. Many small proofs make
//   equal-sized tasks (a single proof's cost is geometric, so one-proof tasks would be too
//   uneven to measure speedup with). experiments/cpython/pow.py is the same program in Python.
// shared: the same program, but a `shared_fraction` of mix's constant loads read module
//   globals instead: ordinary shared objects that every thread increfs and decrefs, and that
//   PEP 683 would not make immortal, so their refcount cache lines bounce between cores.
// handoff: pow, and after each block the worker swaps a fresh (s, b) tuple into a shared
//   mailbox and drops what it took out: objects made by one thread, dropped by another, which
//   biased counting must queue to their owner (PEP 703). The answers are pow's.
//
// After CPython's Tools/ftscalingbench (each a loop of `blocks << difficulty` iterations over an
// accumulator that starts at the seed; the answer is the accumulator):
// pyfunction: calls a module-level function, acc = step(acc), in the loop.
// module_function: reads a module global in the loop, acc = (acc * K + i) & M with K global.
// mult_constant: arithmetic on a code constant, acc = (acc * K + i) & M with K a constant.
// create_pyobject: builds a tuple per iteration and reads it back, t = (acc, i).
// experiments/cpython/ftscaling.py holds the same loops in Python.
#include <cstdint>
#include <string>
#include <vector>

#include "code.hpp"

namespace gillab {

struct WorkloadParams {
  std::string name = "pow";  // pow | shared | handoff | pyfunction | module_function | mult_constant | create_pyobject
  int difficulty = 8;        // low zero bits a block's hash must have: 2^difficulty tries each
  int blocks = 64;           // proofs chained in one task
  double shared_fraction = 0.5;
};

inline constexpr int kMixRounds = 3;
inline constexpr int64_t kMaxSeed = (int64_t{1} << 31) - 1;  // keeps every product in 63 bits

const std::vector<std::string>& workload_names();

// Every program's global `task(seed, difficulty, blocks)` runs one task.
inline constexpr char kTaskGlobal[] = "task";

// The program.
// Throws std::invalid_argument for an unknown name or a parameter out of range.
Program build_workload(const WorkloadParams& params);

// The number of mix() constant-load sites that read a global for this fraction.
int shared_sites(double shared_fraction);

uint64_t mix_native(uint64_t seed, uint64_t nonce);
int64_t pow_task_native(int64_t seed, int difficulty, int blocks);
// Any workload's task, natively: the answer every run of it must give.
int64_t task_native(const WorkloadParams& params, int64_t seed);

// Seeds of the tasks of a run, the same for every strategy: seed + i, kept below kMaxSeed.
int64_t task_seed(int64_t base_seed, int task);

}  // namespace gillab
