#pragma once
// One run's inputs and outputs. The output crosses from the isolated child to the harness as
// JSON, so it is plain data.
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config.hpp"
#include "gil.hpp"
#include "layout.hpp"
#include "timeline.hpp"
#include "op_stats.hpp"
#include "timeline.hpp"
#include "workloads.hpp"

namespace gillab {

class Topology;

struct RunSpec {
  WorkloadParams workload;
  std::vector<int64_t> seeds;  // one per task
  int workers = 1;
  PinMode pin = PinMode::Cores;
  bool immortal = false;
  bool deferred = false;  // 3.14t's deferred refcounts for functions and module globals
  GilParams gil;
  std::string lock_kind = "mutex";
  bool timeline = false;
  Layout layout;  // where this run's heap and stacks lie (layout.hpp); seed 0: as inherited
  Topology* topo = nullptr;
};

// A spec crosses to an exec'd measuring process as JSON (all but topo, which it makes anew).
nlohmann::json spec_to_json(const RunSpec& s, const std::string& strategy);
RunSpec spec_from_json(const nlohmann::json& j, std::string& strategy);

struct RunResult {
  bool ok = false;
  std::string error;
  double wall_s = 0, cpu_s = 0;
  double startup_s = 0;  // interpreters: creating the slowest one, before the timed run
  int runtimes = 1;       // distinct runtimes the workers ran on: N for interpreters, else 1
  std::vector<int64_t> answers;
  std::vector<double> task_s;  // per task, its time on the worker that ran it (thread runners)
  uint64_t bytecodes = 0, refcount_ops = 0;
  uint64_t lock_acquires = 0, lock_contended = 0;
  uint64_t container_contended = 0;  // a list's lock found held (container_lock.hpp)
  uint64_t cas_retries = 0, cas_retries_max = 0, cas_ops_retried = 0;
  std::array<uint64_t, OpStats::kHistBuckets> cas_hist{};
  uint64_t biased_merges = 0, biased_queued = 0;
  uint64_t gil_switches = 0;
  double gil_wait_s = 0;
  std::vector<uint64_t> gil_worker_acquires;  // per worker, where a GIL was used
  std::vector<double> gil_worker_wait_s;
  int64_t lost_updates = 0, premature_zero = 0;
  std::vector<int> bound_pus;                 // per worker, -1 when not pinned
  std::vector<int> bound_packages, bound_numa;  // per worker, from bound_pus (the parent fills them)
  std::vector<std::vector<int>> worker_cpus;  // per worker, the CPUs it was seen on
  std::vector<Interval> timeline;

  // Sized for a run of `workers` workers and `tasks` tasks: every answer 0, every worker unbound.
  static RunResult sized(int workers, int tasks) {
    RunResult r;
    r.answers.assign(static_cast<size_t>(tasks), 0);
    r.bound_pus.assign(static_cast<size_t>(workers), -1);
    r.worker_cpus.assign(static_cast<size_t>(workers), {});
    return r;
  }

  void add_ops(const OpStats& s) {
    cas_retries += s.cas_retries;
    cas_ops_retried += s.cas_ops_retried;
    if (s.cas_retries_max > cas_retries_max) cas_retries_max = s.cas_retries_max;
    for (int i = 0; i < OpStats::kHistBuckets; ++i) cas_hist[i] += s.cas_hist[i];
    lock_contended += s.lock_contended;
    container_contended += s.container_contended;
    biased_merges += s.biased_merges;
    biased_queued += s.biased_queued;
    premature_zero += static_cast<int64_t>(s.premature_zero);
  }
};

nlohmann::json to_json(const RunResult& r);
RunResult run_result_from_json(const nlohmann::json& j);

}  // namespace gillab
