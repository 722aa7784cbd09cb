#pragma once
// N threads of one interpreter, sharing a task queue: the runner of serial (N = 1), gil, race,
// refcount-lock, atomic, cas and biased. The policy and the GIL's tick countdown are template
// parameters; the GIL itself is reached only through the eval breaker's slow path.
//
// Protocol: every worker binds, builds its ThreadState and counts down `ready`; the parent
// waits for all of them (thread start-up is not timed), opens `go`, and joins. Each worker
// writes only its own slot of every per-worker vector and the answer and time slots of the
// tasks it took, so the parent reads them after the joins without a lock.
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
#include "worker_loop.hpp"
#include "workload_files.hpp"

namespace gillab {

template <class P, bool Imm, bool Ticks>
class ThreadRun {
 public:
  ThreadRun(const RunSpec& spec, bool with_gil)
      : spec_(spec),
        n_(spec.workers),
        rt_(build_workload(spec.workload), spec.immortal, spec.deferred, spec.layout.arena_offset()),
        res_(RunResult::sized(spec.workers, static_cast<int>(spec.seeds.size()))),
        errors_(static_cast<size_t>(n_)),
        counts_(static_cast<size_t>(n_)),
        ops_(static_cast<size_t>(n_)),
        ready_(n_ + 1) {
    res_.task_s.assign(spec.seeds.size(), 0);
    if (spec.timeline) timeline_ = std::make_unique<Timeline>(n_, std::chrono::steady_clock::now());
    if (with_gil) {
      gil_stats_ = std::make_unique<GilStats>(n_, timeline_.get());
      gil_ = std::make_unique<Gil>(rt_.eval_breaker, spec.gil, gil_stats_.get());
    }
  }

  RunResult run() {
    execute();
    collect();
    return std::move(res_);
  }

 private:
  using Clock = std::chrono::steady_clock;

  void worker(int w) {
    const size_t wi = static_cast<size_t>(w);
    tl_op_stats = OpStats{};
    res_.bound_pus[wi] = spec_.topo ? spec_.topo->bind_thread(w, spec_.pin) : -1;
    ThreadState<P> ts(rt_, 1 << 14, spec_.layout.eval_stack_offset(w));
    std::unique_ptr<GilClient> client;
    if (gil_) {
      client = std::make_unique<GilClient>(*gil_, w);
      ts.sched = client.get();
      ts.tick_interval = spec_.gil.check_interval;
    }
    ready_.count_down();
    go_.wait();
    if (gil_) gil_->take(w);
    errors_[wi] = run_worker_tasks<P, Imm, Ticks>(ts, rt_.global(kTaskGlobal), spec_, next_, [&](const TaskRun& d) {
      note_cpu(res_.worker_cpus[wi], d.cpu_before);
      note_cpu(res_.worker_cpus[wi], d.cpu_after);
      res_.task_s[static_cast<size_t>(d.task)] = seconds_between(d.t0, d.t1);
      res_.answers[static_cast<size_t>(d.task)] = d.result.value;
      if (timeline_)
        timeline_->add(Interval{Interval::Kind::Task, w, d.task, d.cpu_before, timeline_->since(d.t0), timeline_->since(d.t1)});
    });
    if (gil_) gil_->drop(w);
    counts_[wi] = counts_of(ts);
    ops_[wi] = tl_op_stats;
  }

  void execute() {
    std::vector<std::thread> threads;
    threads.reserve(static_cast<size_t>(n_));
    for (int w = 0; w < n_; ++w)
      threads.emplace_back([this, w] { with_stack_pad(spec_.layout.thread_stack_pad(w), [&] { worker(w); }); });
    ready_.arrive_and_wait();  // every worker bound and ready: thread start-up is not timed
    const double cpu0 = process_cpu_s();
    const Clock::time_point start = Clock::now();
    if (timeline_) timeline_->set_epoch(start);
    go_.count_down();
    for (auto& th : threads) th.join();
    res_.wall_s = seconds_between(start, Clock::now());
    res_.cpu_s = process_cpu_s() - cpu0;
  }

  void collect() {
    for (size_t w = 0; w < static_cast<size_t>(n_); ++w) {
      add_worker(res_, counts_[w], errors_[w]);
      res_.add_ops(ops_[w]);
    }
    if (gil_) {
      const GilWorkerStats g = gil_stats_->total();
      res_.lock_acquires = g.acquires;
      res_.lock_contended = g.contended;
      res_.gil_switches = g.switches_in;
      res_.gil_wait_s = g.wait_s;
      for (int w = 0; w < n_; ++w) {
        const GilWorkerStats ws = gil_stats_->worker(w);
        res_.gil_worker_acquires.push_back(ws.acquires);
        res_.gil_worker_wait_s.push_back(ws.wait_s);
      }
    }
    res_.lost_updates = rt_.count_drift();
    if (timeline_) res_.timeline = timeline_->all();
    res_.ok = res_.error.empty();
  }

  const RunSpec& spec_;
  const int n_;
  Runtime<P> rt_;
  RunResult res_;
  std::vector<std::string> errors_;
  std::vector<WorkerCounts> counts_;
  std::vector<OpStats> ops_;
  std::latch ready_, go_{1};
  std::atomic<int> next_{0};
  std::unique_ptr<Timeline> timeline_;  // its epoch is reset when the gate opens
  std::unique_ptr<GilStats> gil_stats_;
  std::unique_ptr<Gil> gil_;  // after the runtime: it holds the runtime's eval breaker
};

template <class P, bool Imm, bool Ticks>
RunResult run_threads(const RunSpec& spec, bool with_gil) {
  return ThreadRun<P, Imm, Ticks>(spec, with_gil).run();
}

}  // namespace gillab
