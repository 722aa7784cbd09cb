// Every strategy, speedup against serial as workers grow (figure `speedup`).
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(speedup, {.name = "speedup",
                            .claim = "speedup of every strategy against the serial loop",
                            .strategies = {"serial", "gil", "refcount-lock", "atomic", "cas", "biased", "processes"},
                            .workload = "pow",
                            .metrics = {"speedup", "efficiency"}});
