#pragma once
// N forked processes, each with its own copy of the interpreter (the essay's "use processes"),
// pulling tasks from a counter in shared memory as multiprocessing.Pool does with chunksize 1.
// The runtime is built before the fork, so the children start from copy-on-write pages of it,
// as forked CPython workers do; their refcount writes copy those pages.
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "cpu_clock.hpp"
#include "eval.hpp"
#include "layout.hpp"
#include "run_result.hpp"
#include "topology.hpp"
#include "workload_files.hpp"

namespace gillab {

struct ProcessWorkerSlot {
  static constexpr int kMaxCpus = 1024, kMaxIntervals = 4096;
  uint64_t bytecodes, refcount_ops;
  int64_t drift;
  double cpu_s;  // the worker's own CPU time from the start gate on: start-up is not the run
  int bound;
  std::atomic<int> ready;
  uint8_t cpus[kMaxCpus];  // CPUs it was seen on
  int n_intervals;
  Interval intervals[kMaxIntervals];
  char error[256];
};

struct ProcessShared {
  std::atomic<int> next;
};

// These atomics live in a MAP_SHARED mapping and are used by several processes: only a
// lock-free atomic is an atomic there (a lock-based one would lock a per-process table).
static_assert(std::atomic<int>::is_always_lock_free, "atomics shared between processes must be lock-free");

template <bool Imm>
RunResult run_processes(const RunSpec& spec) {
  using P = rc::Plain;
  using Clock = std::chrono::steady_clock;
  const int n = spec.workers;
  const int ntasks = static_cast<int>(spec.seeds.size());
  Runtime<P> rt(build_workload(spec.workload), spec.immortal, spec.deferred, spec.layout.arena_offset());
  Object<P>* task_fn = rt.global(kTaskGlobal);

  // One shared mapping: the task counter, the answers, a slot per worker, each part aligned.
  auto align = [](size_t n) { return (n + 63) / 64 * 64; };
  const size_t answers_at = align(sizeof(ProcessShared));
  const size_t slots_at = align(answers_at + sizeof(int64_t) * static_cast<size_t>(ntasks));
  const size_t bytes = slots_at + sizeof(ProcessWorkerSlot) * static_cast<size_t>(n);
  void* mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) throw std::runtime_error("mmap of the shared task table failed");
  auto* shared = new (mem) ProcessShared{};
  auto* answers = reinterpret_cast<int64_t*>(static_cast<char*>(mem) + answers_at);
  auto* slots = reinterpret_cast<ProcessWorkerSlot*>(static_cast<char*>(mem) + slots_at);
  for (int w = 0; w < n; ++w) new (&slots[w]) ProcessWorkerSlot{};  // constructed, not memset: it holds an atomic

  Clock::time_point epoch = Clock::now();  // CLOCK_MONOTONIC: the same clock in every process
  // The start gate: every child blocks reading it; closing the write end releases them at once.
  int gate[2];
  if (pipe(gate) != 0) throw std::runtime_error("pipe for the start gate failed");
  std::vector<pid_t> pids;
  for (int w = 0; w < n; ++w) {
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork of a worker process failed");
    if (pid == 0) {
      // The worker runs on this process's main stack, `thread_stack_pad` deeper (layout.hpp).
      with_stack_pad(spec.layout.thread_stack_pad(w), [&] {
        ProcessWorkerSlot& slot = slots[w];
        slot.bound = spec.topo ? spec.topo->bind_process(w, spec.pin) : -1;
        ThreadState<P> ts(rt, 1 << 14, spec.layout.eval_stack_offset(w));
        close(gate[1]);
        slot.ready.store(1, std::memory_order_release);
        char c;
        while (read(gate[0], &c, 1) < 0 && errno == EINTR) {
        }
        auto now = [&] { return seconds_between(epoch, Clock::now()); };
        const double cpu0 = process_cpu_s();
        for (int t; (t = shared->next.fetch_add(1, std::memory_order_relaxed)) < ntasks;) {
          int cpu = sched_getcpu();
          if (cpu >= 0 && cpu < ProcessWorkerSlot::kMaxCpus) slot.cpus[cpu] = 1;
          double t0 = now();
          const int64_t args[3] = {spec.seeds[static_cast<size_t>(t)], spec.workload.difficulty, spec.workload.blocks};
          CallResult r = Interpreter<P, Imm>::call(ts, task_fn, args);
          answers[t] = r.value;
          if (!r.ok && slot.error[0] == 0)
            std::snprintf(slot.error, sizeof slot.error, "task %d: %s", t, r.error.c_str());
          if (spec.timeline && slot.n_intervals < ProcessWorkerSlot::kMaxIntervals)
            slot.intervals[slot.n_intervals++] = Interval{Interval::Kind::Task, w, t, cpu, t0, now()};
          cpu = sched_getcpu();
          if (cpu >= 0 && cpu < ProcessWorkerSlot::kMaxCpus) slot.cpus[cpu] = 1;
        }
        slot.cpu_s = process_cpu_s() - cpu0;
        slot.bytecodes = ts.bytecodes;
        slot.refcount_ops = ts.refcount_ops;
        slot.drift = rt.count_drift();
      });
      _exit(0);
    }
    pids.push_back(pid);
  }
  close(gate[0]);

  RunResult res;
  auto reap_all = [&] {
    for (pid_t p : pids) {
      int st;
      while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
      }
    }
  };
  // Wait until every worker is bound and ready (or one has died before it got there).
  for (int w = 0; w < n; ++w) {
    while (!slots[w].ready.load(std::memory_order_acquire)) {
      int st;
      if (waitpid(pids[static_cast<size_t>(w)], &st, WNOHANG) == pids[static_cast<size_t>(w)]) {
        for (pid_t p : pids) kill(p, SIGKILL);
        close(gate[1]);
        reap_all();
        munmap(mem, bytes);
        throw std::runtime_error("worker process " + std::to_string(w) + " died before it started");
      }
      std::this_thread::yield();
    }
  }
  Clock::time_point start = Clock::now();
  close(gate[1]);
  for (int w = 0; w < n; ++w) {
    int st = 0;
    while (waitpid(pids[static_cast<size_t>(w)], &st, 0) < 0 && errno == EINTR) {
    }
    if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0) && res.error.empty()) {
      res.error = "worker process " + std::to_string(w) +
                  (WIFSIGNALED(st) ? " was killed by signal " + std::to_string(WTERMSIG(st)) + " (" + strsignal(WTERMSIG(st)) + ")"
                                   : " exited with status " + std::to_string(WEXITSTATUS(st)));
    }
  }
  Clock::time_point end = Clock::now();
  res.wall_s = seconds_between(start, end);
  for (int w = 0; w < n; ++w) res.cpu_s += slots[w].cpu_s;
  double offset = seconds_between(epoch, start);
  res.answers.assign(answers, answers + ntasks);
  for (int w = 0; w < n; ++w) {
    const ProcessWorkerSlot& slot = slots[w];
    res.bytecodes += slot.bytecodes;
    res.refcount_ops += slot.refcount_ops;
    res.lost_updates += slot.drift;
    res.bound_pus.push_back(slot.bound);
    std::vector<int> cpus;
    for (int c = 0; c < ProcessWorkerSlot::kMaxCpus; ++c)
      if (slot.cpus[c]) cpus.push_back(c);
    res.worker_cpus.push_back(cpus);
    for (int i = 0; i < slot.n_intervals; ++i) {
      Interval iv = slot.intervals[i];
      iv.t0 -= offset;
      iv.t1 -= offset;
      res.timeline.push_back(iv);
    }
    if (slot.error[0] && res.error.empty()) res.error = slot.error;
  }
  munmap(mem, bytes);
  res.ok = res.error.empty();
  return res;
}

}  // namespace gillab
