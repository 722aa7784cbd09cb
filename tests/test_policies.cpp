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

// PEP 703's hand-back: a non-owner that takes an unmerged shared count to zero queues the
// object to its owner instead of deciding; the owner merges (local + shared - the queue's
// reference). An owner that has left merges nothing: the dropping thread merges in place.
TEST(Biased, ANonOwnersLastDropQueuesToTheOwnerWhoMerges) {
  using B = rc::Biased;
  BiasedQueue queue;
  B::Field f;
  std::thread owner([&] {
    ensure_thread_id();
    BiasedQueues::instance().enroll(current_thread_id(), &queue);
    B::init(f, 2);  // two references: one stays here, one goes to the other thread
  });
  owner.join();
  const uint32_t owner_id = f.tid.load();
  std::thread other([&] {
    ensure_thread_id();
    tl_op_stats = OpStats{};
    EXPECT_FALSE(B::dec(f)) << "a non-owner never frees an object its owner may still hold";
    EXPECT_EQ(tl_op_stats.biased_queued, 1u);
  });
  other.join();
  EXPECT_TRUE(queue.pending.load());
  std::vector<void*> items = BiasedQueues::instance().take(queue);
  ASSERT_EQ(items, std::vector<void*>{&f});
  EXPECT_FALSE(B::merge_queued(f)) << "2 local + 0 shared - the queue's 1 = 1 left";
  EXPECT_EQ(B::count(f), 1);
  EXPECT_EQ(f.tid.load(), 0u) << "merged: owned by no one";
  ensure_thread_id();  // every thread that runs the interpreter has an id; 0 is "no owner"
  EXPECT_TRUE(B::dec(f)) << "the last reference, through the shared count";
  BiasedQueues::instance().leave(owner_id);
}

TEST(Biased, AnExitedOwnersObjectIsMergedByTheThreadThatDropsIt) {
  using B = rc::Biased;
  B::Field f;
  std::thread owner([&] {
    ensure_thread_id();
    B::init(f, 1);  // never enrolled: as good as gone
  });
  owner.join();
  std::thread other([&] {
    ensure_thread_id();
    EXPECT_TRUE(B::dec(f)) << "no owner to queue to: merged here, and it was the last";
  });
  other.join();
}

TEST(Biased, SharedCountsMayGoBelowZeroWhileQueued) {
  using B = rc::Biased;
  BiasedQueue queue;
  B::Field f;
  std::thread owner([&] {
    ensure_thread_id();
    BiasedQueues::instance().enroll(current_thread_id(), &queue);
    B::init(f, 3);  // three references handed to three other drops
  });
  owner.join();
  const uint32_t owner_id = f.tid.load();
  for (int i = 0; i < 3; ++i) {
    std::thread t([&] {
      ensure_thread_id();
      EXPECT_FALSE(B::dec(f));
    });
    t.join();
  }
  EXPECT_EQ(f.shared.load() >> 2, -2) << "queued once, then two more drops below zero";
  EXPECT_TRUE(B::merge_queued(f)) << "3 - 2 - 1 = 0: dead";
  BiasedQueues::instance().leave(owner_id);
}
