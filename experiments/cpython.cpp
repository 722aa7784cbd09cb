// How well the model holds against real CPython: the same tasks, serial, in threads and in
// processes, on gillab and on the machine's python3 (or `python = PATH`, e.g. python3.13t).
#include "claim.hpp"
#include "experiment.hpp"
#include "gil.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(cpython, {.name = "cpython",
                            .claim = "the model's threads/serial and processes/serial ratios beside real CPython's",
                            .strategies = {"serial", "gil", "biased", "processes"},
                            .workload = "pow",
                            .metrics = {"speedup", "implementation"}});

GILLAB_CLAIM(a6, {.id = "A6",
                  .text = "the model's ratios stand within 10% of CPython's",
                  .anchor = "—",
                  .rule = "2 workers, time vs each implementation's own serial loop: gillab's / CPython's within [0.9, "
                          "1.1] for threads under the GIL (5 ms switch interval) and for processes; the ratio's interval "
                          "combines the two independent intervals (their log half-widths in quadrature)",
                  .reads = {"cpython"},
                  .evaluate = [](const ResultSet& r) {
                    auto time = [&](const char* impl, const char* st) {
                      ResultSet::Match m{{"implementation", impl}, {"strategy", st}, {"workers", "2"}};
                      if (std::string(st) == "gil" || std::string(st) == "threads") m["switch_interval_us"] = std::to_string(kDefaultSwitchIntervalUs);
                      return inverse(r.get("cpython", m, "speedup"));
                    };
                    // CPython's threads are rows of their own (strategy `threads`).
                    Estimate th = ratio(time("gillab", "gil"), time("cpython", "threads"));
                    Estimate pr = ratio(time("gillab", "processes"), time("cpython", "processes"));
                    return ClaimOutcome{"2 workers, gillab / CPython time ratio: threads " + show(th) + ", processes " +
                                            show(pr) + " — `configs/cpython.yaml`",
                                        all_of({within(th, 0.9, 1.1), within(pr, 0.9, 1.1)})};
                  }});
