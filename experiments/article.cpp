// The essay's own scenario (figure 1): four calls of the slow function, in a loop, in four
// threads under the GIL, and in four processes.
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(article, {.name = "article",
                            .claim = "C1/C2/C7: four slow calls: a loop, four GIL threads, four processes",
                            .strategies = {"serial", "gil", "processes"},
                            .workload = "pow",
                            .metrics = {"speedup", "cpus", "gil_switches"}});
