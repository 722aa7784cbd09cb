// Figure `ftscaling`, after CPython's Tools/ftscalingbench: small loops (a module-level function
// called, a module global read, arithmetic on a constant, an object made per iteration), each
// mechanism's speedup beside CPython's GIL and free-threaded builds on the same loops.
#include "experiment.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(ftscaling, {.name = "ftscaling",
                              .claim = "which mechanism buys how much scaling on ftscalingbench's loops",
                              .strategies = {"serial", "gil", "atomic", "biased", "interpreters", "processes"},
                              .workload = "pyfunction",
                              .metrics = {"speedup", "implementation", "python", "gil_enabled"}});
