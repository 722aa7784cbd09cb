#pragma once
// Per-object locks for the mutable containers (lists and dicts), after PEP 703's critical
// sections.
//
// Protocol: where the refcount policy lets threads run the eval loop at once (every policy but
// Plain, whose runtimes are used by one thread at a time: serial, gil, processes, interpreters),
// each list and dict carries a one-byte lock in its header (CPython 3.13t's ob_mutex), taken
// around each operation that reads or writes its size or items. A thread holds at most one such
// lock at a time: inside a critical section the eval loop touches only that container's memory
// (no call, no decref, nothing that could take another lock or wait for the GIL), and what an
// operation removes is dropped after the lock is released. So critical sections never nest and
// cannot deadlock: the invariant free-threaded CPython keeps by suspending a critical section
// when its thread blocks. Reads take the lock too (CPython 3.13t reads list items and dict
// entries optimistically and frees a replaced item array or key table through QSBR): the model
// overstates a shared read's cost by one lock, and needs no deferred free, since no thread ever
// reads a container outside its lock.
#include <atomic>
#include <cstdint>
#include <sched.h>
#include <type_traits>

#include "op_stats.hpp"
#include "refcount_policies.hpp"
#include "spinlock.hpp"

namespace gillab {

// Compile-time, like the refcount policy: the GIL strategies pay no test and no lock, nor does
// BiasedUnlocked, which one thread runs to price the locks.
template <class P>
inline constexpr bool kLocksContainers = !std::is_same_v<P, rc::Plain> && !std::is_same_v<P, rc::BiasedUnlocked>;

// PyMutex's shape: a byte, a compare-exchange on the fast path; a waiter spins briefly, then
// yields its core (CPython parks it on a futex), so a holder that was preempted can finish.
struct ObjectMutex {
  [[gnu::always_inline]] static void lock(std::atomic<uint8_t>& m) {
    uint8_t free = 0;
    if (!m.compare_exchange_strong(free, 1, std::memory_order_acquire, std::memory_order_relaxed)) [[unlikely]]
      lock_slow(m);
  }
  [[gnu::always_inline]] static void unlock(std::atomic<uint8_t>& m) { m.store(0, std::memory_order_release); }

 private:
  // Counted here only (OpStats: the common path pays nothing).
  [[gnu::noinline]] static void lock_slow(std::atomic<uint8_t>& m) {
    ++tl_op_stats.container_contended;
    for (int spins = 0;; ++spins) {
      uint8_t free = 0;
      if (m.load(std::memory_order_relaxed) == 0 &&
          m.compare_exchange_weak(free, 1, std::memory_order_acquire, std::memory_order_relaxed))
        return;
      if (spins < 64) cpu_relax();
      else sched_yield();
    }
  }
};

// A critical section over one object, for the scope of one operation; nothing where the
// policy needs none.
template <class P>
class CriticalSection {
 public:
  template <class Obj>
  [[gnu::always_inline]] explicit CriticalSection(Obj* o) : m_(&o->mutex) {
    if constexpr (kLocksContainers<P>) ObjectMutex::lock(*m_);
  }
  [[gnu::always_inline]] ~CriticalSection() {
    if constexpr (kLocksContainers<P>) ObjectMutex::unlock(*m_);
  }
  CriticalSection(const CriticalSection&) = delete;
  CriticalSection& operator=(const CriticalSection&) = delete;

 private:
  std::atomic<uint8_t>* m_;
};

}  // namespace gillab
