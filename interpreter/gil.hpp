#pragma once
// The global interpreter lock, as CPython builds it (Python/ceval_gil.c).
//
// new (3.2+): a mutex and condition variable. A thread that wants the lock waits up to the
//   switch interval; if no switch happened meanwhile it sets the drop request in the eval
//   breaker, and the holder drops at its next check point (backward jump or call). With
//   FORCE_SWITCHING the dropper then waits until another thread has taken the lock, so it
//   cannot take it straight back.
// old (before 3.2): a plain semaphore, released and re-taken every `check_interval` bytecodes
//   with no hand-off: on a multicore the releasing thread usually wins the race to re-take it,
//   and the waiters burn wake-ups (the convoy David Beazley measured).
//
// It lives beside the eval loop, as CPython keeps it beside ceval. Statistics and timelines
// are not its business: an observer, if one is attached, is told of every acquisition (after
// the lock is held) and every release (before it is given up), so that what the observer
// records of one hold lies wholly inside it.
#include <semaphore.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "runtime.hpp"

namespace gillab {

// CPython's DEFAULT_INTERVAL (Python/ceval_gil.c): 5 ms, sys.getswitchinterval()'s default.
inline constexpr int kDefaultSwitchIntervalUs = 5000;

struct GilParams {
  std::string mode = "new";
  int switch_interval_us = kDefaultSwitchIntervalUs;
  int check_interval = 100;
};

// Told of every acquisition and release, on the thread that makes it.
class GilObserver {
 public:
  virtual ~GilObserver() = default;
  // The lock is now held by `worker`: it waited `wait_s` (0 when it found the lock free), and
  // `switched` says it took the lock from another thread.
  virtual void taken(int worker, bool waited, double wait_s, bool switched) = 0;
  virtual void dropping(int worker) = 0;  // still held
};

class Gil {
 public:
  Gil(std::atomic<uint32_t>& eval_breaker, GilParams params, GilObserver* observer = nullptr);
  ~Gil();
  Gil(const Gil&) = delete;
  Gil& operator=(const Gil&) = delete;

  void take(int worker);
  void drop(int worker);
  void on_eval_breaker(int worker);  // new GIL: drop and re-take if asked to
  void on_ticks(int worker);         // old GIL: release and re-take, no hand-off

  bool old_mode() const { return old_; }
  const GilParams& params() const { return params_; }

 private:
  void set_drop_request();
  void reset_drop_request();
  void taken(int worker, std::chrono::steady_clock::time_point asked, bool waited, bool switched);

  std::atomic<uint32_t>& breaker_;
  const GilParams params_;
  const bool old_;
  GilObserver* const observer_;

  // new mode
  std::mutex mutex_;
  std::condition_variable cond_;
  std::mutex switch_mutex_;
  std::condition_variable switch_cond_;
  bool locked_ = false;
  // Written by each new holder while it holds the lock; read relaxed by the next taker (after
  // it holds the lock) and by a dropper waiting in FORCE_SWITCHING under switch_mutex_.
  std::atomic<int> last_holder_{-1};
  uint64_t switch_number_ = 0;
  std::atomic<bool> drop_request_{false};

  // old mode
  sem_t sem_;
};

// The per-thread hooks the eval loop calls on its slow path.
class GilClient final : public Scheduler {
 public:
  GilClient(Gil& gil, int worker) : gil_(gil), worker_(worker) {}
  void on_eval_breaker() override { gil_.on_eval_breaker(worker_); }
  void on_ticks() override { gil_.on_ticks(worker_); }

 private:
  Gil& gil_;
  int worker_;
};

}  // namespace gillab
