#pragma once
// The machine as hwloc sees it (packages, physical cores, PUs) and the binding of workers to it.
#include <hwloc.h>

#include <mutex>
#include <string>
#include <vector>

#include "config.hpp"

namespace gillab {

class Topology {
 public:
  Topology();
  ~Topology();
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  int packages() const { return packages_; }
  int cores() const { return static_cast<int>(core_pus_.size()); }
  int pus() const { return static_cast<int>(pus_.size()); }
  const std::string& cpu_model() const { return cpu_model_; }
  // The data and unified caches, e.g. "L1d 32 KiB x 2", "L3 32768 KiB x 1".
  std::vector<std::string> caches() const;

  // The OS index of the PU that worker i is bound to under `pin` (-1 for none): workers go
  // round-robin over physical cores (their first PU) or over PUs, so more workers than cores
  // share them and run unchanged on any machine.
  int pu_for(int worker, PinMode pin) const;

  // Binds the calling thread, or the whole calling process, to worker i's PU. Returns the PU
  // or -1 (no pinning, or the OS refused: `error()` says why).
  int bind_thread(int worker, PinMode pin);
  int bind_process(int worker, PinMode pin);
  std::string error() const;  // the last binding failure: workers bind at once, so it is locked

  // How many workers the machine can run at once under `pin` (cores, or PUs).
  int capacity(PinMode pin) const { return pin == PinMode::Pus ? pus() : cores(); }

 private:
  int bind(int worker, PinMode pin, int flags);

  hwloc_topology_t topo_{};
  int packages_ = 0;
  std::vector<int> core_pus_;  // first PU (OS index) of each physical core, in hwloc order
  std::vector<int> pus_;       // every PU's OS index
  std::string cpu_model_;
  mutable std::mutex error_mutex_;
  std::string error_;
};

}  // namespace gillab
