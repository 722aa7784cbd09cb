#pragma once
// N forked processes, each with its own copy of the interpreter (the essay's "use processes"),
// pulling tasks from a counter in shared memory as multiprocessing.Pool does with chunksize 1.
// The runtime is built before the fork, so the children start from copy-on-write pages of it,
// as forked CPython workers do; their refcount writes copy those pages.
//
// Protocol: the parent maps one shared table (process_table.hpp), forks N workers and waits
// until each has bound itself and set `ready` (or died: then every worker is killed and the
// run fails); closing the start gate's write end releases them all at once. Each worker writes
// only its own slot and the answers of the tasks it took; the parent reads them after reaping.
#include <unistd.h>

#include <chrono>

#include "cpu_clock.hpp"
#include "eval.hpp"
#include "layout.hpp"
#include "process_table.hpp"
#include "run_result.hpp"
#include "topology.hpp"
#include "worker_loop.hpp"
#include "workload_files.hpp"

namespace gillab {

// A forked worker: binds, waits at the gate, runs tasks, leaves its counts in its slot, exits.
template <bool Imm>
[[noreturn]] void process_worker(const RunSpec& spec, Runtime<rc::Plain>& rt, ProcessTable& table, StartGate& gate,
                                 int w) {
  using P = rc::Plain;
  // The worker runs on this process's main stack, `thread_stack_pad` deeper (layout.hpp).
  with_stack_pad(spec.layout.thread_stack_pad(w), [&] {
    ProcessWorkerSlot& slot = table.slot(w);
    slot.bound = spec.topo ? spec.topo->bind_process(w, spec.pin) : -1;
    ThreadState<P> ts(rt, 1 << 14, spec.layout.eval_stack_offset(w));
    gate.wait_in_child(slot);
    const double cpu0 = process_cpu_s();
    const std::string error = run_worker_tasks<P, Imm, false>(ts, rt.global(kTaskGlobal), spec, table.shared().next,
                                                              [&](const TaskRun& d) {
      slot.saw_cpu(d.cpu_before);
      slot.saw_cpu(d.cpu_after);
      table.answers()[d.task] = d.result.value;
      if (spec.timeline)
        slot.add_interval(Interval{Interval::Kind::Task, w, d.task, d.cpu_before, table.since_epoch(d.t0),
                                   table.since_epoch(d.t1)});
    });
    slot.cpu_s = process_cpu_s() - cpu0;
    slot.counts = counts_of(ts, rt.count_drift());
    slot.set_error(error);
  });
  _exit(0);
}

template <bool Imm>
RunResult run_processes(const RunSpec& spec) {
  Runtime<rc::Plain> rt(build_workload(spec.workload), spec.immortal, spec.deferred, spec.layout.arena_offset());
  ProcessTable table(spec.workers, static_cast<int>(spec.seeds.size()));
  StartGate gate;
  std::vector<pid_t> pids;
  for (int w = 0; w < spec.workers; ++w) {
    const pid_t pid = fork();
    if (pid < 0) gate.abandon(pids, "fork of a worker process failed");
    if (pid == 0) process_worker<Imm>(spec, rt, table, gate, w);
    pids.push_back(pid);
  }
  return gate.run_and_collect(pids, table);
}

}  // namespace gillab
