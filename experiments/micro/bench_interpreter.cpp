// The pow workload on one thread under every refcount policy: bytecodes per second, and the
// refcount operations each bytecode costs. The eval loop is the same template for all; only
// the policy (and whether immortal objects exist) changes.
#include <benchmark/benchmark.h>

#include "eval.hpp"
#include "refcount_policies.hpp"
#include "workloads.hpp"

namespace gillab {
namespace {

template <class P, bool Imm>
void BM_PowTask(benchmark::State& state) {
  WorkloadParams w{"pow", 8, 32, 0};
  Runtime<P> rt(build_workload(w), Imm);
  ThreadState<P> ts(rt);
  int64_t seed = 1;
  for (auto _ : state) {
    const int64_t args[3] = {seed++, w.difficulty, w.blocks};
    CallResult r = Interpreter<P, Imm>::call(ts, rt.global("pow_task"), args);
    if (!r.ok) state.SkipWithError(r.error.c_str());
    benchmark::DoNotOptimize(r.value);
  }
  state.counters["bytecodes/s"] = benchmark::Counter(static_cast<double>(ts.bytecodes), benchmark::Counter::kIsRate);
  state.counters["rc_ops/bytecode"] = static_cast<double>(ts.refcount_ops) / static_cast<double>(ts.bytecodes);
}

#define POW_BENCH(P, Imm, label) BENCHMARK_TEMPLATE(BM_PowTask, P, Imm)->Name("pow/" label)->Unit(benchmark::kMillisecond)
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
