// C6: compare-and-swap refcounts avoid locks but retry under contention.
#include "claim.hpp"
#include "experiment.hpp"
#include "op_stats.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(cas, {.name = "cas",
                        .claim = "C6: compare-and-swap refcounts retry, sometimes many times, under contention",
                        .strategies = {"serial", "cas", "atomic"},
                        .workload = "shared",
                        .metrics = {"cas_retries", "cas_retries_per_op", "cas_retries_max", "speedup"}});

GILLAB_CLAIM(c6, {.id = "C6",
                  .text = "compare-and-swap avoids locks but can retry for a long while",
                  .anchor = "core-to-core CAS round trip 17-197 ns (nviennot/core-to-core-latency)",
                  .rule = "\"a long while\" = 16 or more retries in one operation (16 cache-line round trips, 1.6 us or "
                          "more at the ~100 ns measured: longer than blocking on a contended mutex; see OpStats::kLongRetries); "
                          "holds when, at 2 or at 4 threads on shared objects, the interval of the median number of such "
                          "operations per run is at least 1",
                  .reads = {"cas"},
                  .evaluate = [](const ResultSet& r) {
                    auto at = [&](const char* w, const char* metric) {
                      return r.get("cas", {{"strategy", "cas"}, {"workers", w}, {"immortal", "0"}}, metric);
                    };
                    auto worst = [&](const char* w) {
                      double v = r.value("cas", {{"strategy", "cas"}, {"workers", w}, {"immortal", "0"}}, "cas_retries_max_max");
                      char b[32];
                      std::snprintf(b, sizeof b, "%.0f", v);
                      return std::string(std::isfinite(v) ? b : "n/a");
                    };
                    static_assert(OpStats::kLongRetries == 16, "the rule's text names 16");
                    Estimate l2 = at("2", "cas_ops_long"), l4 = at("4", "cas_ops_long");
                    return ClaimOutcome{"2 threads: " + show(at("2", "cas_retries_per_op"), "%.4f") +
                                            " retries per operation, " + show(l2, "%.0f") +
                                            " operations a run with 16+ retries, worst " + worst("2") + "; 4 threads: " +
                                            show(at("4", "cas_retries_per_op"), "%.4f") + ", " + show(l4, "%.0f") +
                                            ", worst " + worst("4") + " — `configs/cas.yaml`",
                                        any_of({at_least(l2, 1), at_least(l4, 1)})};
                  }});
