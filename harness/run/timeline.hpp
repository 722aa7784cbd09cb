#pragma once
// Who ran what, on which CPU, when: intervals per worker, for figure 1 and the timeline CSVs.
// Each worker appends to its own vector, so recording takes no lock.
#include <sched.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace gillab {

struct Interval {
  enum class Kind : uint8_t { Task, GilHold };
  Kind kind;
  int worker;
  int task;  // -1 for a GIL hold
  int cpu;   // sched_getcpu() when it began
  double t0, t1;  // seconds since the run's start
};

inline const char* kind_name(Interval::Kind k) { return k == Interval::Kind::Task ? "task" : "gil"; }

class Timeline {
 public:
  static constexpr size_t kMaxPerWorker = 200000;  // a cap, so a long run cannot eat memory

  Timeline(int workers, std::chrono::steady_clock::time_point epoch)
      : epoch_(epoch), per_worker_(static_cast<size_t>(workers)) {}

  void set_epoch(std::chrono::steady_clock::time_point epoch) { epoch_ = epoch; }
  double now() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_).count();
  }
  double since(std::chrono::steady_clock::time_point t) const {
    return std::chrono::duration<double>(t - epoch_).count();
  }
  void add(const Interval& iv) {
    auto& v = per_worker_[static_cast<size_t>(iv.worker)];
    if (v.size() < kMaxPerWorker) v.push_back(iv);
  }
  std::vector<Interval> all() const {
    std::vector<Interval> out;
    for (auto& v : per_worker_) out.insert(out.end(), v.begin(), v.end());
    return out;
  }

 private:
  std::chrono::steady_clock::time_point epoch_;
  std::vector<std::vector<Interval>> per_worker_;
};

}  // namespace gillab
