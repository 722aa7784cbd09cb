// gillab_bench: the Google Benchmark micro-benchmarks, then gillab's plain interpreter timed
// beside the machine's python3 on the same pow tasks, alternating A B A B so that drift in the
// machine's speed falls on both.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cpython_runner.hpp"
#include "eval.hpp"
#include "json_input.hpp"
#include "program.hpp"
#include "statistics.hpp"
#include "workload_files.hpp"

namespace {

using namespace gillab;

double g_python_limit_s = 120;  // one run of the tasks takes a few seconds; --python_limit_s= sets it

int compare_with_python(const std::string& python, int rounds) {
  const WorkloadParams w{"pow", 8, 200};
  const std::vector<int64_t> seeds{1, 2, 3, 4};
  std::string seed_list = "1,2,3,4";
  const std::vector<std::string> argv{python, std::string(GILLAB_SOURCE_DIR) + "/experiments/cpython/run_tasks.py", "--mode",
                                      "serial", "--workload-file", workload_path(w.name), "--seeds", seed_list,
                                      "--difficulty", std::to_string(w.difficulty), "--blocks", std::to_string(w.blocks)};
  const std::string doing = "timing pow beside the plain interpreter";
  std::vector<double> ours, theirs;
  std::vector<int64_t> our_answers, their_answers;
  std::string version;
  for (int round = 0; round < rounds; ++round) {
    Runtime<rc::Plain> rt(build_workload(w), false);
    ThreadState<rc::Plain> ts(rt);
    our_answers.clear();
    auto t0 = std::chrono::steady_clock::now();
    for (int64_t s : seeds) {
      const int64_t args[3] = {s, w.difficulty, w.blocks};
      our_answers.push_back(Interpreter<rc::Plain, false>::call(ts, rt.global(kTaskGlobal), args).value);
    }
    ours.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

    // One outside program, on a watchdog (program.hpp): absent, it is skipped; hung, crashed or
    // printing anything but run_tasks.py's JSON, it is one line and exit 2.
    const ProgramRun run = run_program(argv, g_python_limit_s);
    if (!run.started) {
      std::printf("\npython comparison: '%s' is not here; skipped\n", python.c_str());
      return 0;
    }
    try {
      if (std::string why = program_failure(run, python, doing, g_python_limit_s); !why.empty()) throw ProgramError(why);
      const nlohmann::json j = parse_json(run.out, "'" + python + "' (" + doing + ") printed", "run_tasks.py's JSON");
      check_json_shape(j, {{"wall_s", JsonKind::Number}, {"answers", JsonKind::Array}}, "'" + python + "' (" + doing + ") printed");
      theirs.push_back(j["wall_s"].get<double>());
      their_answers.clear();
      for (const auto& a : j["answers"]) their_answers.push_back(a.is_number_integer() ? a.get<int64_t>() : -1);
    } catch (const InputError& e) {
      std::fprintf(stderr, "gillab_bench: %s\n", e.what());
      return 2;
    }
  }
  try {  // a run prints no probe (it would cost every run its start-up): the version from --probe
    version = probe_python(python, g_python_limit_s).value("version", "?");
  } catch (const InputError& e) {
    std::fprintf(stderr, "gillab_bench: %s\n", e.what());
    return 2;
  }
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
