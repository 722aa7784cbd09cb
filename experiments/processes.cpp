// C7: processes give real parallelism.
#include "claim.hpp"
#include "experiment.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(processes, {.name = "processes",
                              .claim = "C7: processes, one interpreter each, run in parallel",
                              .strategies = {"serial", "processes"},
                              .workload = "pow",
                              .metrics = {"speedup", "efficiency", "cpus"}});

GILLAB_CLAIM(c7, {.id = "C7",
                  .text = "processes give real parallelism",
                  .anchor = "PEP 703: a spawned process starts in about 50 ms",
                  .rule = "2 processes reach a speedup of at least 0.8 of what the machine can do with 2 workers (its "
                          "capacity, measured with a native kernel before the run)",
                  .reads = {"processes"},
                  .evaluate = [](const ResultSet& r) {
                    ResultSet::Match m{{"strategy", "processes"}, {"workers", "2"}};
                    Estimate s2 = r.get("processes", m, "speedup");
                    const double cap = r.value("processes", m, "capacity");
                    char c[32];
                    std::snprintf(c, sizeof c, "%.2f", cap);
                    return ClaimOutcome{"2 processes: speedup " + show(s2) + " (machine capacity " + c +
                                            ", efficiency vs capacity " + show(r.get("processes", m, "efficiency_vs_capacity")) +
                                            ") — `configs/processes.yaml`",
                                        std::isfinite(cap) ? at_least(s2, 0.8 * cap) : Verdict::NotMeasured};
                  }});
