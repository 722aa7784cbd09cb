// Beyond the essay: biased reference counting (PEP 703, Choi et al. PACT'18), with and without
// immortal shared objects (PEP 683).
#include "claim.hpp"
#include "experiment.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(biased, {.name = "biased",
                           .claim = "biased refcounts with immortal shared objects scale like processes",
                           .strategies = {"serial", "biased", "atomic", "processes"},
                           .workload = "pow",
                           .metrics = {"speedup", "efficiency", "biased_merges"}});

GILLAB_CLAIM(a4, {.id = "A4",
                  .text = "biased refcounts with immortal objects run threads in parallel",
                  .anchor = "free-threaded CPython 3.13t: 2 threads took 0.50-0.53 of serial time (speedup 1.9-2.0)",
                  .rule = "2 threads on pow reach a speedup (against serial with immortal objects) of at least 0.9 of "
                          "the machine's measured capacity for 2 workers",
                  .reads = {"biased"},
                  .evaluate = [](const ResultSet& r) {
                    auto at = [&](const char* imm) {
                      return r.get("biased", {{"strategy", "biased"}, {"workers", "2"}, {"immortal", imm}, {"workload", "pow"}},
                                   "speedup");
                    };
                    const double cap = r.value("biased", {{"strategy", "biased"}, {"workers", "2"}, {"immortal", "1"}, {"workload", "pow"}},
                                               "capacity");
                    Estimate with = at("1");
                    char c[32];
                    std::snprintf(c, sizeof c, "%.2f", cap);
                    return ClaimOutcome{"2 threads on pow: speedup " + show(with) + " with immortal shared objects, " +
                                            show(at("0")) + " without (machine capacity " + c + ") — `configs/biased.yaml`",
                                        std::isfinite(cap) ? at_least(with, 0.9 * cap) : Verdict::NotMeasured};
                  }});

GILLAB_CLAIM(a7, {.id = "A7",
                  .text = "objects dropped by a thread that does not own them go back to their owner",
                  .anchor = "PEP 703: a non-owner that takes the shared count to zero queues the object to its owner, "
                            "which merges the counts at its next eval-breaker check",
                  .rule = "handoff workload, 2 threads, biased counts: the interval of the median number of objects "
                          "queued to their owners per run is at least 1, and every run's answers and counts are exact "
                          "(no lost update, no failed run)",
                  .reads = {"biased"},
                  .evaluate = [](const ResultSet& r) {
                    ResultSet::Match m{{"strategy", "biased"}, {"workers", "2"}, {"immortal", "1"}, {"workload", "handoff"}};
                    Estimate queued = r.get("biased", m, "biased_queued");
                    const double runs = r.value("biased", m, "runs"), ok = r.value("biased", m, "runs_ok");
                    const double lost = r.value("biased", m, "lost_updates_max");
                    Verdict exact = !std::isfinite(runs) ? Verdict::NotMeasured
                                    : runs == ok && lost == 0 ? Verdict::Holds : Verdict::DoesNotHold;
                    char c[96];
                    std::snprintf(c, sizeof c, "%.0f merges a run (median); %.0f of %.0f runs exact",
                                  r.value("biased", m, "biased_merges_median"), ok, runs);
                    return ClaimOutcome{"handoff, 2 threads: " + show(queued, "%.0f") + " objects queued to their owner a run, " +
                                            c + " — `configs/biased.yaml`",
                                        all_of({at_least(queued, 1), exact})};
                  }});
