// Stress: every safe refcount policy, 2 to 8 threads, millions of incref/decref pairs on
// objects all threads share, must end with exact counts and never see a premature zero.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

#include "object.hpp"
#include "op_stats.hpp"
#include "refcount_policies.hpp"
#include "stress_scale.hpp"
#include "thread_id.hpp"

using namespace gillab;

namespace {

constexpr int kObjects = 3;  // few objects: every thread hits the same cache lines
constexpr int64_t kPairsTotal = 4'000'000 / test::kStressScale;

template <class P>
struct StressResult {
  std::vector<int64_t> mid;  // counts while every thread holds one extra reference
  std::vector<int64_t> end;
  int64_t zeros = 0;         // dec() that said "free": must never happen here
  OpStats stats;
};

// owner_is_worker: for biased counting, the objects are created by worker 0 (so it takes the
// owner's fast path and the others the shared one); otherwise by this thread.
template <class P>
StressResult<P> stress(int threads, bool owner_is_worker) {
  ensure_thread_id();
  std::vector<typename P::Field> objs(kObjects);
  if (!owner_is_worker)
    for (auto& f : objs) P::init(f, 1);
  std::atomic<int64_t> zeros{0};
  StressResult<P> out;
  std::mutex stats_mu;
  std::barrier sync(threads, [] {});
  std::barrier sync_mid(threads, [&]() noexcept {
    for (auto& f : objs) out.mid.push_back(P::count(f));
  });
  int64_t pairs = kPairsTotal / threads;
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      ensure_thread_id();
      tl_op_stats = OpStats{};
      if (owner_is_worker && t == 0)
        for (auto& f : objs) P::init(f, 1);
      sync.arrive_and_wait();
      for (auto& f : objs) P::inc(f);
      sync_mid.arrive_and_wait();
      int64_t z = 0;
      for (int64_t i = 0; i < pairs; ++i) {
        auto& f = objs[static_cast<size_t>(i % kObjects)];
        P::inc(f);
        z += P::dec(f);
      }
      sync.arrive_and_wait();
      for (auto& f : objs) z += P::dec(f);
      zeros += z;
      std::lock_guard g(stats_mu);
      out.stats.add(tl_op_stats);
    });
  for (auto& th : ts) th.join();
  for (auto& f : objs) out.end.push_back(P::count(f));
  out.zeros = zeros.load();
  return out;
}

}  // namespace

template <class P>
class SafePolicyStress : public ::testing::Test {};
using SafePolicies = ::testing::Types<rc::MutexPerObject, rc::SpinPerObject, rc::MutexStriped,
                                      rc::SpinStriped, rc::Atomic, rc::Cas, rc::Biased>;
TYPED_TEST_SUITE(SafePolicyStress, SafePolicies);

TYPED_TEST(SafePolicyStress, ExactCountsFrom2To8Threads) {
  for (int threads : {2, 4, 8}) {
    for (bool owner_is_worker : {false, true}) {
      auto r = stress<TypeParam>(threads, owner_is_worker);
      for (int k = 0; k < kObjects; ++k) {
        EXPECT_EQ(r.mid[k], 1 + threads) << threads << " threads, object " << k;
        EXPECT_EQ(r.end[k], 1) << threads << " threads, object " << k;
      }
      EXPECT_EQ(r.zeros, 0) << threads << " threads";
      EXPECT_EQ(r.stats.biased_queued, 0u);
    }
  }
}

TEST(CasPolicy, CountsRetriesOnlyWhenTheyHappen) {
  ensure_thread_id();
  tl_op_stats = OpStats{};
  rc::Cas::Field f;
  rc::Cas::init(f, 1);
  for (int i = 0; i < 1000; ++i) {
    rc::Cas::inc(f);
    rc::Cas::dec(f);
  }
  EXPECT_EQ(tl_op_stats.cas_retries, 0u);  // alone, a compare-exchange never fails
  EXPECT_EQ(rc::Cas::count(f), 1);
  // Under contention the histogram holds as many entries as operations that retried.
  auto r = stress<rc::Cas>(2, false);
  uint64_t in_hist = 0;
  for (auto n : r.stats.cas_hist) in_hist += n;
  EXPECT_EQ(in_hist, r.stats.cas_ops_retried);
  EXPECT_GE(r.stats.cas_retries, r.stats.cas_ops_retried);
  EXPECT_GE(r.stats.cas_retries, r.stats.cas_retries_max);
}

TEST(BiasedPolicy, OwnerPathIsPlainAndMergeFrees) {
  ensure_thread_id();
  rc::Biased::Field f;
  rc::Biased::init(f, 1);
  rc::Biased::inc(f);
  EXPECT_EQ(f.local, 2u);
  EXPECT_EQ(f.shared.load(), 0);
  EXPECT_FALSE(rc::Biased::dec(f));
  EXPECT_TRUE(rc::Biased::dec(f));  // local reaches zero with no shared references: free

  // A reference taken by another thread keeps the object alive after the owner lets go;
  // the last shared decref frees it.
  rc::Biased::init(f, 1);
  std::thread([&] {
    ensure_thread_id();
    rc::Biased::inc(f);
  }).join();
  EXPECT_EQ(rc::Biased::count(f), 2);
  EXPECT_FALSE(rc::Biased::dec(f));  // owner's last: merges, gives up ownership
  EXPECT_EQ(f.tid.load(), 0u);
  bool freed = false;
  std::thread([&] {
    ensure_thread_id();
    freed = rc::Biased::dec(f);
  }).join();
  EXPECT_TRUE(freed);
}

TEST(ImmortalAndPlain, PlainCountsExactOnOneThread) {
  rc::Plain::Field f;
  rc::Plain::init(f, 1);
  for (int i = 0; i < 100; ++i) rc::Plain::inc(f);
  for (int i = 0; i < 99; ++i) EXPECT_FALSE(rc::Plain::dec(f));
  EXPECT_EQ(rc::Plain::count(f), 2);
}
