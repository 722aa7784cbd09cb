#include "strategy.hpp"

#include <stdexcept>

#include "strategies/runs.hpp"

namespace gillab {

namespace {

std::deque<Strategy>& registry() {
  static std::deque<Strategy> all{
      {.name = "serial", .description = "one thread runs every task; plain refcounts (the baseline)", .run = runs::serial},
      {.name = "gil", .description = "N threads under one global interpreter lock; plain refcounts", .parallel = true,
       .uses_gil = true, .run = runs::gil},
      {.name = "race", .description = "N threads, plain unsynchronised refcounts: counts lost updates (unsafe)",
       .parallel = true, .run = runs::race, .cost = 1.5, .locks_containers = true},
      {.name = "refcount-lock", .description = "N threads, a lock taken for every incref and decref", .parallel = true,
       .uses_lock_kind = true, .run = runs::refcount_lock, .cost = 2.5, .locks_containers = true},
      {.name = "atomic", .description = "N threads, atomic fetch_add/fetch_sub refcounts", .parallel = true, .run = runs::atomic,
       .cost = 1.5, .locks_containers = true},
      {.name = "cas", .description = "N threads, compare-and-swap refcounts; every retry counted", .parallel = true,
       .run = runs::cas, .cost = 2.0, .counts_cas = true, .locks_containers = true},
      {.name = "biased", .description = "N threads, biased refcounts: owner plain, others atomic (PEP 703)",
       .parallel = true, .run = runs::biased, .cost = 1.5, .counts_biased = true, .locks_containers = true},
      {.name = "biased-unlocked",
       .description = "one thread, biased refcounts, lists without their locks: prices the per-object locks",
       .parallel = true, .run = runs::biased_unlocked, .cost = 1.5, .counts_biased = true, .max_workers = 1},
      {.name = "processes", .description = "N forked processes, one interpreter each; plain refcounts", .parallel = true,
       .run = runs::processes},
      {.name = "interpreters",
       .description = "N threads, an interpreter each with its own objects and GIL (PEP 684); plain refcounts",
       .parallel = true, .run = runs::interpreters, .times_startup = true},
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
