// Every strategy, speedup against serial as workers grow (figure `speedup`).
#include "claim.hpp"
#include "experiment.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(speedup, {.name = "speedup",
                            .claim = "speedup of every strategy against the serial loop",
                            .strategies = {"serial", "gil", "refcount-lock", "atomic", "cas", "biased", "processes"},
                            .workload = "pow",
                            .metrics = {"speedup", "efficiency"}});

GILLAB_CLAIM(a5, {.id = "A5",
                  .text = "contention on shared objects pulls threads below the ideal",
                  .anchor = "Choi et al.: most objects are touched by one thread only; shared ones pay",
                  .rule = "`shared` workload, 2 workers, immortal on: atomic refcounts reach at most 0.8 of the machine's "
                          "capacity for 2 workers, while processes on the same work reach at least 0.8 of it",
                  .reads = {"speedup"},
                  .evaluate = [](const ResultSet& r) {
                    auto at = [&](const char* st) {
                      ResultSet::Match m{{"strategy", st}, {"workers", "2"}, {"immortal", "1"}, {"workload", "shared"}};
                      if (std::string(st) == "refcount-lock") m["lock_kind"] = "mutex";
                      return r.get("speedup", m, "speedup");
                    };
                    std::string list;
                    for (const char* st : {"atomic", "cas", "biased", "refcount-lock", "processes"})
                      list += (list.empty() ? "" : ", ") + std::string(st) + " " + show(at(st));
                    const double cap = r.value("speedup", {{"strategy", "processes"}, {"workers", "2"}, {"immortal", "1"},
                                                           {"workload", "shared"}}, "capacity");
                    if (!std::isfinite(cap)) return ClaimOutcome{list, Verdict::NotMeasured};
                    return ClaimOutcome{"`shared` workload, 2 workers, immortal on, speedup: " + list +
                                            " — `configs/speedup.yaml`",
                                        given(at_least(at("processes"), 0.8 * cap), at_most(at("atomic"), 0.8 * cap))};
                  }});
