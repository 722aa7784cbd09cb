// experiments/cpython/run_tasks.py, run by the machine's python3, runs the workload files as gillab does;
// several Pythons in one config; `make cpython`'s errors.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "config.hpp"
#include "cpython_runner.hpp"
#include "plan.hpp"
#include "topology.hpp"
#include "test_support.hpp"
#include "native_reference.hpp"
#include "workloads.hpp"

using namespace gillab;

namespace {
// A command's standard output, asserted to exit 0.
std::string output_of(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr) << cmd;
  if (!p) return "";
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << cmd << ": " << out;
  return out;
}
}  // namespace

// run_tasks.py runs a workload file's own task: the answers of workloads/pow.py in CPython,
// in each mode, are the native reference's.
TEST(CPython, RunTasksRunsTheWorkloadFileInEveryMode) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3 on this machine";
  for (const char* mode : {"serial", "threads", "processes"}) {
    std::string cmd = std::string("python3 ") + GILLAB_SOURCE_DIR + "/experiments/cpython/run_tasks.py --mode " + mode +
                      " --workers 2 --workload-file " + GILLAB_SOURCE_DIR + "/workloads/pow.py --seeds 0,42,2147483647 "
                      "--difficulty 5 --blocks 6";
    auto answers = nlohmann::json::parse(output_of(cmd))["answers"].get<std::vector<int64_t>>();
    ASSERT_EQ(answers.size(), 3u) << mode;
    EXPECT_EQ(answers[0], test::pow_native(0, 5, 6)) << mode;
    EXPECT_EQ(answers[1], test::pow_native(42, 5, 6)) << mode;
    EXPECT_EQ(answers[2], test::pow_native(2147483647, 5, 6)) << mode;
  }
}

// CPython's threads are pinned as the model's workers are: worker i to pu_for(i), as the child
// found itself bound (run_tasks.py reports it); unpinned, and a pool's processes, report -1.
TEST(CPython, ThreadsArePinnedAsTheModelsWorkersAre) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3 on this machine";
  Topology topo;
  if (topo.pus() < 2) GTEST_SKIP() << "one PU: an unpinned thread is bound to it anyway";
  RunSpec spec;
  spec.workload = WorkloadParams{"pow", 5, 6};
  spec.seeds = {1, 2, 3, 4};
  spec.workers = 2;
  spec.topo = &topo;
  spec.pin = PinMode::Cores;
  const RunResult pinned = run_cpython(spec, "python3", "threads", 60);
  EXPECT_EQ(pinned.bound_pus, (std::vector<int>{topo.pu_for(0, PinMode::Cores), topo.pu_for(1, PinMode::Cores)}));
  EXPECT_EQ(run_cpython(spec, "python3", "serial", 60).bound_pus, std::vector<int>{topo.pu_for(0, PinMode::Cores)});
  EXPECT_EQ(run_cpython(spec, "python3", "processes", 60).bound_pus, (std::vector<int>{-1, -1}));
  spec.pin = PinMode::None;
  EXPECT_EQ(run_cpython(spec, "python3", "threads", 60).bound_pus, (std::vector<int>{-1, -1}));
}

// ftscalingbench's method on a workload file: samples of T1 x N / TN in the Python under test,
// then a table beside a suite run's CPython rows, one line per loop, with its verdict.
TEST(CPython, FtScalingBenchMethodSitsBesideTheSuitesFigure) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3 on this machine";
  const std::string script = std::string(GILLAB_SOURCE_DIR) + "/experiments/cpython/ftscalingbench_method.py";
  auto got = nlohmann::json::parse(output_of("python3 " + script + " --sample --workload-file " GILLAB_SOURCE_DIR
                                             "/workloads/pyfunction.py --difficulty 6 --blocks 2 --threads 2 --samples 3"));
  ASSERT_EQ(got["samples"].size(), 3u);
  for (const auto& s : got["samples"]) {
    EXPECT_GT(s["t1_s"].get<double>(), 0);
    EXPECT_NEAR(s["speedup"].get<double>(), s["t1_s"].get<double>() * 2 / s["tn_s"].get<double>(), 1e-9);
  }
  test::TempDir d;
  auto run = test::run_gillab({"run", "configs/ftscaling.yaml", "--out", d.path.string(), "--quiet", "--set",
                               "implementation=cpython", "--set", "python=python3", "--set", "workload=[pyfunction, load_tuple_const]",
                               "--set", "blocks=1", "--set", "difficulty=6", "--set", "repetitions=2", "--set",
                               "max_repetitions=2", "--set", "warmup=0", "--set", "strategies=[serial, gil]"});
  ASSERT_NE(run.status, 2) << run.err;
  const std::string md = d.file("m.md");
  output_of("python3 " + script + " --summary " + d.file("summary-ftscaling.csv") + " --python python3 --samples 3 --cold-processes 2 --out " + md);
  const std::string text = test::slurp(md);
  for (const char* wl : {"| pyfunction | ", "| load_tuple_const | "}) EXPECT_NE(text.find(wl), std::string::npos) << text;
  EXPECT_NE(text.find(" of 2 agree."), std::string::npos) << text;
  EXPECT_NE(text.find("that do not, ftscalingbench's method reads below the suite's interval in "), std::string::npos) << text;
  // Each row also carries the first sample of fresh processes (the suite's conditions), and the
  // summary counts its agreement.
  EXPECT_NE(text.find("| first sample | agree |"), std::string::npos) << text;
  EXPECT_NE(text.find(". Its first sample agrees in "), std::string::npos) << text;
  for (const char* wl : {"| pyfunction | ", "| load_tuple_const | "}) {
    const size_t at = text.find(wl);
    ASSERT_NE(at, std::string::npos);
    const std::string line = text.substr(at, text.find('\n', at) - at);
    EXPECT_EQ(std::count(line.begin(), line.end(), '['), 3) << "suite, warm and first-sample intervals: " << line;
  }
}

// `python` is a list: each build its own rows (version and build in `python`, `gil_enabled`),
// a free-threaded build's threads a series of their own, its serial against the GIL build of
// the same source. Needs `make cpython`; skips with the reason otherwise.
TEST(CPython, EachBuildInTheListHasRowsOfItsOwn) {
  const std::string root = std::string(GILLAB_SOURCE_DIR) + "/build/cpython";
  std::vector<PythonBuild> builds = probe_pythons({root + "/*/bin/python3"}, 60);
  const auto ft = std::find_if(builds.begin(), builds.end(), [](const PythonBuild& b) { return b.free_threaded; });
  if (builds.size() < 2 || ft == builds.end()) GTEST_SKIP() << "no CPython builds in build/cpython (run `make cpython`)";
  EXPECT_FALSE(ft->gil_enabled);
  EXPECT_TRUE(ft->label.ends_with("t")) << ft->label;
  Config cfg = parse_config("experiment: cpython\nstrategies: [serial, gil, biased, processes]\nworkers: [1, 2]\n"
                            "implementation: cpython\n", "x.yaml", {});
  Plan plan = make_plan(cfg, builds);
  int ft_threads = 0;
  for (const Point& p : plan.points) {
    ASSERT_GE(p.python, 0);
    if (p.python_label == ft->label && p.strategy->name == "threads") ++ft_threads;
    if (p.python_label == ft->label && p.is_serial()) {
      const std::string gil_label = ft->label.substr(0, ft->label.size() - 1);
      EXPECT_EQ(plan.points[p.baseline].python_label, gil_label) << "free-threading's own cost: against the GIL build";
    }
  }
  EXPECT_EQ(ft_threads, 2);
}

TEST(CPython, AGlobThatMatchesNothingAddsNoPythonAndABuildTwiceIsAnError) {
  EXPECT_TRUE(probe_pythons({"/nonexistent/gillab/*/python3"}, 60).empty());
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3 on this machine";
  EXPECT_EQ(probe_pythons({"python3"}, 60).size(), 1u);
  EXPECT_THROW(probe_pythons({"python3", "python3"}, 60), std::runtime_error);
}

TEST(CPython, MakeCpythonWithoutASourceSaysSoAndExits2) {
  int status = std::system("cd " GILLAB_SOURCE_DIR " && d=$(mktemp -d) && CPYTHON_OUT=$d PYTHON_SRC=/nonexistent/Python-3.13.0.tar.xz "
                           "experiments/cpython/build-cpython.sh 2>/tmp/gillab-cpython-err.txt; rc=$?; rm -rf \"$d\"; exit $rc");
  EXPECT_EQ(WEXITSTATUS(status), 2);
  FILE* f = std::fopen("/tmp/gillab-cpython-err.txt", "r");
  ASSERT_NE(f, nullptr);
  char buf[512] = {};
  const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  EXPECT_NE(std::string(buf, n).find("PYTHON_SRC=/nonexistent/Python-3.13.0.tar.xz: no such file"), std::string::npos) << buf;
}
