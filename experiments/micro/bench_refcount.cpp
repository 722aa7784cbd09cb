// The cost of one incref+decref pair under each refcount policy, on an object private to the
// thread and on one object every thread shares; and the hardware's own limits measured the
// same way: a plain add, an uncontended lock xadd and lock cmpxchg, and a cache line passed
// between two cores. Threads are pinned to cores with hwloc, as the harness pins workers.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "bench_pinning.hpp"
#include "micro_row.hpp"
#include "op_stats.hpp"
#include "refcount_policies.hpp"
#include "thread_id.hpp"

namespace gillab {
namespace {

// One object shared by all threads of a benchmark, created (and so owned, for biased
// counting) by a thread of its own, so that every benchmark thread takes the non-owner path.
template <class P>
typename P::Field& shared_field() {
  static typename P::Field* f = [] {
    auto* x = new typename P::Field();
    std::thread([x] {
      ensure_thread_id();
      P::init(*x, 1);
    }).join();
    return x;
  }();
  return *f;
}

template <class P, bool Shared>
void BM_Pair(benchmark::State& state) {
  pin_benchmark_thread(state.thread_index());
  ensure_thread_id();
  tl_op_stats = OpStats{};
  typename P::Field local;
  P::init(local, 1);  // owned by this thread: biased counting's owner path
  typename P::Field& f = Shared ? shared_field<P>() : local;
  benchmark::DoNotOptimize(&f);
  for (auto _ : state) {
    P::inc(f);
    benchmark::ClobberMemory();  // each operation reads and writes memory, as in the eval loop
    benchmark::DoNotOptimize(P::dec(f));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["cas_retries_per_op"] =
      benchmark::Counter(static_cast<double>(tl_op_stats.cas_retries) / 2, benchmark::Counter::kAvgIterations);
  MicroRow{.group = "pair", .policy = P::name, .object = Shared ? "shared" : "private", .per_op = "cpu/2"}.describe(state);
}

// Immortal: what the eval loop does for an immortal object, a flag test and no write.
void BM_ImmortalPair(benchmark::State& state) {
  pin_benchmark_thread(state.thread_index());
  struct {
    bool immortal = true;
    int64_t n = 1;
  } o;
  benchmark::DoNotOptimize(&o);
  for (auto _ : state) {
    if (!o.immortal) ++o.n;
    benchmark::ClobberMemory();
    if (!o.immortal) --o.n;
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
  MicroRow{.group = "pair", .policy = "immortal", .object = "private", .per_op = "cpu/2"}.describe(state);
}

// Threads from 1 to twice the machine's hardware threads (1, 2, 4, ...).
int max_threads() { return static_cast<int>(std::max(2u, 2 * std::thread::hardware_concurrency())); }

#define PAIR(P, label)                                                                                        \
  BENCHMARK_TEMPLATE(BM_Pair, P, false)->Name("pair/" label "/private")->ThreadRange(1, max_threads())->UseRealTime(); \
  BENCHMARK_TEMPLATE(BM_Pair, P, true)->Name("pair/" label "/shared")->ThreadRange(1, max_threads())->UseRealTime()
// Plain counts on one object from several threads would be a data race in C++ terms; the race
// policy is the same unsynchronised read-modify-write written with relaxed atomics.
BENCHMARK_TEMPLATE(BM_Pair, rc::Plain, false)->Name("pair/plain/private")->ThreadRange(1, max_threads())->UseRealTime();
BENCHMARK_TEMPLATE(BM_Pair, rc::Race, true)->Name("pair/race/shared")->ThreadRange(1, max_threads())->UseRealTime();
PAIR(rc::MutexPerObject, "mutex");
PAIR(rc::SpinPerObject, "spinlock");
PAIR(rc::MutexStriped, "striped-mutex");
PAIR(rc::Atomic, "atomic");
PAIR(rc::Cas, "cas");
PAIR(rc::Biased, "biased");
BENCHMARK(BM_ImmortalPair)->Name("pair/immortal/private")->ThreadRange(1, max_threads())->UseRealTime();

// The hardware: one operation each, uncontended.
void BM_HwPlainAdd(benchmark::State& state) {
  int64_t x = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(x);
    ++x;
    benchmark::ClobberMemory();
  }
  MicroRow{.group = "hw", .policy = "plain-add"}.describe(state);
}
void BM_HwLockXadd(benchmark::State& state) {
  std::atomic<int64_t> x{0};
  for (auto _ : state) benchmark::DoNotOptimize(x.fetch_add(1, std::memory_order_relaxed));
  MicroRow{.group = "hw", .policy = "lock-xadd"}.describe(state);
}
void BM_HwLockCmpxchg(benchmark::State& state) {
  std::atomic<int64_t> x{0};
  int64_t v = 0;
  for (auto _ : state) {
    x.compare_exchange_strong(v, v + 1);
    ++v;
  }
  MicroRow{.group = "hw", .policy = "lock-cmpxchg"}.describe(state);
}
// A cache line passed back and forth between two threads on two cores: each waits for its
// turn, then hands the line over. Manual time: the time of one hand-off (half a round trip).
void BM_HwCacheLinePingPong(benchmark::State& state) {
  constexpr int kRounds = 20000;
  for (auto _ : state) {
    alignas(64) std::atomic<int> turn{0};
    std::thread other([&] {
      pin_benchmark_thread(1);
      for (int i = 0; i < kRounds; ++i) {
        while (turn.load(std::memory_order_acquire) != 1) {
        }
        turn.store(0, std::memory_order_release);
      }
    });
    pin_benchmark_thread(0);
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kRounds; ++i) {
      turn.store(1, std::memory_order_release);
      while (turn.load(std::memory_order_acquire) != 0) {
      }
    }
    auto t1 = std::chrono::steady_clock::now();
    other.join();
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count() / (2.0 * kRounds));
  }
  MicroRow{.group = "hw", .policy = "cache-line-handoff", .per_op = "real"}.describe(state);
}
BENCHMARK(BM_HwPlainAdd)->Name("hw/plain-add");
BENCHMARK(BM_HwLockXadd)->Name("hw/lock-xadd");
BENCHMARK(BM_HwLockCmpxchg)->Name("hw/lock-cmpxchg");
BENCHMARK(BM_HwCacheLinePingPong)->Name("hw/cache-line-handoff")->UseManualTime()->Iterations(20);

}  // namespace
}  // namespace gillab
