#pragma once
// The refcount policies: each is a type with the same static interface, passed as a template
// parameter to the object model and the eval loop, so the compiler inlines the chosen one and
// no strategy is paid for by a call or a branch it does not need.
//
//   Field                 the refcount storage inside every object header
//   init(Field&, n)       a fresh object with n references, owned by the calling thread
//   inc(Field&)           one more reference
//   dec(Field&) -> bool   one fewer; true when the object must be freed
//   count(const Field&)   the logical count (for tests and the race experiment; not hot)
#include <atomic>
#include <cstdint>
#include <mutex>

#include "biased_queue.hpp"
#include "op_stats.hpp"
#include "spinlock.hpp"
#include "thread_id.hpp"

// Forced: the eval loop is one large function and GCC's inliner gives up on calls in it, which
// would make a policy's cost a function call. (Slow paths stay out of line on purpose.)
#define GILLAB_RC_INLINE [[gnu::always_inline]] inline

namespace gillab::rc {

// Plain counts: correct only while one thread at a time touches them (serial, gil, processes).
struct Plain {
  static constexpr const char* name = "plain";
  struct Field { int64_t n; };
  GILLAB_RC_INLINE static void init(Field& f, int64_t n) { f.n = n; }
  GILLAB_RC_INLINE static void inc(Field& f) { ++f.n; }
  GILLAB_RC_INLINE static bool dec(Field& f) { return --f.n == 0; }
  static int64_t count(const Field& f) { return f.n; }
};

// The essay's figure 2: a load and a store with nothing between threads. Relaxed atomics keep
// the program free of C++ undefined behaviour while the read-modify-write stays unsynchronised,
// exactly the window in which two threads read 2 and both write 1.
struct Race {
  static constexpr const char* name = "race";
  struct Field { std::atomic<int64_t> n; };
  GILLAB_RC_INLINE static void init(Field& f, int64_t n) { f.n.store(n, std::memory_order_relaxed); }
  GILLAB_RC_INLINE static void inc(Field& f) {
    f.n.store(f.n.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  GILLAB_RC_INLINE static bool dec(Field& f) {
    int64_t v = f.n.load(std::memory_order_relaxed) - 1;
    f.n.store(v, std::memory_order_relaxed);
    return v == 0;
  }
  static int64_t count(const Field& f) { return f.n.load(std::memory_order_relaxed); }
};

// Figure 3: a lock in every object header, taken for every incref and decref.
template <class Lock>
struct PerObjectLock {
  struct Field { Lock m; int64_t n; };
  GILLAB_RC_INLINE static void init(Field& f, int64_t n) { f.n = n; }
  GILLAB_RC_INLINE static void acquire(Lock& m) {
    if (!m.try_lock()) [[unlikely]] {
      tl_op_stats.lock_contended += 1;
      m.lock();
    }
  }
  GILLAB_RC_INLINE static void inc(Field& f) {
    acquire(f.m);
    ++f.n;
    f.m.unlock();
  }
  GILLAB_RC_INLINE static bool dec(Field& f) {
    acquire(f.m);
    int64_t v = --f.n;
    f.m.unlock();
    return v == 0;
  }
  static int64_t count(const Field& f) { return f.n; }
};
struct MutexPerObject : PerObjectLock<std::mutex> { static constexpr const char* name = "mutex"; };
struct SpinPerObject : PerObjectLock<SpinLock> { static constexpr const char* name = "spinlock"; };

// A lock table indexed by the object's address: smaller headers, but unrelated objects can
// share a stripe (Greg Stein's 1999 patch used one global refcount lock, the limit of this).
template <class Lock>
struct StripedLock {
  static constexpr unsigned kStripes = 1024;
  struct alignas(64) Stripe { Lock m; };
  static inline Stripe table[kStripes];
  struct Field { int64_t n; };
  GILLAB_RC_INLINE static Lock& lock_for(const Field& f) {
    auto a = reinterpret_cast<uintptr_t>(&f);
    return table[(a >> 6) % kStripes].m;  // objects are >= 32 bytes: neighbours spread out
  }
  GILLAB_RC_INLINE static void init(Field& f, int64_t n) { f.n = n; }
  GILLAB_RC_INLINE static void inc(Field& f) {
    Lock& m = lock_for(f);
    PerObjectLock<Lock>::acquire(m);
    ++f.n;
    m.unlock();
  }
  GILLAB_RC_INLINE static bool dec(Field& f) {
    Lock& m = lock_for(f);
    PerObjectLock<Lock>::acquire(m);
    int64_t v = --f.n;
    m.unlock();
    return v == 0;
  }
  static int64_t count(const Field& f) {
    Lock& m = lock_for(f);
    std::lock_guard g(m);
    return f.n;
  }
};
struct MutexStriped : StripedLock<std::mutex> { static constexpr const char* name = "striped-mutex"; };
struct SpinStriped : StripedLock<SpinLock> { static constexpr const char* name = "striped-spinlock"; };

// Gilectomy's choice: one lock-prefixed read-modify-write per operation.
struct Atomic {
  static constexpr const char* name = "atomic";
  struct Field { std::atomic<int64_t> n; };
  GILLAB_RC_INLINE static void init(Field& f, int64_t n) { f.n.store(n, std::memory_order_relaxed); }
  GILLAB_RC_INLINE static void inc(Field& f) { f.n.fetch_add(1, std::memory_order_relaxed); }
  GILLAB_RC_INLINE static bool dec(Field& f) { return f.n.fetch_sub(1, std::memory_order_acq_rel) == 1; }
  static int64_t count(const Field& f) { return f.n.load(std::memory_order_relaxed); }
};

// The essay's compare-and-swap: read, compute, swap if unchanged, else retry. Every retry is
// counted (slow path only), with the worst case and a log2 histogram.
struct Cas {
  static constexpr const char* name = "cas";
  struct Field { std::atomic<int64_t> n; };
  GILLAB_RC_INLINE static void init(Field& f, int64_t n) { f.n.store(n, std::memory_order_relaxed); }
  GILLAB_RC_INLINE static int64_t update(Field& f, int64_t delta) {
    int64_t old = f.n.load(std::memory_order_relaxed);
    uint64_t retries = 0;
    while (!f.n.compare_exchange_weak(old, old + delta, std::memory_order_acq_rel,
                                      std::memory_order_relaxed))
      ++retries;
    if (retries != 0) [[unlikely]] record_cas_retries(retries);
    return old + delta;
  }
  GILLAB_RC_INLINE static void inc(Field& f) { update(f, 1); }
  GILLAB_RC_INLINE static bool dec(Field& f) { return update(f, -1) == 0; }
  static int64_t count(const Field& f) { return f.n.load(std::memory_order_relaxed); }
};

// Biased reference counting as PEP 703 does it: the owner thread counts in its own field
// (`local`, a relaxed atomic: only the owner writes it, others may read it); every other thread
// counts in an atomic shared field whose low two bits hold the state (merged, queued). When the
// owner's count reaches zero it merges: frees at once if no shared references remain, else
// gives up ownership (tid 0) so the shared field alone decides. When another thread takes an
// unmerged shared count to zero, it queues the object to its owner (biased_queue.hpp) without
// decrementing (the queue holds that reference); later drops may take the shared count below
// zero. The owner merges queued objects at its next eval-breaker check: local + shared - 1.
struct Biased {
  static constexpr const char* name = "biased";
  static constexpr bool kQueues = true;
  static constexpr int64_t kMerged = 1, kQueued = 2, kFlags = 3, kOne = 4;
  struct Field {
    std::atomic<uint32_t> tid;
    std::atomic<uint32_t> local;  // owner-written; relaxed, so that others may read it
    std::atomic<int64_t> shared;
  };
  GILLAB_RC_INLINE static void init(Field& f, int64_t n) {
    f.tid.store(current_thread_id(), std::memory_order_relaxed);
    f.local.store(static_cast<uint32_t>(n), std::memory_order_relaxed);
    f.shared.store(0, std::memory_order_relaxed);
  }
  GILLAB_RC_INLINE static bool owned(const Field& f) {
    return f.tid.load(std::memory_order_relaxed) == current_thread_id();
  }
  GILLAB_RC_INLINE static void inc(Field& f) {
    if (owned(f)) [[likely]]
      f.local.store(f.local.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    else
      f.shared.fetch_add(kOne, std::memory_order_relaxed);
  }
  GILLAB_RC_INLINE static bool dec(Field& f) {
    if (owned(f)) [[likely]] {
      const uint32_t n = f.local.load(std::memory_order_relaxed) - 1;
      f.local.store(n, std::memory_order_relaxed);
      if (n != 0) return false;
      // The common death: an object no other thread ever saw. Free it without a call.
      if (f.shared.load(std::memory_order_acquire) == 0) return true;
      return merge_zero_local(f);
    }
    return dec_shared(f);
  }
  [[gnu::noinline]] static bool merge_zero_local(Field& f) {
    int64_t shared = f.shared.load(std::memory_order_acquire);
    if (shared == 0) return true;
    tl_op_stats.biased_merges += 1;
    f.tid.store(0, std::memory_order_relaxed);
    int64_t merged;
    do {
      merged = (shared & ~kFlags) | kMerged;
    } while (!f.shared.compare_exchange_weak(shared, merged, std::memory_order_acq_rel));
    return merged == kMerged;
  }
  [[gnu::noinline]] static bool dec_shared(Field& f) {
    int64_t shared = f.shared.load(std::memory_order_relaxed), next;
    bool queue;
    do {
      queue = shared == 0;  // count zero, neither merged nor queued: the owner must decide
      next = queue ? kQueued : shared - kOne;  // queued: the queue keeps this reference
    } while (!f.shared.compare_exchange_weak(shared, next, std::memory_order_acq_rel,
                                             std::memory_order_relaxed));
    if (!queue) return next == kMerged;
    tl_op_stats.biased_queued += 1;
    if (BiasedQueues::instance().push(f.tid.load(std::memory_order_relaxed), &f)) return false;
    return merge_queued(f);  // the owner has exited: merge here, as CPython's brc does
  }
  // The owner's merge of a queued object (or anyone's, once the owner is gone): the counts
  // become one shared count, less the queue's reference. True when that leaves none.
  [[gnu::noinline]] static bool merge_queued(Field& f) {
    tl_op_stats.biased_merges += 1;
    const int64_t local = f.local.load(std::memory_order_relaxed);
    f.local.store(0, std::memory_order_relaxed);
    f.tid.store(0, std::memory_order_relaxed);
    int64_t shared = f.shared.load(std::memory_order_relaxed), count;
    do {
      count = (shared >> 2) + local - 1;
    } while (!f.shared.compare_exchange_weak(shared, count * kOne | kMerged, std::memory_order_acq_rel,
                                             std::memory_order_relaxed));
    return count == 0;
  }
  static int64_t count(const Field& f) {
    int64_t shared = f.shared.load(std::memory_order_acquire);
    return static_cast<int64_t>(f.local.load(std::memory_order_relaxed)) + (shared >> 2);
  }
};

// Biased counts in a runtime whose lists take no lock: the same counts, and the same lists, as
// biased less the per-object locks, so that one thread's time under each prices the locks alone
// (the overhead figure's list rows). Sound only where no list is shared by running threads: the
// harness runs it on one thread (container_lock.hpp names it).
struct BiasedUnlocked : Biased {
  static constexpr const char* name = "biased-unlocked";
};

}  // namespace gillab::rc
