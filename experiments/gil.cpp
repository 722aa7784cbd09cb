// C2 and C5: threads under one interpreter lock are no faster than the loop.
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(gil, {.name = "gil",
                        .claim = "C2/C5: threads under the GIL take as long as the serial loop",
                        .strategies = {"serial", "gil"},
                        .workload = "pow",
                        .metrics = {"speedup", "gil_switches", "lock_contended", "gil_wait_s"}});
