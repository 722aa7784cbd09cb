#pragma once
// What the machine can do, measured before a config runs, with no interpreter involved: a
// native CPU-bound kernel (integer mixing in registers, no memory traffic) on one thread, then
// the same work on each of N threads at once, one per core, pinned. Weak scaling, as CPython's
// Tools/ftscalingbench: capacity = N x t1 / tN. Two vCPUs that are SMT siblings of one host
// core, or a host that steals time, show up as a capacity below N; efficiency is then reported
// against N and against this capacity.
//
// The canary: the same kernel for a few milliseconds on one thread, timed once a round, so a
// round in which the machine slowed (a neighbour, a frequency drop) is flagged.
#include "pin_mode.hpp"

namespace gillab {

class Topology;

struct Capacity {
  int workers = 1;      // N: the cores under the config's pinning
  double t1_s = 0;      // one thread alone (median)
  double tn_s = 0;      // each of N threads at once (median of the slowest thread)
  double speedup = 1;   // N x t1 / tN, median over the repetitions
  int repetitions = 0;
};

Capacity measure_capacity(Topology& topo, PinMode pin, int workers, double target_s = 0.1, int repetitions = 3);

// Seconds for a fixed amount of the kernel on the calling thread (about 5 ms).
double canary_s();

}  // namespace gillab
