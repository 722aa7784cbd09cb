#pragma once
// N threads of one interpreter, sharing a task queue: the runner of serial (N = 1), gil, race,
// refcount-lock, atomic, cas and biased. The policy and the GIL's tick countdown are template
// parameters; the GIL itself is reached only through the eval breaker's slow path.
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include "cpu_clock.hpp"
#include "eval.hpp"
#include "gil.hpp"
#include "gil_stats.hpp"
#include "layout.hpp"
#include "run_result.hpp"
#include "topology.hpp"
#include "workload_files.hpp"

namespace gillab {

inline void note_cpu(std::vector<int>& seen) {
  int cpu = sched_getcpu();
  if (std::find(seen.begin(), seen.end(), cpu) == seen.end()) seen.push_back(cpu);
}

template <class P, bool Imm, bool Ticks>
RunResult run_threads(const RunSpec& spec, bool with_gil) {
  using Clock = std::chrono::steady_clock;
  const int n = spec.workers;
  const int ntasks = static_cast<int>(spec.seeds.size());
  Runtime<P> rt(build_workload(spec.workload), spec.immortal, spec.deferred, spec.layout.arena_offset());
  Object<P>* task_fn = rt.global(kTaskGlobal);

  RunResult res = RunResult::sized(n, ntasks);
  res.task_s.assign(static_cast<size_t>(ntasks), 0);  // each slot written by the one worker that took the task
  std::vector<std::string> errors(static_cast<size_t>(n));
  std::vector<uint64_t> bytecodes(static_cast<size_t>(n)), rcops(static_cast<size_t>(n));
  std::vector<OpStats> ops(static_cast<size_t>(n));

  std::latch ready(n + 1), go(1);
  std::atomic<int> next{0};
  Clock::time_point start;
  std::unique_ptr<Timeline> timeline;  // its epoch is reset when the gate opens
  std::unique_ptr<GilStats> gil_stats;
  std::unique_ptr<Gil> gil;

  auto body = [&](int w) {
    const size_t wi = static_cast<size_t>(w);
    tl_op_stats = OpStats{};
    res.bound_pus[wi] = spec.topo ? spec.topo->bind_thread(w, spec.pin) : -1;
    ThreadState<P> ts(rt, 1 << 14, spec.layout.eval_stack_offset(w));
    std::unique_ptr<GilClient> client;
    if (gil) {
      client = std::make_unique<GilClient>(*gil, w);
      ts.sched = client.get();
      ts.tick_interval = spec.gil.check_interval;
    }
    ready.count_down();
    go.wait();
    if (gil) gil->take(w);
    for (int t; (t = next.fetch_add(1, std::memory_order_relaxed)) < ntasks;) {
      note_cpu(res.worker_cpus[wi]);
      int cpu = sched_getcpu();
      double t0 = timeline ? timeline->now() : 0;
      const int64_t args[3] = {spec.seeds[static_cast<size_t>(t)], spec.workload.difficulty, spec.workload.blocks};
      const Clock::time_point task0 = Clock::now();
      CallResult r = Interpreter<P, Imm, Ticks>::call(ts, task_fn, args);
      res.task_s[static_cast<size_t>(t)] = seconds_between(task0, Clock::now());
      res.answers[static_cast<size_t>(t)] = r.value;
      if (!r.ok && errors[wi].empty()) errors[wi] = "task " + std::to_string(t) + ": " + r.error;
      if (timeline) timeline->add(Interval{Interval::Kind::Task, w, t, cpu, t0, timeline->now()});
      note_cpu(res.worker_cpus[wi]);
    }
    if (gil) gil->drop(w);
    bytecodes[wi] = ts.bytecodes;
    rcops[wi] = ts.refcount_ops;
    ops[wi] = tl_op_stats;
  };

  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(n));
  if (spec.timeline) timeline = std::make_unique<Timeline>(n, Clock::now());
  if (with_gil) {
    gil_stats = std::make_unique<GilStats>(n, timeline.get());
    gil = std::make_unique<Gil>(rt.eval_breaker, spec.gil, gil_stats.get());
  }
  for (int w = 0; w < n; ++w)
    threads.emplace_back([&, w] { with_stack_pad(spec.layout.thread_stack_pad(w), [&] { body(w); }); });
  ready.arrive_and_wait();  // every worker bound and ready: thread start-up is not timed
  double cpu0 = process_cpu_s();
  start = Clock::now();
  if (timeline) timeline->set_epoch(start);
  go.count_down();
  for (auto& th : threads) th.join();
  Clock::time_point end = Clock::now();
  res.wall_s = seconds_between(start, end);
  res.cpu_s = process_cpu_s() - cpu0;

  for (int w = 0; w < n; ++w) {
    const size_t wi = static_cast<size_t>(w);
    res.bytecodes += bytecodes[wi];
    res.refcount_ops += rcops[wi];
    res.add_ops(ops[wi]);
    if (!errors[wi].empty() && res.error.empty()) res.error = errors[wi];
  }
  if (gil) {
    GilWorkerStats g = gil_stats->total();
    res.lock_acquires = g.acquires;
    res.lock_contended = g.contended;
    res.gil_switches = g.switches_in;
    res.gil_wait_s = g.wait_s;
    for (int w = 0; w < n; ++w) {
      const GilWorkerStats ws = gil_stats->worker(w);
      res.gil_worker_acquires.push_back(ws.acquires);
      res.gil_worker_wait_s.push_back(ws.wait_s);
    }
  }
  res.lost_updates = rt.count_drift();
  if (timeline) res.timeline = timeline->all();
  res.ok = res.error.empty();
  return res;
}

}  // namespace gillab
