// How well the model holds against real CPython: the same tasks, serial, in threads and in
// processes, on gillab and on the machine's python3 (or `python = PATH`, e.g. python3.13t).
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(cpython, {.name = "cpython",
                            .claim = "the model's threads/serial and processes/serial ratios beside real CPython's",
                            .strategies = {"serial", "gil", "biased", "processes"},
                            .workload = "pow",
                            .metrics = {"speedup", "implementation"}});
