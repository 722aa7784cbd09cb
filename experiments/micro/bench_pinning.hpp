#pragma once
// Benchmark threads are pinned as the harness pins workers: thread i to physical core i
// (round-robin when there are more threads than cores).
#include "topology.hpp"

namespace gillab {

inline void pin_benchmark_thread(int index) {
  static Topology topo;  // loaded once, before any benchmark thread needs it (first call)
  thread_local int pinned = -1;
  if (pinned != index) pinned = topo.bind_thread(index, PinMode::Cores) >= 0 ? index : -2;
}

}  // namespace gillab
