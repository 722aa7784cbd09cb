// C3: unsynchronised refcounts lose updates (the essay's figure 2); the safe ones lose none.
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(race, {.name = "race",
                         .claim = "C3: plain refcounts updated by two threads at once lose updates",
                         .strategies = {"race", "atomic", "cas", "biased", "refcount-lock", "gil"},
                         .workload = "shared",
                         .metrics = {"lost_updates", "premature_zero", "result_ok"}});
