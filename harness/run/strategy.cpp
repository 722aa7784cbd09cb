#include "strategy.hpp"

#include <stdexcept>

#include "interpreters_runner.hpp"
#include "process_runner.hpp"
#include "refcount_policies.hpp"
#include "thread_runner.hpp"

namespace gillab {

namespace {

template <class P, bool Ticks = false>
RunResult threads(const RunSpec& s, bool with_gil) {
  // The eval loop tests for uncounted objects only in runtimes that have them.
  return s.immortal || s.deferred ? run_threads<P, true, Ticks>(s, with_gil) : run_threads<P, false, Ticks>(s, with_gil);
}

RunResult serial(const RunSpec& s) {
  RunSpec one = s;
  one.workers = 1;
  return threads<rc::Plain>(one, false);
}

RunResult gil(const RunSpec& s) {
  return s.gil.mode == "old" ? threads<rc::Plain, true>(s, true) : threads<rc::Plain>(s, true);
}

RunResult refcount_lock(const RunSpec& s) {
  if (s.lock_kind == "mutex") return threads<rc::MutexPerObject>(s, false);
  if (s.lock_kind == "spinlock") return threads<rc::SpinPerObject>(s, false);
  if (s.lock_kind == "striped-mutex") return threads<rc::MutexStriped>(s, false);
  if (s.lock_kind == "striped-spinlock") return threads<rc::SpinStriped>(s, false);
  throw std::invalid_argument("unknown lock_kind " + s.lock_kind);
}

RunResult refcount_lock_counted(const RunSpec& s) {
  RunResult r = refcount_lock(s);
  r.lock_acquires = r.refcount_ops;  // one lock taken per refcount operation
  return r;
}

RunResult race(const RunSpec& s) { return threads<rc::Race>(s, false); }
RunResult atomic(const RunSpec& s) { return threads<rc::Atomic>(s, false); }
RunResult cas(const RunSpec& s) { return threads<rc::Cas>(s, false); }
RunResult biased(const RunSpec& s) { return threads<rc::Biased>(s, false); }
RunResult biased_unlocked(const RunSpec& s) {
  // Its lists have no lock, so two threads sharing one could corrupt it: the plan never asks.
  if (s.workers != 1) throw std::logic_error("biased-unlocked runs on one thread only");
  return threads<rc::BiasedUnlocked>(s, false);
}
RunResult interpreters(const RunSpec& s) {
  return s.immortal || s.deferred ? run_interpreters<true>(s) : run_interpreters<false>(s);
}
RunResult processes(const RunSpec& s) { return s.immortal || s.deferred ? run_processes<true>(s) : run_processes<false>(s); }

std::deque<Strategy>& registry() {
  static std::deque<Strategy> all{
      {.name = "serial", .description = "one thread runs every task; plain refcounts (the baseline)", .run = serial},
      {.name = "gil", .description = "N threads under one global interpreter lock; plain refcounts", .parallel = true,
       .uses_gil = true, .run = gil},
      {.name = "race", .description = "N threads, plain unsynchronised refcounts: counts lost updates (unsafe)",
       .parallel = true, .run = race, .cost = 1.5, .locks_containers = true},
      {.name = "refcount-lock", .description = "N threads, a lock taken for every incref and decref", .parallel = true,
       .uses_lock_kind = true, .run = refcount_lock_counted, .cost = 2.5, .locks_containers = true},
      {.name = "atomic", .description = "N threads, atomic fetch_add/fetch_sub refcounts", .parallel = true, .run = atomic,
       .cost = 1.5, .locks_containers = true},
      {.name = "cas", .description = "N threads, compare-and-swap refcounts; every retry counted", .parallel = true,
       .run = cas, .cost = 2.0, .counts_cas = true, .locks_containers = true},
      {.name = "biased", .description = "N threads, biased refcounts: owner plain, others atomic (PEP 703)",
       .parallel = true, .run = biased, .cost = 1.5, .counts_biased = true, .locks_containers = true},
      {.name = "biased-unlocked",
       .description = "one thread, biased refcounts, lists without their locks: prices the per-object locks",
       .parallel = true, .run = biased_unlocked, .cost = 1.5, .counts_biased = true, .max_workers = 1},
      {.name = "processes", .description = "N forked processes, one interpreter each; plain refcounts", .parallel = true,
       .run = processes},
      {.name = "interpreters",
       .description = "N threads, an interpreter each with its own objects and GIL (PEP 684); plain refcounts",
       .parallel = true, .run = interpreters, .times_startup = true},
  };
  return all;
}

}  // namespace

const std::deque<Strategy>& strategies() { return registry(); }

void register_strategy(Strategy s) {
  if (find_strategy(s.name)) throw std::logic_error("strategy registered twice: " + s.name);
  registry().push_back(std::move(s));
}

const Strategy* find_strategy(const std::string& name) {
  for (const Strategy& s : strategies())
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace gillab
