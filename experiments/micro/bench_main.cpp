// gillab_bench: the Google Benchmark micro-benchmarks, then gillab's plain interpreter timed
// beside the machine's python3 on the same pow tasks, alternating A B A B so that drift in the
// machine's speed falls on both.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cpython_runner.hpp"
#include "eval.hpp"
#include "program.hpp"
#include "statistics.hpp"
#include "workload_files.hpp"

namespace {

using namespace gillab;

double g_python_limit_s = 120;  // one run of the tasks takes a few seconds; --python_limit_s= sets it

// One run of the tasks on the plain interpreter, one after another on this thread.
double run_plain(const RunSpec& spec, std::vector<int64_t>& answers) {
  const WorkloadParams& w = spec.workload;
  Runtime<rc::Plain> rt(build_workload(w), false);
  ThreadState<rc::Plain> ts(rt);
  answers.clear();
  const auto t0 = std::chrono::steady_clock::now();
  for (int64_t s : spec.seeds) {
    const int64_t args[3] = {s, w.difficulty, w.blocks};
    answers.push_back(Interpreter<rc::Plain, false>::call(ts, rt.global(kTaskGlobal), args).value);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The plain interpreter and `python` alternate, one run of the same four pow tasks each, both
// timed around the tasks alone; CPython's run is the harness's own (run_cpython: run_tasks.py on
// a watchdog, its JSON checked), so the bench and `gillab run` time CPython the same way.
int compare_with_python(const std::string& python, int rounds) {
  RunSpec spec;
  spec.workload = WorkloadParams{"pow", 8, 200};
  spec.seeds = {1, 2, 3, 4};
  std::vector<double> ours, theirs;
  std::vector<int64_t> our_answers, their_answers;
  std::string version;
  try {
    for (int round = 0; round < rounds; ++round) {
      ours.push_back(run_plain(spec, our_answers));
      const RunResult r = run_cpython(spec, python, "serial", g_python_limit_s);
      theirs.push_back(r.wall_s);
      their_answers = r.answers;
    }
    // A run prints no probe (it would cost every run its start-up): the version from --probe.
    version = probe_python(python, g_python_limit_s).value("version", "?");
  } catch (const ProgramNotStarted&) {
    std::printf("\npython comparison: '%s' is not here; skipped\n", python.c_str());
    return 0;
  } catch (const InputError& e) {
    std::fprintf(stderr, "gillab_bench: %s\n", e.what());
    return 2;
  }
  const WorkloadParams& w = spec.workload;
  double a = median_of(ours), b = median_of(theirs);
  std::printf("\npow, 4 tasks (difficulty %d, blocks %d), %d alternating rounds, medians:\n", w.difficulty, w.blocks, rounds);
  std::printf("  gillab plain serial   %8.4f s\n", a);
  std::printf("  python %-14s %8.4f s\n", version.c_str(), b);
  std::printf("  gillab / python time  %8.3f   (python is %.2fx gillab's time)\n", a / b, b / a);
  std::printf("  same answers: %s\n", our_answers == their_answers ? "yes" : "NO");
  return our_answers == their_answers ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string python = "python3";
  int rounds = 5;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--python=", 9) == 0) python = argv[i] + 9;
    else if (std::strncmp(argv[i], "--python_rounds=", 16) == 0) rounds = std::max(1, std::atoi(argv[i] + 16));
    else if (std::strncmp(argv[i], "--python_limit_s=", 17) == 0) g_python_limit_s = std::max(0.1, std::atof(argv[i] + 17));
    else args.push_back(argv[i]);
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return python == "none" ? 0 : compare_with_python(python, rounds);
}
