// The pow workload on one thread under every refcount policy: bytecodes per second, and the
// refcount operations each bytecode costs. The eval loop is the same template for all; only
// the policy (and whether immortal objects exist) changes.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "bench_pinning.hpp"
#include "micro_row.hpp"
#include "eval.hpp"
#include "gil.hpp"
#include "gil_stats.hpp"
#include "refcount_policies.hpp"
#include "workload_files.hpp"
#include "workloads.hpp"

namespace gillab {
namespace {

// A string as a template argument, so that each instantiation knows the policy label it is shown by.
template <size_t N>
struct Label {
  constexpr Label(const char (&s)[N]) { std::copy_n(s, N, text); }
  char text[N];
};

template <class P, bool Imm, Label L>
void BM_PowTask(benchmark::State& state) {
  WorkloadParams w{"pow", 8, 32};
  Runtime<P> rt(build_workload(w), Imm);
  ThreadState<P> ts(rt);
  int64_t seed = 1;
  for (auto _ : state) {
    const int64_t args[3] = {seed++, w.difficulty, w.blocks};
    CallResult r = Interpreter<P, Imm>::call(ts, rt.global(kTaskGlobal), args);
    if (!r.ok) state.SkipWithError(r.error.c_str());
    benchmark::DoNotOptimize(r.value);
  }
  state.counters["bytecodes/s"] = benchmark::Counter(static_cast<double>(ts.bytecodes), benchmark::Counter::kIsRate);
  state.counters["rc_ops/bytecode"] = static_cast<double>(ts.refcount_ops) / static_cast<double>(ts.bytecodes);
  MicroRow{.group = "pow", .policy = L.text}.describe(state);
}

#define POW_BENCH(P, Imm, label) BENCHMARK_TEMPLATE(BM_PowTask, P, Imm, label)->Name("pow/" label)->Unit(benchmark::kMillisecond)
POW_BENCH(rc::Plain, false, "plain");
POW_BENCH(rc::Plain, true, "plain+immortal");
POW_BENCH(rc::MutexPerObject, false, "refcount-lock:mutex");
POW_BENCH(rc::SpinPerObject, false, "refcount-lock:spinlock");
POW_BENCH(rc::MutexStriped, false, "refcount-lock:striped-mutex");
POW_BENCH(rc::SpinStriped, false, "refcount-lock:striped-spinlock");
POW_BENCH(rc::Atomic, false, "atomic");
POW_BENCH(rc::Atomic, true, "atomic+immortal");
POW_BENCH(rc::Cas, false, "cas");
POW_BENCH(rc::Cas, true, "cas+immortal");
POW_BENCH(rc::Biased, false, "biased");
POW_BENCH(rc::Biased, true, "biased+immortal");

}  // namespace
}  // namespace gillab

namespace gillab {
namespace {

// Dispatch: the eval loop's cost per instruction with no refcount work (1000 NOPs a call).
void BM_Dispatch(benchmark::State& state) {
  Assembler a("nops", {});
  for (int i = 0; i < 1000; ++i) a.emit(Op::NOP);
  a.load_none().emit(Op::RETURN_VALUE);
  Program p;
  p.functions.push_back(a.finish());
  p.globals.push_back({GlobalInit::Kind::Function, 0, "nops"});
  Runtime<rc::Plain> rt(p, false);
  ThreadState<rc::Plain> ts(rt);
  for (auto _ : state) benchmark::DoNotOptimize(Interpreter<rc::Plain, false>::call(ts, rt.global("nops"), {}).ok);
  state.counters["s_per_op"] =
      benchmark::Counter(static_cast<double>(ts.bytecodes), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  MicroRow{.group = "eval", .policy = "dispatch-nop"}.describe(state);
}
BENCHMARK(BM_Dispatch)->Name("eval/dispatch-nop");

// GIL hand-off: two CPU-bound threads under the new GIL, each checking the eval breaker in a
// tight loop. Manual time: the time per switch of the lock from one thread to the other, for
// a given switch interval (the argument, in microseconds).
void BM_GilHandoff(benchmark::State& state) {
  const int interval = static_cast<int>(state.range(0));
  const uint64_t switches_wanted = interval >= 1000 ? 20 : 400;
  for (auto _ : state) {
    std::atomic<uint32_t> breaker{0};
    GilStats stats(2, nullptr);
    Gil gil(breaker, GilParams{"new", interval, 100}, &stats);
    std::atomic<bool> done{false};
    std::atomic<uint64_t> switches{0};
    auto body = [&](int w) {
      pin_benchmark_thread(w);
      gil.take(w);
      while (!done.load(std::memory_order_relaxed)) {
        if (breaker.load(std::memory_order_relaxed)) {
          gil.on_eval_breaker(w);
          if (switches.fetch_add(1) + 1 >= switches_wanted) done = true;
        }
      }
      gil.drop(w);
    };
    auto t0 = std::chrono::steady_clock::now();
    std::thread a(body, 0), b(body, 1);
    a.join();
    b.join();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state.SetIterationTime(s / static_cast<double>(stats.total().switches_in));
  }
  MicroRow{.group = "gil", .policy = "handoff", .arg = std::to_string(interval), .per_op = "real"}.describe(state);
}
BENCHMARK(BM_GilHandoff)->Name("gil/handoff")->Arg(1)->Arg(5000)->UseManualTime()->Iterations(3);

}  // namespace
}  // namespace gillab
