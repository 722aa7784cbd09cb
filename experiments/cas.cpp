// C6: compare-and-swap refcounts avoid locks but retry under contention.
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(cas, {.name = "cas",
                        .claim = "C6: compare-and-swap refcounts retry, sometimes many times, under contention",
                        .strategies = {"serial", "cas", "atomic"},
                        .workload = "shared",
                        .metrics = {"cas_retries", "cas_retries_per_op", "cas_retries_max", "speedup"}});
