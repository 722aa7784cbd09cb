// The single-thread price of each strategy (figure `overhead`).
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(overhead, {.name = "overhead",
                             .claim = "single-thread cost of each strategy relative to serial",
                             .strategies = {"serial", "gil", "refcount-lock", "atomic", "cas", "biased", "processes"},
                             .workload = "pow",
                             .metrics = {"speedup", "refcount_ops", "mbytecodes_per_s"}});
