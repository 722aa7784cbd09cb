#pragma once
// `interpreters` (PEP 684, PEP 734): N threads, each with an interpreter of its own: its own
// runtime (small ints, constants, functions, globals), its own GIL, nothing shared, so plain
// refcounts are safe and no lock is ever contended. Each interpreter is created by its thread
// before the start gate: that start-up is timed on its own (`startup_s`, the slowest thread's)
// and is not part of the run's wall time.
#include <algorithm>
#include <atomic>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include "cpu_clock.hpp"
#include "eval.hpp"
#include "gil.hpp"
#include "layout.hpp"
#include "run_result.hpp"
#include "topology.hpp"
#include "worker_loop.hpp"
#include "workload_files.hpp"

namespace gillab {

template <bool Imm>
RunResult run_interpreters(const RunSpec& spec) {
  using P = rc::Plain;
  using Clock = std::chrono::steady_clock;
  const int n = spec.workers;
  RunResult res = RunResult::sized(n, static_cast<int>(spec.seeds.size()));
  std::vector<std::string> errors(static_cast<size_t>(n));
  std::vector<WorkerCounts> counts(static_cast<size_t>(n));
  std::vector<double> startup(static_cast<size_t>(n));
  std::vector<const void*> runtime_of(static_cast<size_t>(n));  // all alive together at `ready`
  std::latch ready(n + 1), go(1);
  std::atomic<int> next{0};  // the task queue: the one thing the interpreters share, as a channel would be

  auto body = [&](int w) {
    const size_t wi = static_cast<size_t>(w);
    res.bound_pus[wi] = spec.topo ? spec.topo->bind_thread(w, spec.pin) : -1;
    const auto t0 = Clock::now();
    Runtime<P> rt(build_workload(spec.workload), spec.immortal, spec.deferred, spec.layout.arena_offset());  // this interpreter's own
    Gil gil(rt.eval_breaker, spec.gil);                                           // and its own GIL
    GilClient client(gil, 0);
    ThreadState<P> ts(rt, 1 << 14, spec.layout.eval_stack_offset(w));
    ts.sched = &client;
    startup[wi] = seconds_between(t0, Clock::now());
    runtime_of[wi] = &rt;
    ready.count_down();
    go.wait();
    gil.take(0);  // never contended: no other thread ever asks for it
    errors[wi] = run_worker_tasks<P, Imm, false>(ts, rt.global(kTaskGlobal), spec, next, [&](const TaskRun& d) {
      note_cpu(res.worker_cpus[wi], d.cpu_before);
      res.answers[static_cast<size_t>(d.task)] = d.result.value;
    });
    gil.drop(0);
    counts[wi] = counts_of(ts, rt.count_drift());
  };

  std::vector<std::thread> threads;
  for (int w = 0; w < n; ++w)
    threads.emplace_back([&, w] { with_stack_pad(spec.layout.thread_stack_pad(w), [&] { body(w); }); });
  ready.arrive_and_wait();  // every interpreter created: its start-up is not in the run's time
  const double cpu0 = process_cpu_s();
  const Clock::time_point start = Clock::now();
  go.count_down();
  for (auto& th : threads) th.join();
  res.wall_s = seconds_between(start, Clock::now());
  res.cpu_s = process_cpu_s() - cpu0;
  for (size_t w = 0; w < static_cast<size_t>(n); ++w) add_worker(res, counts[w], errors[w]);
  res.startup_s = *std::max_element(startup.begin(), startup.end());
  std::sort(runtime_of.begin(), runtime_of.end());
  res.runtimes = static_cast<int>(std::unique(runtime_of.begin(), runtime_of.end()) - runtime_of.begin());
  res.ok = res.error.empty();
  return res;
}

}  // namespace gillab
