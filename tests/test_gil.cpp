// The GIL: one holder at a time, and both protocols hand the lock over so every thread runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <atomic>
#include <latch>
#include <thread>
#include <tuple>
#include <vector>

#include "eval.hpp"
#include "gil.hpp"
#include "gil_stats.hpp"
#include "stress_scale.hpp"
#include "native_reference.hpp"
#include "workload_files.hpp"

using namespace gillab;

namespace {

// Threads that each run interpreter tasks under the GIL, as the gil strategy does.
template <bool Ticks>
std::pair<GilWorkerStats, std::vector<int64_t>> run_under_gil(const std::string& mode, int threads) {
  WorkloadParams w{"pow", 6, 200 / static_cast<int>(test::kStressScale) + 20};  // ~5 ms a task
  Runtime<rc::Plain> rt(build_workload(w), false);
  // The GIL records every hold, from just after it is taken to just before it is given up,
  // over the whole run of the interpreter (which drops and retakes it at its eval breaker).
  Timeline timeline(threads, std::chrono::steady_clock::now());
  GilStats stats(threads, &timeline);
  Gil gil(rt.eval_breaker, GilParams{mode, 200, 100}, &stats);
  std::vector<int64_t> answers(static_cast<size_t>(threads));
  std::latch all_started(threads);  // under load, threads started late could miss each other
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      ThreadState<rc::Plain> st(rt);
      GilClient client(gil, t);
      st.sched = &client;
      st.tick_interval = 100;
      all_started.arrive_and_wait();
      gil.take(t);
      const int64_t args[3] = {t, w.difficulty, w.blocks};
      answers[static_cast<size_t>(t)] = Interpreter<rc::Plain, false, Ticks>::call(st, rt.global(kTaskGlobal), args).value;
      gil.drop(t);
    });
  for (auto& th : ts) th.join();
  // Exclusion over every critical section: no two holds overlap.
  std::vector<Interval> holds;
  for (const Interval& iv : timeline.all())
    if (iv.kind == Interval::Kind::GilHold) holds.push_back(iv);
  std::sort(holds.begin(), holds.end(), [](const Interval& a, const Interval& b) { return a.t0 < b.t0; });
  EXPECT_GE(holds.size(), static_cast<size_t>(threads));
  for (size_t i = 1; i < holds.size(); ++i)
    if (holds[i - 1].t1 > holds[i].t0) {
      ADD_FAILURE() << "workers " << holds[i - 1].worker << " and " << holds[i].worker
                    << " held the GIL at once (hold " << i << " of " << holds.size() << ")";
      break;
    }
  EXPECT_EQ(rt.count_drift(), 0);  // plain counts, but only ever touched under the lock
  for (int t = 0; t < threads; ++t) EXPECT_EQ(answers[static_cast<size_t>(t)], test::pow_native(t, w.difficulty, w.blocks));
  // Counted where they happen: every worker took the lock, and the totals are the sums.
  uint64_t acquires = 0;
  for (int t = 0; t < threads; ++t) {
    EXPECT_GE(stats.worker(t).acquires, 1u) << t;
    acquires += stats.worker(t).acquires;
  }
  EXPECT_EQ(acquires, stats.total().acquires);
  EXPECT_EQ(holds.size(), std::min<size_t>(acquires, Timeline::kMaxPerWorker * static_cast<size_t>(threads)))
      << "one recorded hold per acquisition";
  return {stats.total(), answers};
}

}  // namespace

TEST(Gil, NewProtocolHandsOverOnDropRequests) {
  // Contention needs the threads to run at once; on a busy machine they may not, so try again
  // (every attempt checks exclusion and answers) until they have met.
  auto [stats, answers] = run_under_gil<false>("new", 3);
  for (int attempt = 0; attempt < 20 && (stats.contended == 0 || stats.switches_in <= 3); ++attempt)
    std::tie(stats, answers) = run_under_gil<false>("new", 3);
  EXPECT_GE(stats.acquires, 3u);
  // Three CPU-bound threads with a 200 us interval: waiters time out, ask, and get the lock.
  EXPECT_GT(stats.switches_in, 3u);
  EXPECT_GT(stats.contended, 0u);
  EXPECT_GT(stats.wait_s, 0.0);
}

TEST(Gil, OldProtocolReleasesEveryCheckInterval) {
  auto [stats, answers] = run_under_gil<true>("old", 2);
  // Released and re-taken every 100 bytecodes: thousands of acquisitions.
  EXPECT_GT(stats.acquires, 1000u);
}

TEST(Gil, RejectsUnknownMode) {
  std::atomic<uint32_t> breaker{0};
  EXPECT_THROW(Gil(breaker, GilParams{"newest", 5000, 100}), std::invalid_argument);
}

TEST(Gil, JainsIndexTellsAnEvenShareFromAConvoy) {
  EXPECT_DOUBLE_EQ(jain_index({5, 5, 5, 5}), 1.0);
  EXPECT_DOUBLE_EQ(jain_index({10, 0}), 0.5);  // one worker had it all: 1/n
  EXPECT_NEAR(jain_index({3, 1}), 16.0 / 20.0, 1e-12);
  EXPECT_TRUE(std::isnan(jain_index({})));
  EXPECT_TRUE(std::isnan(jain_index({0, 0})));
}
