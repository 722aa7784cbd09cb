// C7: processes give real parallelism.
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(processes, {.name = "processes",
                              .claim = "C7: processes, one interpreter each, run in parallel",
                              .strategies = {"serial", "processes"},
                              .workload = "pow",
                              .metrics = {"speedup", "efficiency", "cpus"}});
