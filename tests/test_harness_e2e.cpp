// The harness end to end: the smoke config runs every strategy into tidy CSV with its
// manifest; a run that crashes, hangs or answers wrongly is a failed row and the suite goes on;
// an interrupted run leaves the old results; CPython runs the same workload files, a user's too.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "config.hpp"
#include "driver.hpp"
#include "strategy.hpp"
#include "test_support.hpp"

using namespace gillab;
using gillab::test::kTiny;
using gillab::test::TempDir;

namespace {

RunResult abort_run(const RunSpec&) { std::abort(); }
RunResult hang_run(const RunSpec&) {
  for (;;) pause();
}
RunResult wrong_run(const RunSpec& s) {
  RunResult r;
  r.ok = true;
  r.wall_s = 0.001;
  r.answers.assign(s.seeds.size(), 42);
  return r;
}

const bool registered = [] {
  register_strategy({"test-abort", "aborts (tests only)", true, false, false, abort_run});
  register_strategy({"test-hang", "never returns (tests only)", true, false, false, hang_run});
  register_strategy({"test-wrong", "answers 42 (tests only)", true, false, false, wrong_run});
  return true;
}();
}  // namespace

TEST(EndToEnd, SmokeConfigRunsEveryStrategy) {
  TempDir d;
  auto p = test::run_gillab({"run", "configs/smoke.yaml", "--out", d.path.string(), "--quiet"});
  ASSERT_EQ(p.status, 0) << p.err << p.out;
  std::vector<std::string> header;
  auto rows = test::read_csv(d.file("smoke.csv"), &header);
  for (const char* col : {"experiment", "strategy", "workload", "workers", "tasks", "rep", "wall_s", "cpu_s",
                          "speedup", "efficiency", "bytecodes", "refcount_ops", "lock_acquires", "lock_contended",
                          "cas_retries", "cas_retries_max", "gil_switches", "lost_updates", "result_ok",
                          "oversubscribed", "cpus"})
    EXPECT_NE(std::find(header.begin(), header.end(), col), header.end()) << col;
  auto m = nlohmann::json::parse(test::slurp(d.file("smoke.json")));
  const int cores = m["machine"]["cores"].get<int>();
  std::set<std::string> seen;
  long long race_lost = 0;
  for (auto& r : rows) {
    EXPECT_EQ(r["#fields"], std::to_string(header.size()));
    EXPECT_EQ(r["result_ok"], "1") << r["implementation"] << " " << r["strategy"] << " " << r["error"];
    EXPECT_GT(std::stod(r["wall_s"]), 0);
    if (r["implementation"] == "cpython") {
      // The same tasks in real Python: times and checked answers, no model counters.
      EXPECT_EQ(r["bytecodes"], "");
      EXPECT_EQ(r["lost_updates"], "");
      continue;
    }
    EXPECT_EQ(r["implementation"], "gillab");
    seen.insert(r["strategy"]);
    EXPECT_GT(std::stod(r["bytecodes"]), 0);
    if (r["strategy"] != "race") {
      EXPECT_EQ(r["lost_updates"], "0") << r["strategy"];  // every safe strategy: 0 and 0
      EXPECT_EQ(r["premature_zero"], "0") << r["strategy"];
    } else if (r["workers"] != "1") {
      race_lost += std::stoll(r["lost_updates"]);
    }
    if (r["strategy"] == "gil") {
      EXPECT_NE(r["gil_switches"], "");
    }
    if (r["strategy"] == "cas") {
      EXPECT_NE(r["cas_retries"], "");
    }
    if (r["strategy"] == "interpreters") {
      EXPECT_GT(std::stod(r["startup_s"]), 0) << "each interpreter's creation, timed apart from the run";
    } else {
      EXPECT_EQ(r["startup_s"], "");
    }
    if (r["strategy"] == "refcount-lock") {
      EXPECT_NE(r["lock_contended"], "") << "contended acquisitions are counted where they happen";
    }
    // The ideal the tasks allow on the point's workers, from its baseline's task times: above 1,
    // never above the workers (makespan.hpp); blank at one worker.
    if (r["workers"] != "1" && r["result_ok"] == "1" && !r["speedup"].empty()) {
      ASSERT_NE(r["ideal_speedup"], "") << r["strategy"];
      EXPECT_GT(std::stod(r["ideal_speedup"]), 1.0);
      EXPECT_LE(std::stod(r["ideal_speedup"]), std::stod(r["workers"]) + 1e-9);
    } else if (r["workers"] == "1") {
      EXPECT_EQ(r["ideal_speedup"], "");
    }
    // More workers than the machine's cores is flagged, fewer is not.
    EXPECT_EQ(r["oversubscribed"], std::stoi(r["workers"]) > cores ? "1" : "0");
    // Each pinned worker's package and NUMA node, one per bound PU.
    const auto items = [](const std::string& v) { return v.empty() ? 0 : 1 + std::count(v.begin(), v.end(), ';'); };
    if (r["bound_pus"].find('-') == std::string::npos) {
      EXPECT_EQ(items(r["bound_packages"]), items(r["bound_pus"])) << r["bound_pus"];
      EXPECT_EQ(items(r["bound_numa"]), items(r["bound_pus"])) << r["bound_pus"];
      EXPECT_EQ(r["bound_packages"].find('-'), std::string::npos) << r["bound_packages"];
    }
  }
  EXPECT_EQ(seen, (std::set<std::string>{"serial", "gil", "race", "refcount-lock", "atomic", "cas", "biased",
                                         "biased-unlocked", "processes", "interpreters"}));
  // Figure 2 on this machine: two threads with plain counts lose updates, once they run at the
  // same time. The smoke runs are short, and a busy machine may run their two threads one
  // after the other: then race runs again, longer, until updates are lost (bounded).
  TempDir retry;  // a directory of its own: the smoke results above stay as they were
  for (int attempt = 0; attempt < 20 && race_lost == 0; ++attempt) {
    auto again = test::run_gillab({"run", "configs/smoke.yaml", "--out", retry.path.string(), "--quiet", "--set",
                                   "strategies=race", "--set", "workload=shared", "--set", "implementation=gillab",
                                   "--set", "immortal=false", "--set", "workers=2", "--set", "blocks=400"});
    ASSERT_EQ(again.status, 0) << again.err;
    for (auto& r : test::read_csv(retry.file("smoke.csv")))
      if (r["strategy"] == "race") race_lost += std::stoll(r["lost_updates"]);
  }
  EXPECT_GT(race_lost, 0);

  for (const char* path : {"/gillab/version", "/gillab/git_commit", "/date", "/machine/host", "/machine/kernel",
                           "/machine/cpu_model", "/machine/cores", "/machine/pus", "/binding/pin",
                           "/binding/worker_to_pu/cores", "/build/compiler", "/build/flags", "/build/build_type",
                           "/config/path", "/config/text", "/results/reference_answers", "/gillab/dirty",
                           "/capacity/speedup", "/capacity/workers", "/statistics/seed", "/statistics/resamples",
                           "/statistics/rounds", "/load_before", "/load_after", "/machine/smt", "/machine/aslr",
                           "/machine/virtualization", "/machine/caches"})
    EXPECT_TRUE(m.contains(nlohmann::json::json_pointer(path))) << path;
  EXPECT_EQ(m["config"]["text"], test::slurp(std::string(GILLAB_SOURCE_DIR) + "/configs/smoke.yaml"));

  std::vector<std::string> tl_header;
  auto tl = test::read_csv(d.file("timeline-smoke.csv"), &tl_header);
  EXPECT_FALSE(tl.empty());
  bool gil_hold = false;
  for (auto& r : tl) gil_hold |= r["kind"] == "gil";
  EXPECT_TRUE(gil_hold);
}

TEST(EndToEnd, CrashHangAndWrongAnswerAreFailedRowsAndTheSuiteGoesOn) {
  TempDir d;
  // A short watchdog for the hung runs; every other test keeps the default, since a busy
  // machine may take seconds to start a run (CPython's start-up above all).
  d.write("faults.yaml", std::string(kTiny) + "strategies: serial, test-abort, test-hang, test-wrong, processes\ntimeout_s: 1\naa: false\n");
  Config cfg = load_config(d.file("faults.yaml"), {});
  RunOptions opt;
  opt.quiet = true;
  opt.out_dir = d.path.string();
  auto t0 = std::chrono::steady_clock::now();
  int rc = run_config(cfg, opt);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(rc, 1);
  EXPECT_LT(took, 15);  // two hung runs at timeout_s = 1 each, not forever
  auto rows = test::read_csv(d.file("faults.csv"));
  ASSERT_EQ(rows.size(), 10u);  // 5 points x 2 repetitions: every run is a row
  for (auto& r : rows) {
    const std::string& s = r["strategy"];
    if (s == "test-abort") {
      EXPECT_EQ(r["result_ok"], "0");
      EXPECT_NE(r["error"].find("signal 6"), std::string::npos) << r["error"];
    } else if (s == "test-hang") {
      EXPECT_EQ(r["result_ok"], "0");
      EXPECT_NE(r["error"].find("timed out"), std::string::npos) << r["error"];
      EXPECT_EQ(r["wall_s"], "");
    } else if (s == "test-wrong") {
      EXPECT_EQ(r["result_ok"], "0");
      EXPECT_NE(r["error"].find("wrong answer: task 0 gave 42"), std::string::npos) << r["error"];
    } else {
      EXPECT_EQ(r["result_ok"], "1") << s << ": " << r["error"];  // runs after the faults still ran
    }
  }
}

TEST(EndToEnd, InterruptedRunWritesNothingAndKeepsOldResults) {
  TempDir d;
  d.write("long.yaml", "experiment: gil\nworkers: 2\nrepetitions: 1000\nwarmup: 0\nblocks: 200\n");
  d.write("long.csv", "previous results\n");
  // Interrupted in its rounds: a second after the start, once the first round has printed.
  auto p = test::run_gillab({"run", d.file("long.yaml"), "--out", d.path.string()}, 1.0, {}, 600, "[1/");
  EXPECT_EQ(p.status, 130) << p.err.substr(0, 2000);
  EXPECT_NE(p.err.find("interrupted: nothing written"), std::string::npos);
  EXPECT_EQ(test::slurp(d.file("long.csv")), "previous results\n");
  EXPECT_EQ(d.listing(), (std::vector<std::string>{"long.csv", "long.yaml"}));
}

TEST(EndToEnd, CPythonRunsTheSameTasksBesideTheModel) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3 on this machine";
  TempDir d;
  d.write("cp.yaml", std::string(kTiny) + "implementation: gillab, cpython\nstrategies: serial, gil, processes\n");
  auto p = test::run_gillab({"run", d.file("cp.yaml"), "--out", d.path.string(), "--quiet"});
  ASSERT_EQ(p.status, 0) << p.err;
  auto rows = test::read_csv(d.file("cp.csv"));
  std::set<std::string> cpython_strategies;
  for (auto& r : rows) {
    EXPECT_EQ(r["result_ok"], "1") << r["implementation"] << " " << r["strategy"] << ": " << r["error"];
    if (r["implementation"] == "cpython") cpython_strategies.insert(r["strategy"]);
  }
  // Each CPython row's answers were checked against the same reference as gillab's.
  EXPECT_EQ(cpython_strategies, (std::set<std::string>{"serial", "threads", "processes"}));
  auto m = nlohmann::json::parse(test::slurp(d.file("cp.json")));
  EXPECT_TRUE(m["python"].contains("version"));
  EXPECT_TRUE(m["python"].contains("gil_enabled_at_run_time"));

  // A Python that warns on standard error still gives clean results: only stdout is JSON.
  d.write("pywarn", "#!/bin/sh\necho 'DeprecationWarning: something' >&2\nexec python3 \"$@\"\n");
  std::filesystem::permissions(d.file("pywarn"), std::filesystem::perms::owner_all);
  d.write("warn.yaml", std::string(kTiny) + "implementation: cpython\nstrategies: serial, gil\npython: " +
                          d.file("pywarn") + "\n");
  auto warned = test::run_gillab({"run", d.file("warn.yaml"), "--out", d.path.string(), "--quiet"});
  EXPECT_EQ(warned.status, 0) << warned.err;
  for (auto& r : test::read_csv(d.file("warn.csv"))) EXPECT_EQ(r["result_ok"], "1") << r["error"];

  d.write("bad.yaml", std::string(kTiny) + "implementation: cpython\npython: /no/such/python\n");
  auto bad = test::run_gillab({"run", d.file("bad.yaml"), "--out", d.path.string()});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("bad.yaml:10:1: key 'python': '/no/such/python' (probing its version and build) could not be started"), std::string::npos) << bad.err;
}

// A user's workload file, outside workloads/: no rebuild, run on the model and in CPython with
// the answers checked; one that overflows the model's 64-bit ints fails its rows, and one the
// compiler refuses is one line with its place, exit 2, nothing written.
TEST(EndToEnd, AUsersWorkloadFileRunsInBothImplementations) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3 on this machine";
  TempDir d;
  d.write("mine.py", "\"\"\"Mine: a masked sum of squares.\"\"\"\n\n\ndef task(seed, difficulty, blocks):\n"
                     "    t = seed\n    for i in range(blocks * 50):\n        t = (t + i * i) & 0xFFFFFFFF\n"
                     "    return t\n");
  d.write("mine.yaml", std::string(kTiny) + "implementation: gillab, cpython\nstrategies: serial, gil, processes\n"
                                            "workload: " + d.file("mine.py") + "\n");
  auto p = test::run_gillab({"run", d.file("mine.yaml"), "--out", d.path.string(), "--quiet"});
  ASSERT_EQ(p.status, 0) << p.err;
  std::set<std::string> implementations;
  for (auto& r : test::read_csv(d.file("mine.csv"))) {
    EXPECT_EQ(r["result_ok"], "1") << r["implementation"] << " " << r["strategy"] << ": " << r["error"];
    EXPECT_EQ(r["workload"], d.file("mine.py"));
    implementations.insert(r["implementation"]);
  }
  EXPECT_EQ(implementations, (std::set<std::string>{"gillab", "cpython"}));

  // x * x outgrows 64 bits though the answer does not: CPython's big ints give the reference,
  // the model stops with an error, and every row says so.
  d.write("grow.py", "def task(seed, difficulty, blocks):\n    x = seed | (1 << 40)\n    return (x * x) % 1000\n");
  d.write("grow.yaml", std::string(kTiny) + "strategies: serial, gil\nworkload: " + d.file("grow.py") + "\n");
  auto grow = test::run_gillab({"run", d.file("grow.yaml"), "--out", d.path.string(), "--quiet"});
  EXPECT_NE(grow.status, 0);
  auto grown = test::read_csv(d.file("grow.csv"));
  ASSERT_FALSE(grown.empty());
  for (auto& r : grown) {
    EXPECT_EQ(r["result_ok"], "0") << r["strategy"];
    EXPECT_NE(r["error"].find("integer overflow"), std::string::npos) << r["error"];
  }
  // An answer beyond 64 bits is one the model could never give: exit 2 before any run.
  d.write("big.py", "def task(seed, difficulty, blocks):\n    x = seed | (1 << 40)\n    return x * x\n");
  d.write("big.yaml", std::string(kTiny) + "strategies: serial\nworkload: " + d.file("big.py") + "\n");
  auto big = test::run_gillab({"run", d.file("big.yaml"), "--out", d.path.string()});
  EXPECT_EQ(big.status, 2);
  EXPECT_NE(big.err.find("not an int of 64 bits"), std::string::npos) << big.err;
  EXPECT_FALSE(std::filesystem::exists(d.file("big.csv")));

  // CPython's reference run has the run's watchdog: a task that never ends is exit 2, not a hang.
  d.write("spin.py", "def task(seed, difficulty, blocks):\n    while seed >= 0:\n        seed = seed + 1\n    return seed\n");
  d.write("spin.yaml", std::string(kTiny) + "strategies: serial\ntimeout_s: 1\nworkload: " + d.file("spin.py") + "\n");
  auto spin = test::run_gillab({"run", d.file("spin.yaml"), "--out", d.path.string()});
  EXPECT_EQ(spin.status, 2);
  EXPECT_NE(spin.err.find("reference answers) ran past 1 s"), std::string::npos) << spin.err;

  d.write("lam.py", "def task(seed, difficulty, blocks):\n    f = lambda x: x\n    return seed\n");
  d.write("lam.yaml", std::string(kTiny) + "workload: " + d.file("lam.py") + "\n");
  auto before = d.listing();
  auto lam = test::run_gillab({"run", d.file("lam.yaml"), "--out", d.path.string()});
  EXPECT_EQ(lam.status, 2);
  EXPECT_NE(lam.err.find(d.file("lam.py") + ":2:9: lambda is not supported"), std::string::npos) << lam.err;
  EXPECT_EQ(std::count(lam.err.begin(), lam.err.end(), '\n'), 1) << lam.err;
  EXPECT_EQ(d.listing(), before);
  // A str is a constant the model compares and never operates on: 'ab' * 2 is refused where it is.
  d.write("str.py", "def task(seed, difficulty, blocks):\n    if seed == 'ab':\n        return 0\n    return seed + ('ab' * 2 == 'abab')\n");
  d.write("str.yaml", std::string(kTiny) + "workload: " + d.file("str.py") + "\n");
  before = d.listing();
  auto str = test::run_gillab({"run", d.file("str.yaml"), "--out", d.path.string()});
  EXPECT_EQ(str.status, 2);
  EXPECT_NE(str.err.find(d.file("str.py") + ":4:20: an operation on a str"), std::string::npos) << str.err;
  EXPECT_EQ(d.listing(), before);
}

// run_s sizes every run: blocks is read off a pilot, recorded in the manifest, and every row
// does the calibrated work. A single block of pow lasts well under a millisecond on any machine,
// so 50 ms needs many: were calibration off, the rows would keep blocks 1.
TEST(EndToEnd, RunLengthIsCalibratedBeforeAnythingRuns) {
  TempDir d;
  d.write("len.yaml", std::string(kTiny) + "strategies: serial, gil\naa: false\nrun_s: 0.05\n");
  auto p = test::run_gillab({"run", d.file("len.yaml"), "--set", "workers=1", "--set", "blocks=1", "--out", d.path.string()});
  ASSERT_EQ(p.status, 0) << p.err;
  EXPECT_NE(p.err.find("gillab: calibrated: blocks "), std::string::npos) << p.err;
  const nlohmann::json m = nlohmann::json::parse(test::slurp(d.file("len.json")));
  const nlohmann::json& c = m.at("calibration");
  EXPECT_EQ(c.at("blocks_given").get<int>(), 1);
  const int blocks = c.at("blocks").get<int>();
  EXPECT_GT(blocks, 1);
  // The calibrated blocks is the pilot's scaled to run_s: blocks = pilot_blocks x run_s / pilot_s.
  EXPECT_EQ(blocks, std::llround(c.at("pilot_blocks").get<double>() * 0.05 / c.at("pilot_s").get<double>()));
  auto rows = test::read_csv(d.file("len.csv"));
  ASSERT_FALSE(rows.empty());
  for (auto& r : rows) {
    EXPECT_EQ(r["blocks"], std::to_string(blocks));
    EXPECT_EQ(r["result_ok"], "1") << r["error"];
  }
  // Off by default: no record, blocks as given.
  d.write("off.yaml", std::string(kTiny) + "strategies: serial\naa: false\n");
  ASSERT_EQ(test::run_gillab({"run", d.file("off.yaml"), "--out", d.path.string(), "--quiet"}).status, 0);
  EXPECT_FALSE(nlohmann::json::parse(test::slurp(d.file("off.json"))).contains("calibration"));
  // Out of range: one line at the key, exit 2.
  auto bad = test::run_gillab({"run", d.file("off.yaml"), "--set", "run_s=-1", "--out", d.path.string()});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("key 'run_s': expected number 0..3600"), std::string::npos) << bad.err;
}
