// C1: four slow calls in a loop use one core.
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(serial, {.name = "serial",
                           .claim = "C1: the slow calls in a loop run one after another on one core",
                           .strategies = {"serial"},
                           .workload = "pow",
                           .metrics = {"wall_s", "cpu_s", "cpus", "mbytecodes_per_s"}});
