#pragma once
// What the GIL did, per worker: the observer (interpreter/gil.hpp) that counts acquisitions,
// contended acquisitions, switches and waiting time where they happen, and, when a timeline is
// kept, records every hold. Each worker writes only its own slot, on its own thread.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gil.hpp"
#include "timeline.hpp"

namespace gillab {

struct GilWorkerStats {
  uint64_t acquires = 0;
  uint64_t switches_in = 0;  // acquisitions that took the lock from another thread
  uint64_t contended = 0;    // acquisitions that found it held and waited
  double wait_s = 0;
};

class GilStats final : public GilObserver {
 public:
  GilStats(int workers, Timeline* timeline) : per_worker_(static_cast<size_t>(workers)), timeline_(timeline) {}

  void taken(int worker, bool waited, double wait_s, bool switched) override {
    Slot& s = per_worker_[static_cast<size_t>(worker)];
    s.stats.acquires += 1;
    s.stats.contended += waited;
    s.stats.switches_in += switched;
    s.stats.wait_s += wait_s;
    if (timeline_) s.held_since = std::chrono::steady_clock::now();
  }
  void dropping(int worker) override {
    if (!timeline_) return;
    Slot& s = per_worker_[static_cast<size_t>(worker)];
    timeline_->add(Interval{Interval::Kind::GilHold, worker, -1, sched_getcpu(), timeline_->since(s.held_since), timeline_->now()});
  }

  GilWorkerStats worker(int w) const { return per_worker_[static_cast<size_t>(w)].stats; }
  int workers() const { return static_cast<int>(per_worker_.size()); }
  GilWorkerStats total() const {
    GilWorkerStats t;
    for (const Slot& s : per_worker_) {
      t.acquires += s.stats.acquires;
      t.switches_in += s.stats.switches_in;
      t.contended += s.stats.contended;
      t.wait_s += s.stats.wait_s;
    }
    return t;
  }

 private:
  struct alignas(64) Slot {  // a cache line each: workers do not share their counters
    GilWorkerStats stats;
    std::chrono::steady_clock::time_point held_since;
  };
  std::vector<Slot> per_worker_;
  Timeline* timeline_;
};

// Jain's fairness index of per-worker shares: 1 when all are equal, 1/n when one worker has
// everything. Blank (NaN) with no worker or nothing shared.
inline double jain_index(const std::vector<double>& x) {
  double sum = 0, sq = 0;
  for (double v : x) {
    sum += v;
    sq += v * v;
  }
  return x.empty() || sq == 0 ? NAN : sum * sum / (static_cast<double>(x.size()) * sq);
}

}  // namespace gillab
