// gillab_bench: the Google Benchmark micro-benchmarks, then gillab's plain interpreter timed
// beside the machine's python3 on the same pow tasks, alternating A B A B so that drift in the
// machine's speed falls on both.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cpython_runner.hpp"
#include "program.hpp"
#include "statistics.hpp"
#include "strategy.hpp"

namespace {

using namespace gillab;

double g_python_limit_s = 120;  // one run of the tasks takes a few seconds; --python_limit_s= sets it

// The plain interpreter and `python` alternate, one run of the same four pow tasks each, both
// timed around the tasks alone by the runners `gillab run` uses (the serial strategy, unpinned
// here; run_cpython: run_tasks.py on a watchdog, its JSON checked).
int compare_with_python(const std::string& python, int rounds) {
  RunSpec spec;
  spec.workload = WorkloadParams{"pow", 8, 200};
  spec.seeds = {1, 2, 3, 4};
  spec.pin = PinMode::None;  // this thread's affinity, as the bench's own loops
  std::vector<double> ours, theirs;
  std::vector<int64_t> our_answers, their_answers;
  std::string version;
  try {
    for (int round = 0; round < rounds; ++round) {
      const RunResult mine = find_strategy("serial")->run(spec);
      if (!mine.ok) {
        std::fprintf(stderr, "gillab_bench: the plain interpreter's run failed: %s\n", mine.error.c_str());
        return 1;
      }
      ours.push_back(mine.wall_s);
      our_answers = mine.answers;
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
