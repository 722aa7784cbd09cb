#pragma once
// The machine as hwloc sees it (packages, physical cores, PUs) and the binding of workers to it.
#include <hwloc.h>

#include <mutex>
#include <string>
#include <vector>

#include "pin_mode.hpp"

namespace gillab {

// Worker order (the documented one): worker i goes to the i-th physical core in hwloc's logical
// order, which fills package 0 (its NUMA nodes in turn) before package 1. With `pin: pus` the
// first PU of every core comes first, then every core's second PU (its SMT sibling), and so
// on: distinct physical cores are used before any sibling. More workers than slots wrap round.
class Topology {
 public:
  // This machine; or, from an hwloc synthetic description ("package:2 core:16 pu:2"), a machine
  // on paper that can be planned (--dry-run) but never bound to. Throws std::invalid_argument
  // for a description hwloc refuses.
  explicit Topology(const std::string& description = "");
  ~Topology();
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  bool synthetic() const { return !synthetic_desc_.empty(); }
  int packages() const { return packages_; }
  int numa_nodes() const { return numa_nodes_; }
  int cores() const { return static_cast<int>(core_pus_.size()); }
  int pus() const { return static_cast<int>(pus_.size()); }
  const std::string& cpu_model() const { return cpu_model_; }
  // The data and unified caches, e.g. "L1d 32 KiB x 2", "L3 32768 KiB x 1".
  std::vector<std::string> caches() const;

  // The OS index of the PU that worker i is bound to under `pin` (-1 for none).
  int pu_for(int worker, PinMode pin) const;
  // Where a PU sits (logical indexes); all -1 for pu < 0.
  struct Place {
    int core = -1, package = -1, numa = -1;
  };
  Place place_of(int pu) const;

  // Binds the calling thread, or the whole calling process, to worker i's PU. Returns the PU
  // or -1 (no pinning, a synthetic topology, or the OS refused: `error()` says why).
  int bind_thread(int worker, PinMode pin);
  int bind_process(int worker, PinMode pin);
  std::string error() const;  // the last binding failure: workers bind at once, so it is locked

  // How many workers the machine can run at once under `pin` (cores, or PUs).
  int capacity(PinMode pin) const { return pin == PinMode::Pus ? pus() : cores(); }

 private:
  int bind(int worker, PinMode pin, int flags);

  hwloc_topology_t topo_{};
  std::string synthetic_desc_;
  int packages_ = 0, numa_nodes_ = 0;
  std::vector<int> core_pus_;  // first PU (OS index) of each physical core, in hwloc order
  std::vector<int> pus_;       // every PU's OS index, distinct cores first (see the class comment)
  std::string cpu_model_;
  mutable std::mutex error_mutex_;
  std::string error_;
};

}  // namespace gillab
