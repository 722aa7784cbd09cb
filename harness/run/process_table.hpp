#pragma once
// What a `processes` run's workers share with the parent: one MAP_SHARED table (the task
// counter, the answers, a slot per worker, each part on its own cache lines), and the start
// gate, a pipe every child blocks reading until the parent closes its write end.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "run_result.hpp"
#include "timeline.hpp"
#include "worker_loop.hpp"

namespace gillab {

// One worker's slot, written by that worker alone; plain data, constructed in place.
struct ProcessWorkerSlot {
  static constexpr int kMaxCpus = 1024, kMaxIntervals = 4096;
  WorkerCounts counts;
  double cpu_s;  // the worker's own CPU time from the start gate on: start-up is not the run
  int bound;
  std::atomic<int> ready;
  uint8_t cpus[kMaxCpus];  // CPUs it was seen on
  int n_intervals;
  Interval intervals[kMaxIntervals];
  char error[256];

  void saw_cpu(int cpu) {
    if (cpu >= 0 && cpu < kMaxCpus) cpus[cpu] = 1;
  }
  void add_interval(const Interval& iv) {
    if (n_intervals < kMaxIntervals) intervals[n_intervals++] = iv;
  }
  void set_error(const std::string& e);
};

struct ProcessShared {
  std::atomic<int> next;
};

// These atomics live in a MAP_SHARED mapping and are used by several processes: only a
// lock-free atomic is an atomic there (a lock-based one would lock a per-process table).
static_assert(std::atomic<int>::is_always_lock_free, "atomics shared between processes must be lock-free");

class ProcessTable {
 public:
  ProcessTable(int workers, int tasks);  // throws std::runtime_error when mmap fails
  ~ProcessTable();
  ProcessTable(const ProcessTable&) = delete;
  ProcessTable& operator=(const ProcessTable&) = delete;

  int workers() const { return workers_; }
  int tasks() const { return tasks_; }
  ProcessShared& shared() { return *static_cast<ProcessShared*>(mem_); }
  int64_t* answers() { return reinterpret_cast<int64_t*>(static_cast<char*>(mem_) + answers_at_); }
  ProcessWorkerSlot& slot(int w) { return reinterpret_cast<ProcessWorkerSlot*>(static_cast<char*>(mem_) + slots_at_)[w]; }
  // Seconds from the table's epoch (taken before the fork: CLOCK_MONOTONIC, one clock in
  // every process) to t.
  double since_epoch(std::chrono::steady_clock::time_point t) const;
  std::chrono::steady_clock::time_point epoch() const { return epoch_; }

 private:
  int workers_, tasks_;
  size_t answers_at_, slots_at_, bytes_;
  void* mem_;
  std::chrono::steady_clock::time_point epoch_;
};

class StartGate {
 public:
  StartGate();  // throws std::runtime_error when pipe fails
  ~StartGate();
  // In a child: close the write end, say ready, block until the parent opens the gate.
  void wait_in_child(ProcessWorkerSlot& slot);
  // Kills and reaps the workers forked so far, then throws std::runtime_error(why).
  [[noreturn]] void abandon(const std::vector<pid_t>& pids, const std::string& why);
  // In the parent, every worker forked: wait until each is ready (or has died: abandon),
  // open the gate, reap them all, and gather their slots into the run's result.
  RunResult run_and_collect(const std::vector<pid_t>& pids, ProcessTable& table);

 private:
  void wait_ready(const std::vector<pid_t>& pids, ProcessTable& table);
  int fd_[2] = {-1, -1};
};

}  // namespace gillab
