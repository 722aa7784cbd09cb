// Hostile input: every outside program gillab starts (a Python's probe and its tasks, git, the
// benchmark's Python), made to hang, crash, print garbage, print JSON of the wrong shape or
// exit 0 with nothing; every file gillab reads (raw CSV, manifest, Google Benchmark JSON)
// truncated, reshaped or emptied. Each case must end within its limit with exit 2 and one
// line naming the program or file, and leave the results folder byte-identical.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "interpreters_runner.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using gillab::test::Proc;
using gillab::test::TempDir;

namespace {

const char* kSmall =
    "experiment: speedup\ntasks: 2\nworkers: 1\nstrategies: serial\nrepetitions: 2\nmax_repetitions: 2\nwarmup: 0\n"
    "difficulty: 4\nblocks: 4\n";

bool have_python() { return std::system("command -v python3 >/dev/null 2>&1") == 0; }

// Every file under dir, by relative path, with its bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = gillab::test::slurp(e.path().string());
  return files;
}

size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

// The fault's one line: exit 2, stderr exactly one line holding `expected`.
void expect_one_line(const Proc& p, const std::string& expected, const std::string& what) {
  EXPECT_EQ(p.status, 2) << what << ": " << p.err;
  EXPECT_EQ(lines(p.err), 1u) << what << ": " << p.err;
  EXPECT_NE(p.err.find(expected), std::string::npos) << what << ": expected '" << expected << "' in: " << p.err;
}

void write_script(const TempDir& d, const std::string& name, const std::string& body) {
  d.write(name, "#!/bin/sh\n" + body + "\n");
  fs::permissions(d.file(name), fs::perms::owner_all);
}

// One small, real results folder, made once: what the reader faults corrupt copies of.
class Hostile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fixture_ = new TempDir;
    fixture_->write("s.yaml", kSmall);
    Proc p = gillab::test::run_gillab({"run", fixture_->file("s.yaml"), "--out", fixture_->file("set"), "--quiet"});
    ASSERT_EQ(p.status, 0) << p.err;
  }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
  }
  // A fresh copy of the fixture's results folder.
  fs::path copy_set(const TempDir& d) {
    fs::copy(fixture_->file("set"), d.file("set"), fs::copy_options::recursive);
    return d.file("set");
  }
  static TempDir* fixture_;
};
TempDir* Hostile::fixture_ = nullptr;

struct Fault {
  std::string name, body, expected;
};

// The five faults of an outside program that should have printed JSON.
// `marker` names the hang's sleeps, so that a test can tell its own leftovers from another's.
std::vector<Fault> json_program_faults(const std::string& doing, const std::string& marker) {
  return {{"hang", "sleep " + marker + " & exec sleep 1" + marker, "(" + doing + ") ran past 2 s: killed"},
          {"crash", "kill -SEGV $$", "(" + doing + ") was killed by signal 11"},
          {"garbage", "echo 'Traceback? <<< not json'", "(" + doing + ") printed:1:1: expected run_tasks.py's JSON"},
          {"empty", "exit 0", "(" + doing + ") printed: empty, expected run_tasks.py's JSON"},
          {"status", "echo 'boom: it broke' >&2; exit 3", "(" + doing + ") exited with status 3: boom: it broke"}};
}

}  // namespace

TEST_F(Hostile, APythonWhoseProbeMisbehavesIsOneLineAtItsKey) {
  TempDir d;
  const fs::path set = copy_set(d);
  const auto before = snapshot(set);
  std::vector<Fault> faults = json_program_faults("probing its version and build", "317.25");
  faults.push_back({"shape", "echo '{\"python\": {\"version\": 3, \"build\": \"gil\"}}'",
                    "(probing its version and build) printed: key 'python.version': expected a string, got an integer"});
  for (const Fault& f : faults) {
    write_script(d, "py-" + f.name, f.body);
    d.write("c.yaml", std::string(kSmall) + "implementation: cpython\ntimeout_s: 2\npython: " + d.file("py-" + f.name) + "\n");
    const auto t0 = std::chrono::steady_clock::now();
    Proc p = gillab::test::run_gillab({"run", d.file("c.yaml"), "--out", set.string(), "--quiet"}, 0, {}, 120);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    expect_one_line(p, "c.yaml:12:1: key 'python': '" + d.file("py-" + f.name) + "' " + f.expected, f.name);
    EXPECT_LT(took, 60) << f.name << ": the watchdog did not stop it near its 2 s limit";
    EXPECT_EQ(snapshot(set), before) << f.name;
  }
  // The hang's grandchild went with its process group.
  EXPECT_NE(std::system("pgrep -f '[s]leep 317.25' >/dev/null"), 0);
}

TEST_F(Hostile, APythonWhoseTasksMisbehaveStopsTheConfigWritingNothing) {
  if (!have_python()) GTEST_SKIP() << "no python3 on this machine";
  TempDir d;
  const fs::path set = copy_set(d);
  const auto before = snapshot(set);
  std::vector<Fault> faults = json_program_faults("running pow in serial at 1 worker", "318.25");
  faults.push_back({"shape", "echo '{\"answers\": \"seven\", \"wall_s\": 1, \"cpu_s\": 1}'",
                    "(running pow in serial at 1 worker) printed: key 'answers': expected a list, got a string"});
  for (const Fault& f : faults) {
    // A real probe (this machine's python3), then the fault when the tasks run.
    write_script(d, "py-" + f.name, "case \"$2\" in --probe) exec python3 \"$@\";; esac\n" + f.body);
    d.write("c.yaml", std::string(kSmall) + "implementation: cpython\ntimeout_s: 2\npython: " + d.file("py-" + f.name) + "\n");
    Proc p = gillab::test::run_gillab({"run", d.file("c.yaml"), "--out", set.string(), "--quiet"}, 0, {}, 120);
    expect_one_line(p, "gillab: '" + d.file("py-" + f.name) + "' " + f.expected, f.name);
    EXPECT_EQ(snapshot(set), before) << f.name;
  }
  EXPECT_NE(std::system("pgrep -f '[s]leep 318.25' >/dev/null"), 0);
}

TEST_F(Hostile, ASuiteProbesEachPythonOnce) {
  if (!have_python()) GTEST_SKIP() << "no python3 on this machine";
  TempDir d;
  write_script(d, "py", "case \"$2\" in --probe) echo probe >> '" + d.file("probes.log") + "';; esac\nexec python3 \"$@\"");
  for (const char* c : {"a", "b"})
    d.write(std::string(c) + ".yaml", std::string(kSmall) + "implementation: cpython\npython: " + d.file("py") + "\n");
  Proc p = gillab::test::run_gillab({"run", d.file("a.yaml"), d.file("b.yaml"), "--out", d.file("out"), "--quiet"});
  ASSERT_EQ(p.status, 0) << p.err;
  EXPECT_EQ(gillab::test::slurp(d.file("probes.log")), "probe\n");  // two configs, estimate and run: one probe
}

TEST_F(Hostile, AGitThatMisbehavesStopsTheReportWritingNothing) {
  TempDir d;
  const fs::path set = copy_set(d);
  // A clean build's manifest, so that the report asks git whether HEAD's sources differ.
  nlohmann::json m = nlohmann::json::parse(gillab::test::slurp((set / "s.json").string()));
  m["gillab"]["dirty"] = false;
  m["gillab"]["git_commit"] = "0123456789abcdef0123456789abcdef01234567";
  d.write("set/s.json", m.dump(2));
  const auto before = snapshot(set);
  fs::create_directories(d.file("bin"));
  const std::vector<Fault> faults{{"hang", "exec sleep 317.75", "'git' (comparing the results' commit with HEAD) ran past 1 s: killed"},
                                  {"crash", "kill -SEGV $$", "'git' (comparing the results' commit with HEAD) was killed by signal 11"},
                                  {"garbage", "echo 'no such thing'",
                                   "'git' (comparing the results' commit with HEAD) printed 'no such thing', expected diff --stat's 'N files changed' line"}};
  for (const Fault& f : faults) {
    write_script(d, "bin/git", f.body);
    const std::string path = "PATH=" + d.file("bin") + ":" + std::getenv("PATH");
    Proc p = gillab::test::run_gillab({"report", set.string(), "--figures", d.file("figures")}, 0,
                                      {path, "GILLAB_GIT_LIMIT_S=1"}, 120);
    expect_one_line(p, "gillab report: " + f.expected, f.name);
    EXPECT_EQ(snapshot(set), before) << f.name;
  }
}

TEST_F(Hostile, ABrokenManifestIsOneLineNamingIt) {
  TempDir d;
  const fs::path set = copy_set(d);
  const std::string json = (set / "s.json").string();
  nlohmann::json good = nlohmann::json::parse(gillab::test::slurp(json));
  nlohmann::json cores = good, files = good;
  cores["machine"]["cores"] = "two";
  files["files"] = nlohmann::json::array({1, 2});
  const std::vector<Fault> faults{
      {"truncated", "{\"files\": [1,2", json + ":1:15: expected a gillab manifest (JSON): unexpected end of input"},
      {"garbage", "\x01\x02 not json", json + ":1:1: expected a gillab manifest (JSON)"},
      {"empty", "", json + ": empty, expected a gillab manifest"},
      {"cores", cores.dump(), json + ": key 'machine.cores': expected an integer, got a string"},
      {"files", files.dump(), json + ": key 'files': expected an object, got a list"}};
  for (const Fault& f : faults) {
    d.write("set/s.json", f.body);
    const auto before = snapshot(set);
    for (const std::vector<std::string>& cmd :
         {std::vector<std::string>{"report", set.string(), "--figures", d.file("figures")},
          std::vector<std::string>{"summarize", (set / "s.csv").string()},
          std::vector<std::string>{"compare", d.path.string()}}) {
      Proc p = gillab::test::run_gillab(cmd, 0, {}, 120);
      expect_one_line(p, f.expected, f.name + " (" + cmd[0] + ")");
      EXPECT_EQ(snapshot(set), before) << f.name << " (" << cmd[0] << ")";
    }
  }
}

TEST_F(Hostile, ABrokenResultsCsvIsOneLineNamingItsLine) {
  TempDir d;
  const fs::path set = copy_set(d);
  fs::remove(set / "s.json");  // a CSV without its manifest is read as it is
  const std::string csv = (set / "s.csv").string(), text = gillab::test::slurp(csv);
  const std::string header = text.substr(0, text.find('\n') + 1);
  std::string bad_number = text;
  bad_number.replace(bad_number.find(",serial,"), 8, ",serial,\"");  // a quote that never closes
  const std::vector<Fault> faults{
      {"truncated", text.substr(0, text.size() - 40), "fields as the header has, got "},
      {"quote", bad_number, csv + ":2: a quoted field that never ends"},
      {"empty", "", csv + ": empty, expected a header row"},
      {"wall", header + std::string(std::count(header.begin(), header.end(), ','), ',') + "\n", ""}};
  for (const Fault& f : faults) {
    d.write("set/s.csv", f.body);
    const auto before = snapshot(set);
    Proc p = gillab::test::run_gillab({"summarize", csv}, 0, {}, 120);
    if (f.expected.empty()) {  // a row of blanks is a well-formed CSV: it summarises to blanks
      EXPECT_EQ(p.status, 0) << p.err;
      continue;
    }
    expect_one_line(p, f.expected, f.name);
    EXPECT_EQ(snapshot(set), before) << f.name;
  }
  // A number that is not one names the file, its line and the column.
  std::string wall = text;
  const size_t row2 = wall.find('\n') + 1;
  std::vector<std::string> cols;
  for (size_t a = 0, b; (b = header.find_first_of(",\n", a)) != std::string::npos; a = b + 1) cols.push_back(header.substr(a, b - a));
  const size_t wall_at = static_cast<size_t>(std::find(cols.begin(), cols.end(), "wall_s") - cols.begin());
  size_t at = row2;
  for (size_t c = 0; c < wall_at; ++c) at = wall.find(',', at) + 1;
  wall.replace(at, wall.find(',', at) - at, "fast");
  d.write("set/s.csv", wall);
  Proc p = gillab::test::run_gillab({"summarize", csv}, 0, {}, 120);
  expect_one_line(p, csv + ":2: column 'wall_s': expected a number, got 'fast'", "wall_s");
}

TEST_F(Hostile, BrokenGoogleBenchmarkJsonIsOneLineNamingIt) {
  TempDir d;
  const fs::path set = copy_set(d);
  const auto before = snapshot(set);
  const std::string f = d.file("gbench.json");
  const std::string good_one = R"({"run_name": "hw/plain-add", "run_type": "iteration", "real_time": 1.0, "cpu_time": 1.0, "label": "group=hw policy=plain-add"})";
  const std::vector<Fault> faults{
      {"truncated", R"({"context": {}, "benchmarks": [)", f + ":1:32: expected Google Benchmark JSON"},
      {"garbage", "2026-12-02 Running ./gillab_bench", f + ":1:"},
      {"empty", "\n", f + ": empty, expected Google Benchmark JSON"},
      {"list", R"({"context": {}, "benchmarks": "none"})", f + ": key 'benchmarks': expected a list, got a string"},
      {"time", R"({"context": {}, "benchmarks": [{"run_name": "hw/x", "real_time": "fast", "cpu_time": 1}]})",
       f + ": benchmarks[0]: key 'real_time': expected a number, got a string"},
      {"none", R"({"context": {}, "benchmarks": []})", f + ": key 'benchmarks': empty"},
      {"unlabelled", R"({"context": {}, "benchmarks": [{"run_name": "pair/atomic/shared", "real_time": 1, "cpu_time": 1}]})",
       f + ": benchmarks[0]: key 'label': expected gillab's 'group=... per_op=...'"},
      {"label", R"({"context": {}, "benchmarks": [{"run_name": "x", "real_time": 1, "cpu_time": 1, "label": "group=hw per_op=wall"}]})",
       f + ": benchmarks[0]: key 'label': per_op: expected cpu, real or cpu/2, got 'wall'"}};
  for (const Fault& fault : faults) {
    d.write("gbench.json", fault.body);
    Proc p = gillab::test::run_gillab({"micro", f, "--out", set.string()}, 0, {}, 120);
    expect_one_line(p, "gillab micro: " + fault.expected, fault.name);
    EXPECT_EQ(snapshot(set), before) << fault.name;
  }
  // The good shape converts (so the faults above failed for their fault alone).
  d.write("gbench.json", std::string(R"({"context": {}, "benchmarks": [)") + good_one + "]}");
  Proc ok = gillab::test::run_gillab({"micro", f, "--out", d.file("micro")}, 0, {}, 120);
  EXPECT_EQ(ok.status, 0) << ok.err;
}

TEST_F(Hostile, TheBenchmarksPythonOnAWatchdog) {
  TempDir d;
  write_script(d, "py-hang", "exec sleep 317.875");
  Proc p = gillab::test::run_program_in_tree(GILLAB_BENCH_BIN, {"--benchmark_filter=^$", "--python=" + d.file("py-hang"), "--python_limit_s=1"},
                                             0, {}, 120);
  EXPECT_EQ(p.status, 2) << p.err;
  EXPECT_NE(p.err.find("gillab_bench: '" + d.file("py-hang") + "' (running pow in serial at 1 worker) ran past 1 s: killed"),
            std::string::npos)
      << p.err;
  // A Python that is not there is skipped, not an error: the bench runs on machines without one.
  p = gillab::test::run_program_in_tree(GILLAB_BENCH_BIN, {"--benchmark_filter=^$", "--python=" + d.file("no-such-python")}, 0, {}, 120);
  EXPECT_EQ(p.status, 0) << p.err;
  EXPECT_NE(p.out.find("'" + d.file("no-such-python") + "' is not here; skipped"), std::string::npos) << p.out;
  write_script(d, "py-shape", "echo '{\"wall_s\": [1], \"answers\": [], \"python\": {\"version\": \"3\"}}'");
  p = gillab::test::run_program_in_tree(GILLAB_BENCH_BIN, {"--benchmark_filter=^$", "--python=" + d.file("py-shape")}, 0, {}, 120);
  EXPECT_EQ(p.status, 2) << p.err;
  EXPECT_NE(p.err.find("key 'wall_s': expected a number, got a list"), std::string::npos) << p.err;
}

// The real thing: the benchmark's Python comparison runs run_tasks.py as it is and takes the
// version from its probe (a run prints none), with the same answers as the model.
TEST(Bench, ThePythonComparisonRunsWithTheMachinesPython3) {
  Proc p = gillab::test::run_program_in_tree(GILLAB_BENCH_BIN, {"--benchmark_filter=^$", "--python=python3", "--python_rounds=1"},
                                             0, {}, 300);
  ASSERT_EQ(p.status, 0) << p.err;
  if (p.out.find("is not here; skipped") != std::string::npos) GTEST_SKIP() << "no python3 on this machine";
  EXPECT_NE(p.out.find("same answers: yes"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("  python 3."), std::string::npos) << p.out;
}

// Each interpreter has a runtime of its own: were they to share one, plain refcounts would race
// and the strategy would measure something else.
TEST(Interpreters, EachThreadRunsOnARuntimeOfItsOwn) {
  gillab::RunSpec spec;
  spec.workload = gillab::WorkloadParams{"pow", 4, 4};
  spec.seeds = {1, 2, 3, 4};
  spec.workers = 3;
  spec.pin = gillab::PinMode::None;
  const gillab::RunResult r = gillab::run_interpreters<false>(spec);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.runtimes, 3);
  EXPECT_EQ(gillab::run_result_from_json(gillab::to_json(r)).runtimes, 3);  // it survives the trip from the child
}
