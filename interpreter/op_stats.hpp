#pragma once
// Per-thread counters that the refcount policies keep on their slow paths only
// (a CAS retry, a contended lock, a biased merge), so the common path pays nothing.
#include <array>
#include <cstdint>

namespace gillab {

struct OpStats {
  static constexpr int kHistBuckets = 16;  // bucket b holds retry counts in [2^(b-1), 2^b)
  // "Retrying for a long while" (the essay's C6), in numbers: 16 or more retries in one
  // operation, the start of bucket 5. Each retry is a cache-line round trip between cores
  // (about 100 ns measured by the micro-benchmarks, 17-197 ns published), so 16 of them take
  // 1.6 us or more: longer than parking on a contended mutex and being woken, which is what
  // compare-and-swap was meant to beat.
  static constexpr int kLongRetries = 16, kLongBucket = 5;
  uint64_t cas_retries = 0;
  uint64_t cas_retries_max = 0;
  uint64_t cas_ops_retried = 0;
  std::array<uint64_t, kHistBuckets> cas_hist{};  // bucket 0 (no retry) is derived by the reader
  uint64_t lock_contended = 0;
  uint64_t container_contended = 0;  // a list's lock found held (container_lock.hpp)
  uint64_t biased_merges = 0;
  uint64_t biased_queued = 0;
  uint64_t premature_zero = 0;  // a shared object's count reached 0 while references remained

  void add(const OpStats& o) {
    cas_retries += o.cas_retries;
    if (o.cas_retries_max > cas_retries_max) cas_retries_max = o.cas_retries_max;
    cas_ops_retried += o.cas_ops_retried;
    for (int i = 0; i < kHistBuckets; ++i) cas_hist[i] += o.cas_hist[i];
    lock_contended += o.lock_contended;
    container_contended += o.container_contended;
    biased_merges += o.biased_merges;
    biased_queued += o.biased_queued;
    premature_zero += o.premature_zero;
  }
};

inline thread_local OpStats tl_op_stats{};

inline int retry_bucket(uint64_t retries) {
  int b = 64 - __builtin_clzll(retries);  // retries >= 1: 1 -> 1, 2..3 -> 2, 4..7 -> 3 ...
  return b < OpStats::kHistBuckets ? b : OpStats::kHistBuckets - 1;
}

[[gnu::noinline, gnu::cold]] inline void record_cas_retries(uint64_t retries) {
  OpStats& s = tl_op_stats;
  s.cas_retries += retries;
  s.cas_ops_retried += 1;
  if (retries > s.cas_retries_max) s.cas_retries_max = retries;
  s.cas_hist[retry_bucket(retries)] += 1;
}

}  // namespace gillab
