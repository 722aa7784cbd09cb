// C3: unsynchronised refcounts lose updates (the essay's figure 2); the safe ones lose none.
#include "claim.hpp"
#include "experiment.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(race, {.name = "race",
                         .claim = "C3: plain refcounts updated by two threads at once lose updates",
                         .strategies = {"race", "atomic", "cas", "biased", "refcount-lock", "gil"},
                         .workload = "shared",
                         .metrics = {"lost_updates", "premature_zero", "result_ok"}});

GILLAB_CLAIM(c3, {.id = "C3",
                  .text = "unsynchronised refcounts lose updates (figure 2)",
                  .anchor = "—",
                  .rule = "plain counts, 2 threads: the interval of the median lost updates per run at least 1; and no "
                          "run of any safe strategy lost one (a single lost update there is a bug, no interval needed)",
                  .reads = {"race"},
                  .evaluate = [](const ResultSet& r) {
                    Estimate lost = r.get("race", {{"strategy", "race"}, {"workers", "2"}}, "lost_updates");
                    double safe_max = NAN;
                    if (const CsvFile* t = r.table("race"))
                      for (size_t i = 0; i < t->size(); ++i)
                        if (t->at(i, "strategy") != "race" && t->at(i, "strategy") != "serial") {
                          double m = t->number(i, "lost_updates_max");
                          safe_max = std::isnan(safe_max) ? m : std::max(safe_max, m);
                        }
                    Verdict safe = std::isnan(safe_max) ? Verdict::NotMeasured
                                   : safe_max == 0      ? Verdict::Holds
                                                        : Verdict::DoesNotHold;
                    char worst[32];
                    std::snprintf(worst, sizeof worst, "%.0f", safe_max);
                    return ClaimOutcome{"plain counts, 2 threads: " + show(lost, "%.0f") +
                                            " lost updates a run (median); every safe strategy: at most " + worst +
                                            " — `configs/race.yaml`",
                                        all_of({at_least(lost, 1), safe})};
                  }});
