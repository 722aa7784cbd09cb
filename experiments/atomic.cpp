// Beyond the essay: atomic refcounts, as the Gilectomy did.
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(atomic, {.name = "atomic",
                           .claim = "atomic fetch-add refcounts: correct without a lock, at a price per operation",
                           .strategies = {"serial", "atomic"},
                           .workload = "pow",
                           .metrics = {"speedup", "efficiency"}});
