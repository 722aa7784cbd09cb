// C2 and C5: threads under one interpreter lock are no faster than the loop; processes on the
// same machine, in the same rounds, show that it could have run them at once.
#include "claim.hpp"
#include "experiment.hpp"
#include "gil.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(gil, {.name = "gil",
                        .claim = "C2/C5: threads under the GIL take as long as the serial loop",
                        .strategies = {"serial", "gil", "processes"},
                        .workload = "pow",
                        .metrics = {"speedup", "gil_switches", "lock_contended", "gil_wait_s"}});

GILLAB_CLAIM(c2, {.id = "C2",
                  .text = "threads under the GIL are no faster than the loop",
                  .anchor = "Beazley: new GIL 2 threads +3.5%, 4 threads +7%; old GIL (Python 2.6, 4 cores) 2 threads "
                            "15.4 s vs 7.8 s serial (1.97x)",
                  .rule = "speedup of 2 and of 4 GIL threads at most 1.05, given that 2 processes reach a speedup of at "
                          "least 1.5 in the same rounds (the machine ran 2 workers at once)",
                  .reads = {"gil"},
                  .evaluate = [](const ResultSet& r) {
                    auto gil = [&](const char* w, const char* mode) {
                      ResultSet::Match m{{"strategy", "gil"}, {"workers", w}, {"gil_mode", mode}};
                      if (std::string(mode) == "new") m["switch_interval_us"] = std::to_string(kDefaultSwitchIntervalUs);
                      return r.get("gil", m, "speedup");
                    };
                    Estimate g2 = gil("2", "new"), g4 = gil("4", "new"), old2 = gil("2", "old");
                    Estimate p2 = r.get("gil", {{"strategy", "processes"}, {"workers", "2"}}, "speedup");
                    auto fair = [&](const char* mode) {
                      ResultSet::Match m{{"strategy", "gil"}, {"workers", "2"}, {"gil_mode", mode}};
                      if (std::string(mode) == "new") m["switch_interval_us"] = std::to_string(kDefaultSwitchIntervalUs);
                      return show(r.get("gil", m, "gil_fairness"));
                    };
                    return ClaimOutcome{"speedup: 2 threads " + show(g2) + ", 4 threads " + show(g4) +
                                            "; 2 processes " + show(p2) + "; pre-3.2 GIL, 2 threads, time vs serial " +
                                            show(inverse(old2)) + "x; fairness of the acquisitions (Jain), 2 threads: " +
                                            fair("new") + " new, " + fair("old") + " old — `configs/gil.yaml`",
                                        given(at_least(p2, 1.5), all_of({at_most(g2, 1.05), at_most(g4, 1.05)}))};
                  }});
