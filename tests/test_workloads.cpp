// The workloads: the interpreter's answers equal the native reference's, for both workloads,
// every shared fraction, and under every policy; golden values pin the algorithm itself.
#include <gtest/gtest.h>

#include <map>
#include <thread>
#include <vector>

#include "eval.hpp"
#include "refcount_policies.hpp"
#include "runtime.hpp"
#include "workloads.hpp"

using namespace gillab;

namespace {

template <class P, bool Imm = false>
int64_t run_task(const WorkloadParams& w, int64_t seed) {
  Runtime<P> rt(build_workload(w), Imm);
  ThreadState<P> ts(rt);
  std::vector<int64_t> args{seed, w.difficulty, w.blocks};
  CallResult r = Interpreter<P, Imm>::call(ts, rt.global(kTaskGlobal), args);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(rt.count_drift(), 0);
  return r.value;
}

}  // namespace

TEST(Workloads, GoldenAnswers) {
  // Computed once with the Python definition (experiments/cpython/pow.py) and pinned, so that
  // a change to the algorithm on either side shows.
  EXPECT_EQ(mix_native(1, 0), 2707954072u);
  EXPECT_EQ(mix_native(12345, 678), 3703306771u);
  EXPECT_EQ(pow_task_native(1, 8, 4), 297351680);
  EXPECT_EQ(pow_task_native(42, 8, 1), 1881836800);
  EXPECT_EQ(pow_task_native(7, 10, 16), 1686576640);
}

TEST(Workloads, InterpreterMatchesNative) {
  for (int64_t seed : {0, 1, 42, 123456789, 2147483647}) {
    WorkloadParams w{"pow", 6, 5, 0.0};
    EXPECT_EQ(run_task<rc::Plain>(w, seed), pow_task_native(seed, 6, 5)) << seed;
  }
}

// The ftscaling loops: each what its name says (a call, a global load, a constant, a tuple per
// iteration), with the native answer under the plain, atomic and biased policies, and
// immortal or deferred objects.
TEST(Workloads, FtScalingLoopsMatchNativeUnderEveryMechanism) {
  const std::map<std::string, Op> marks{{"pyfunction", Op::CALL}, {"module_function", Op::LOAD_GLOBAL},
                                        {"mult_constant", Op::BINARY_MULTIPLY}, {"create_pyobject", Op::BUILD_TUPLE}};
  for (const auto& [name, op] : marks) {
    WorkloadParams w{name, 4, 3, 0.5};
    const int64_t want = task_native(w, 12345);
    Program p = build_workload(w);
    bool has = false;
    for (const Instr& in : p.functions[1].code) has |= in.op == op;
    EXPECT_TRUE(has) << name;
    EXPECT_NE(want, 12345) << name << ": the loop changes its accumulator";
    EXPECT_EQ(run_task<rc::Plain>(w, 12345), want) << name;
    EXPECT_EQ(run_task<rc::Atomic>(w, 12345), want) << name;
    EXPECT_EQ((run_task<rc::Biased, true>(w, 12345)), want) << name;
  }
  EXPECT_NE(task_native(WorkloadParams{"pyfunction", 4, 3, 0.5}, 1), task_native(WorkloadParams{"mult_constant", 4, 3, 0.5}, 1));
  // Golden, from experiments/cpython/ftscaling.py: a change on either side shows.
  EXPECT_EQ(task_native(WorkloadParams{"pyfunction", 2, 1, 0.5}, 1), 2889557389);
  EXPECT_EQ(task_native(WorkloadParams{"pyfunction", 4, 3, 0.5}, 12345), 4249908681);
  EXPECT_EQ(task_native(WorkloadParams{"create_pyobject", 2, 1, 0.5}, 1), 2056679431);
  EXPECT_EQ(task_native(WorkloadParams{"module_function", 4, 3, 0.5}, 12345), 953415073);
}

TEST(Workloads, SharedFractionChangesLoadsNotAnswers) {
  for (double f : {0.0, 0.1, 0.5, 1.0}) {
    WorkloadParams w{"shared", 5, 3, f};
    Program p = build_workload(w);
    int globals = 0;
    for (const Instr& in : p.functions[0].code) globals += in.op == Op::LOAD_GLOBAL;
    EXPECT_EQ(globals, shared_sites(f)) << f;
    EXPECT_EQ(run_task<rc::Plain>(w, 7), pow_task_native(7, 5, 3)) << f;
  }
}

TEST(Workloads, EveryPolicyGivesTheSameAnswer) {
  WorkloadParams w{"shared", 5, 3, 0.5};
  int64_t want = pow_task_native(99, 5, 3);
  EXPECT_EQ((run_task<rc::Race>(w, 99)), want);
  EXPECT_EQ((run_task<rc::MutexPerObject>(w, 99)), want);
  EXPECT_EQ((run_task<rc::SpinStriped>(w, 99)), want);
  EXPECT_EQ((run_task<rc::Atomic, true>(w, 99)), want);
  EXPECT_EQ((run_task<rc::Cas>(w, 99)), want);
  EXPECT_EQ((run_task<rc::Biased, true>(w, 99)), want);
}

TEST(Workloads, BadParametersAreRejected) {
  EXPECT_THROW(build_workload({"nope", 8, 1, 0}), std::invalid_argument);
  EXPECT_THROW(build_workload({"pow", 31, 1, 0}), std::invalid_argument);
  EXPECT_THROW(build_workload({"pow", 8, 0, 0}), std::invalid_argument);
  EXPECT_THROW(build_workload({"shared", 8, 1, 1.5}), std::invalid_argument);
}

namespace {
// Threads that each run hand-off tasks at once on one runtime, no GIL: tuples made by one
// thread are dropped by another. Answers are pow's, and every count ends exact.
template <class P, bool Imm>
OpStats handoff_in_threads(int threads) {
  WorkloadParams w{"handoff", 4, 300, 0};
  Runtime<P> rt(build_workload(w), Imm);
  std::vector<int64_t> answers(static_cast<size_t>(threads));
  std::vector<OpStats> stats(static_cast<size_t>(threads));
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      tl_op_stats = OpStats{};
      {
        ThreadState<P> st(rt);
        const int64_t args[3] = {t, w.difficulty, w.blocks};
        CallResult r = Interpreter<P, Imm>::call(st, rt.global(kTaskGlobal), args);
        EXPECT_TRUE(r.ok) << r.error;
        answers[static_cast<size_t>(t)] = r.value;
      }  // the thread state leaves: what was queued to it since is merged here
      stats[static_cast<size_t>(t)] = tl_op_stats;
    });
  for (auto& th : ts) th.join();
  for (int t = 0; t < threads; ++t) EXPECT_EQ(answers[static_cast<size_t>(t)], pow_task_native(t, w.difficulty, w.blocks));
  EXPECT_EQ(rt.count_drift(), 0);
  OpStats total;
  for (auto& s : stats) total.add(s);
  EXPECT_EQ(total.premature_zero, 0u);
  return total;
}
}  // namespace

TEST(Workloads, HandoffQueuesObjectsToTheirOwnersUnderBiasedCounting) {
  WorkloadParams w{"handoff", 5, 3, 0};
  EXPECT_EQ(run_task<rc::Plain>(w, 11), pow_task_native(11, 5, 3));
  // Queueing needs two workers running at once; a busy machine may run them one after the
  // other, so try again (each attempt checks answers and counts) until they have overlapped.
  OpStats b;
  for (int attempt = 0; attempt < 50 && b.biased_queued == 0; ++attempt) b = handoff_in_threads<rc::Biased, true>(4);
  EXPECT_GT(b.biased_queued, 0u) << "another worker's tuple dropped: queued to its owner";
  EXPECT_GT(b.biased_merges, 0u);
  handoff_in_threads<rc::Biased, false>(3);
  handoff_in_threads<rc::Atomic, false>(3);
  handoff_in_threads<rc::Cas, true>(2);
  handoff_in_threads<rc::MutexPerObject, false>(2);
}
