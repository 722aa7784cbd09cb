#pragma once
// The one worker loop every runner shares (threads, processes, interpreters), as Google
// Benchmark's RunInThread serves every thread count: take the next task from the shared
// counter until none is left, run it, hand what happened to the runner's recorder. What
// differs between runners (where the runtime lives, how workers start and are joined, where
// answers go: a vector, or a page shared across fork) stays in the runner.
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "eval.hpp"
#include "run_result.hpp"
#include "workload_files.hpp"

namespace gillab {

// One task as a worker ran it. steady_clock is CLOCK_MONOTONIC: one clock in every process.
struct TaskRun {
  int task;
  int cpu_before, cpu_after;  // sched_getcpu() before and after: where it ran
  std::chrono::steady_clock::time_point t0, t1;
  const CallResult& result;
};

// A worker's own counts: written by it alone, read once it has been joined (or reaped).
// Trivially copyable, so a process worker's can sit in the page it shares with the parent.
struct WorkerCounts {
  uint64_t bytecodes = 0, refcount_ops = 0;
  int64_t drift = 0;  // lost updates in the worker's own runtime (processes, interpreters)
};

// Runs tasks from `next` until they run out, calling record(const TaskRun&) after each.
// Returns the first failing task's error, "" when every task ran.
template <class P, bool Imm, bool Ticks, class Record>
std::string run_worker_tasks(ThreadState<P>& ts, Object<P>* fn, const RunSpec& spec, std::atomic<int>& next,
                             Record&& record) {
  using Clock = std::chrono::steady_clock;
  const int ntasks = static_cast<int>(spec.seeds.size());
  std::string error;
  for (int t; (t = next.fetch_add(1, std::memory_order_relaxed)) < ntasks;) {
    const int cpu = sched_getcpu();
    const Clock::time_point t0 = Clock::now();
    const int64_t args[3] = {spec.seeds[static_cast<size_t>(t)], spec.workload.difficulty, spec.workload.blocks};
    const CallResult r = Interpreter<P, Imm, Ticks>::call(ts, fn, args);
    record(TaskRun{t, cpu, sched_getcpu(), t0, Clock::now(), r});
    if (!r.ok && error.empty()) error = "task " + std::to_string(t) + ": " + r.error;
  }
  return error;
}

template <class P>
WorkerCounts counts_of(const ThreadState<P>& ts, int64_t drift = 0) {
  return WorkerCounts{ts.bytecodes, ts.refcount_ops, drift};
}

// Adds a CPU to a worker's list of CPUs it was seen on.
inline void note_cpu(std::vector<int>& seen, int cpu) {
  if (std::find(seen.begin(), seen.end(), cpu) == seen.end()) seen.push_back(cpu);
}

// One worker's counts and error into the run's totals; the first error (in worker order) wins.
inline void add_worker(RunResult& res, const WorkerCounts& c, const std::string& error) {
  res.bytecodes += c.bytecodes;
  res.refcount_ops += c.refcount_ops;
  res.lost_updates += c.drift;
  if (!error.empty() && res.error.empty()) res.error = error;
}

}  // namespace gillab
