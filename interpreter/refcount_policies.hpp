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

// Biased reference counting as PEP 703 does it: the owner thread counts in a plain field; every
// other thread counts in an atomic shared field whose low two bits hold the state. When the
// owner's count reaches zero it merges: frees at once if no shared references remain, else
// gives up ownership (tid 0) so the shared field alone decides.
struct Biased {
  static constexpr const char* name = "biased";
  static constexpr int64_t kMerged = 1, kQueued = 2, kFlags = 3, kOne = 4;
  struct Field {
    std::atomic<uint32_t> tid;
    uint32_t local;  // touched by the owner only
    std::atomic<int64_t> shared;
  };
  GILLAB_RC_INLINE static void init(Field& f, int64_t n) {
    f.tid.store(current_thread_id(), std::memory_order_relaxed);
    f.local = static_cast<uint32_t>(n);
    f.shared.store(0, std::memory_order_relaxed);
  }
  GILLAB_RC_INLINE static bool owned(const Field& f) {
    return f.tid.load(std::memory_order_relaxed) == current_thread_id();
  }
  GILLAB_RC_INLINE static void inc(Field& f) {
    if (owned(f)) [[likely]]
      ++f.local;
    else
      f.shared.fetch_add(kOne, std::memory_order_relaxed);
  }
  GILLAB_RC_INLINE static bool dec(Field& f) {
    if (owned(f)) [[likely]] {
      if (--f.local != 0) return false;
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
      queue = shared < kOne && (shared & kFlags) == 0;
      // Taking an unmerged shared count below zero means the last references are the owner's:
      // PEP 703 queues the object for its owner to merge. gillab's workloads never hand
      // references between threads this way; it is counted and the count kept exact.
      next = shared - kOne;
    } while (!f.shared.compare_exchange_weak(shared, next, std::memory_order_acq_rel,
                                             std::memory_order_relaxed));
    if (queue) [[unlikely]] tl_op_stats.biased_queued += 1;
    return next == kMerged;
  }
  static int64_t count(const Field& f) {
    int64_t shared = f.shared.load(std::memory_order_acquire);
    return static_cast<int64_t>(f.local) + (shared >> 2);
  }
};

}  // namespace gillab::rc
