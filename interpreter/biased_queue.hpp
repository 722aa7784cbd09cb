#pragma once
// Biased reference counting's hand-back (PEP 703, CPython's Python/brc.c). When a thread that
// does not own an object takes its shared count to zero while the owner's local count still
// holds references, it cannot know whether the object is dead: it queues the object to its
// owner instead, and the owner merges the two counts at its next eval-breaker check and frees
// the object if nothing is left. A thread that has exited has no queue: the dropping thread
// merges the object itself.
//
// Protocol: one registry of queues, by owner thread id, under one mutex (a slow path: it runs
// only for objects handed between threads). A push sets the owner's `pending` and the
// kBreakBiasedMerge bit of its runtime's eval breaker, both under the mutex; the owner, in
// the eval breaker's slow path, merges if its own `pending` is set; a take clears the bit, under
// the mutex, only when no queue of that runtime is pending.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace gillab {

// The eval breaker's bit that says some thread has objects queued to it (runtime.hpp's bits).
inline constexpr uint32_t kBreakBiasedMerge = 4u;

struct BiasedQueue {
  std::atomic<bool> pending{false};  // owner-read, set by other threads
  std::atomic<uint32_t>* breaker = nullptr;  // the owner's runtime's eval breaker
  std::vector<void*> items;          // refcount fields (the first member of their object); under the registry's mutex
};

class BiasedQueues {
 public:
  static BiasedQueues& instance() {
    static BiasedQueues q;
    return q;
  }
  void enroll(uint32_t owner, BiasedQueue* q) {
    std::lock_guard lk(mu_);
    by_owner_[owner] = q;
  }
  // The owner leaves: what is still queued is returned for it to merge; later drops of its
  // objects find no queue and merge in place.
  std::vector<void*> leave(uint32_t owner) {
    std::lock_guard lk(mu_);
    std::vector<void*> rest;
    if (auto it = by_owner_.find(owner); it != by_owner_.end()) {
      rest.swap(it->second->items);
      it->second->pending.store(false, std::memory_order_relaxed);
      by_owner_.erase(it);
    }
    return rest;
  }
  // false: the owner has no queue (it has exited).
  bool push(uint32_t owner, void* field) {
    std::lock_guard lk(mu_);
    auto it = by_owner_.find(owner);
    if (it == by_owner_.end()) return false;
    it->second->items.push_back(field);
    it->second->pending.store(true, std::memory_order_relaxed);
    // Through the eval breaker the owner already checks: no extra test on its fast path.
    if (it->second->breaker) it->second->breaker->fetch_or(kBreakBiasedMerge, std::memory_order_relaxed);
    return true;
  }
  std::vector<void*> take(BiasedQueue& q) {
    std::lock_guard lk(mu_);
    std::vector<void*> out;
    out.swap(q.items);
    q.pending.store(false, std::memory_order_relaxed);
    // The bit is shared by the runtime's threads: cleared only when none has anything queued.
    bool any = false;
    for (auto& [owner, other] : by_owner_) any = any || (other->breaker == q.breaker && other->pending.load(std::memory_order_relaxed));
    if (!any && q.breaker) q.breaker->fetch_and(~kBreakBiasedMerge, std::memory_order_relaxed);
    return out;
  }

 private:
  std::mutex mu_;
  std::unordered_map<uint32_t, BiasedQueue*> by_owner_;
};

}  // namespace gillab
