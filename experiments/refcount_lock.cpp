// C4: a lock on every refcount (figure 3) is correct but very slow; C5: one lock on the whole
// interpreter is cheaper on one thread, but serialises.
#include "claim.hpp"
#include "experiment.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(refcount_lock, {.name = "refcount-lock",
                                  .claim = "C4: a lock around every incref and decref is correct but slow",
                                  .strategies = {"serial", "gil", "refcount-lock"},
                                  .workload = "pow",
                                  .metrics = {"speedup", "lock_acquires", "lock_contended"}});

namespace {
Estimate one_thread_time(const ResultSet& r, const char* strategy, const char* kind) {
  ResultSet::Match m{{"strategy", strategy}, {"workers", "1"}};
  if (kind) m["lock_kind"] = kind;
  return inverse(r.get("refcount-lock", m, "speedup"));
}
}  // namespace

GILLAB_CLAIM(c4, {.id = "C4",
                  .text = "a lock per refcount is correct but very slow (figure 3)",
                  .anchor = "Greg Stein's 1999 patch: about 2x slower; Gilectomy's mutex around incref/decref: 4-7x slower",
                  .rule = "one thread with a mutex in every object takes at least 1.5x the serial time",
                  .reads = {"refcount-lock"},
                  .evaluate = [](const ResultSet& r) {
                    Estimate m = one_thread_time(r, "refcount-lock", "mutex");
                    return ClaimOutcome{"one thread, time vs serial: mutex " + show(m) + "x, spinlock " +
                                            show(one_thread_time(r, "refcount-lock", "spinlock")) + "x, striped mutex " +
                                            show(one_thread_time(r, "refcount-lock", "striped-mutex")) + "x, striped spinlock " +
                                            show(one_thread_time(r, "refcount-lock", "striped-spinlock")) +
                                            "x — `configs/refcount-lock.yaml`",
                                        at_least(m, 1.5)};
                  }});

GILLAB_CLAIM(c5, {.id = "C5",
                  .text = "one interpreter lock is faster than a lock per refcount, but serialises",
                  .anchor = "—",
                  .rule = "one thread: the GIL's time interval wholly below the per-object mutex's; and 4 GIL threads "
                          "reach a speedup of at most 1.1",
                  .reads = {"refcount-lock"},
                  .evaluate = [](const ResultSet& r) {
                    Estimate g1 = one_thread_time(r, "gil", nullptr), m1 = one_thread_time(r, "refcount-lock", "mutex");
                    Estimate g4 = r.get("refcount-lock", {{"strategy", "gil"}, {"workers", "4"}}, "speedup");
                    return ClaimOutcome{"one thread, time vs serial: GIL " + show(g1) + "x, refcount mutex " + show(m1) +
                                            "x; GIL speedup with 4 threads " + show(g4) + " — `configs/refcount-lock.yaml`",
                                        all_of({below(g1, m1), at_most(g4, 1.1)})};
                  }});
