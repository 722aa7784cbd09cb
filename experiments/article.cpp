// The essay's own scenario (figure 1): four calls of the slow function, in a loop, in four
// threads under the GIL, and in four processes.
#include "claim.hpp"
#include "experiment.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(article, {.name = "article",
                            .claim = "C1/C2/C7: four slow calls: a loop, four GIL threads, four processes",
                            .strategies = {"serial", "gil", "processes"},
                            .workload = "pow",
                            .metrics = {"speedup", "cpus", "gil_switches"}});

GILLAB_CLAIM(c1, {.id = "C1",
                  .text = "four slow calls in a loop use one core",
                  .anchor = "—",
                  .rule = "CPU time / wall time of the serial loop at most 1.1 (one core busy), given that the same "
                          "measure reads at least 1.5 for 4 processes on this machine (it can see several cores busy)",
                  .reads = {"article"},
                  .evaluate = [](const ResultSet& r) {
                    Estimate loop = r.get("article", {{"strategy", "serial"}, {"immortal", "0"}}, "cpu_util");
                    Estimate procs = r.get("article", {{"strategy", "processes"}, {"workers", "4"}}, "cpu_util");
                    Verdict one_core = at_most(loop, 1.1);
                    return ClaimOutcome{
                        "CPU/wall: serial loop " + show(loop) + ", 4 processes " + show(procs) + " — `configs/article.yaml`",
                        one_core == Verdict::DoesNotHold ? one_core : given(at_least(procs, 1.5), one_core)};
                  }});
