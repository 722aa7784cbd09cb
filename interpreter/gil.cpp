#include "gil.hpp"

#include <cerrno>
#include <stdexcept>

namespace gillab {

using Clock = std::chrono::steady_clock;

Gil::Gil(std::atomic<uint32_t>& eval_breaker, GilParams params, GilObserver* observer)
    : breaker_(eval_breaker), params_(std::move(params)), old_(params_.mode == "old"), observer_(observer) {
  if (params_.mode != "new" && params_.mode != "old") throw std::invalid_argument("gil_mode must be new or old");
  if (sem_init(&sem_, 0, 1) != 0) throw std::runtime_error("sem_init failed");
}

Gil::~Gil() { sem_destroy(&sem_); }

void Gil::set_drop_request() {
  drop_request_.store(true, std::memory_order_relaxed);
  breaker_.fetch_or(kBreakDropRequest, std::memory_order_relaxed);
}

void Gil::reset_drop_request() {
  drop_request_.store(false, std::memory_order_relaxed);
  breaker_.fetch_and(~kBreakDropRequest, std::memory_order_relaxed);
}

void Gil::taken(int worker, Clock::time_point asked, bool waited, bool switched) {
  if (!observer_) return;
  // The clock is read only when the lock was contended, so that the uncontended path (the old
  // GIL's every-100-bytecodes release) is not inflated by measuring it.
  const double wait_s = waited ? std::chrono::duration<double>(Clock::now() - asked).count() : 0.0;
  observer_->taken(worker, waited, wait_s, switched);
}

void Gil::take(int worker) {
  if (old_) {
    bool waited = false;
    Clock::time_point asked{};
    if (sem_trywait(&sem_) != 0) {
      waited = true;
      asked = Clock::now();
      while (sem_wait(&sem_) != 0 && errno == EINTR) {
      }
    }
    const bool switched = last_holder_.exchange(worker, std::memory_order_relaxed) != worker;
    taken(worker, asked, waited, switched);
    return;
  }
  std::unique_lock lk(mutex_);
  const bool waited = locked_;
  const auto asked = waited ? Clock::now() : Clock::time_point{};
  while (locked_) {
    uint64_t saved_switchnum = switch_number_;
    bool timed_out = cond_.wait_for(lk, std::chrono::microseconds(params_.switch_interval_us)) ==
                     std::cv_status::timeout;
    // Timed out and nobody switched meanwhile: ask the holder to drop it.
    if (timed_out && locked_ && switch_number_ == saved_switchnum) set_drop_request();
  }
  bool switched = false;
  {
    std::lock_guard sw(switch_mutex_);  // FORCE_SWITCHING
    locked_ = true;
    if (last_holder_.load(std::memory_order_relaxed) != worker) {
      last_holder_.store(worker, std::memory_order_relaxed);
      ++switch_number_;
      switched = true;
    }
    switch_cond_.notify_all();
  }
  if (drop_request_.load(std::memory_order_relaxed)) reset_drop_request();
  lk.unlock();
  taken(worker, asked, waited, switched);
}

void Gil::drop(int worker) {
  if (observer_) observer_->dropping(worker);
  if (old_) {
    sem_post(&sem_);
    return;
  }
  {
    std::lock_guard lk(mutex_);
    locked_ = false;
    cond_.notify_one();
  }
  if (drop_request_.load(std::memory_order_relaxed)) {
    std::unique_lock sw(switch_mutex_);
    // Not switched yet: wait until another thread has the lock.
    if (last_holder_.load(std::memory_order_relaxed) == worker) {
      reset_drop_request();
      switch_cond_.wait(sw, [&] { return last_holder_.load(std::memory_order_relaxed) != worker; });
    }
  }
}

void Gil::on_eval_breaker(int worker) {
  if (!drop_request_.load(std::memory_order_relaxed)) return;
  drop(worker);
  take(worker);  // other threads may run now
}

void Gil::on_ticks(int worker) {
  drop(worker);
  take(worker);
}

}  // namespace gillab
