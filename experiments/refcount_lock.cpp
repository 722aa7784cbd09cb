// C4: a lock on every refcount (figure 3) is correct but very slow.
#include "experiment.hpp"
using gillab::Experiment;
GILLAB_EXPERIMENT(refcount_lock, {.name = "refcount-lock",
                                  .claim = "C4: a lock around every incref and decref is correct but slow",
                                  .strategies = {"serial", "gil", "refcount-lock"},
                                  .workload = "pow",
                                  .metrics = {"speedup", "lock_acquires", "lock_contended"}});
