// Beyond the essay: biased reference counting (PEP 703, Choi et al. PACT'18), with and without
// immortal shared objects (PEP 683).
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(biased, {.name = "biased",
                           .claim = "biased refcounts with immortal shared objects scale like processes",
                           .strategies = {"serial", "biased", "atomic", "processes"},
                           .workload = "pow",
                           .metrics = {"speedup", "efficiency", "biased_merges"}});
