// The model beside free-threaded CPython (PEP 703, built by `make cpython` from one source with
// and without the GIL): what free-threading costs one thread, and what two threads gain, in
// CPython and in the model's mechanisms (biased counts, immortal objects, deferred counts),
// beside per-interpreter GILs and processes.
#include "claim.hpp"
#include "experiment.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(freethreading, {.name = "freethreading",
                                  .claim = "the model's biased + immortal + deferred beside free-threaded CPython",
                                  .strategies = {"serial", "gil", "biased", "interpreters", "processes"},
                                  .workload = "pow",
                                  .metrics = {"speedup", "implementation", "python", "gil_enabled"}});

namespace {
// The model's free-threading: biased counts with immortal shared objects and deferred references.
Estimate model_time(const ResultSet& r, const char* workers) {
  return inverse(r.get("freethreading", {{"implementation", "gillab"}, {"strategy", "biased"}, {"workers", workers},
                                         {"immortal", "1"}, {"deferred", "1"}, {"workload", "pow"}},
                       "speedup"));
}
// The free-threaded build (gil_enabled 0): its serial against the GIL build of the same source,
// its threads against its own serial.
Estimate cpython_ft_time(const ResultSet& r, const char* strategy, const char* workers) {
  return inverse(r.get("freethreading", {{"implementation", "cpython"}, {"gil_enabled", "0"}, {"strategy", strategy},
                                         {"workers", workers}, {"workload", "pow"}},
                       "speedup"));
}
// Said where the free-threaded build is missing from the results.
std::string no_build(const Estimate& ft) { return measured(ft) ? "" : " (no free-threaded build: `make cpython`)"; }
const char* kAnchor =
    "PEP 703: 5-8% on one thread (pyperformance); free-threading HOWTO: 3.13t about 40% slower on one thread, 3.14t "
    "5-10%; a 3.13.5t built from source on a 2-core EPYC VM: pow 11% slower on one thread, 2 threads 0.50 of serial time";
}  // namespace

GILLAB_CLAIM(a8, {.id = "A8",
                  .text = "the model's biased counts cost one thread what free-threading costs CPython's",
                  .anchor = kAnchor,
                  .rule = "pow, one thread: the model's time ratio (biased with immortal and deferred objects, against "
                          "serial with the same) over CPython's (the free-threaded build against the GIL build of the "
                          "same source) within [0.9, 1.1]",
                  .reads = {"freethreading"},
                  .needs_free_threaded_cpython = true,
                  .evaluate = [](const ResultSet& r) {
                    const Estimate model = model_time(r, "1"), ft = cpython_ft_time(r, "serial", "1");
                    const Estimate q = ratio(model, ft);
                    return ClaimOutcome{"one thread, time vs its baseline: model " + show(model) + ", CPython free-threaded " +
                                            show(ft) + no_build(ft) + "; model / CPython " + show(q) +
                                            " — `configs/freethreading.yaml`",
                                        within(q, 0.9, 1.1)};
                  }});

GILLAB_CLAIM(a9, {.id = "A9",
                  .text = "the model's biased threads scale as free-threaded CPython's",
                  .anchor = kAnchor,
                  .rule = "pow, 2 threads, time against each one's own serial: the model's (biased, immortal, deferred) "
                          "over free-threaded CPython's within [0.9, 1.1]",
                  .reads = {"freethreading"},
                  .needs_free_threaded_cpython = true,
                  .evaluate = [](const ResultSet& r) {
                    const Estimate model = model_time(r, "2"), ft = cpython_ft_time(r, "threads", "2");
                    const Estimate q = ratio(model, ft);
                    return ClaimOutcome{"2 threads, time vs own serial: model " + show(model) + ", CPython free-threaded " +
                                            show(ft) + no_build(ft) + "; model / CPython " + show(q) +
                                            " — `configs/freethreading.yaml`",
                                        within(q, 0.9, 1.1)};
                  }});
