// Every figure renders from the smoke results with no gnuplot warning or error into a real,
// non-empty PNG (and an SVG); the report has a row, measured, for every claim.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "test_support.hpp"

using gillab::test::TempDir;
namespace fs = std::filesystem;

namespace {

// One smoke run shared by the tests below (it takes a few seconds).
const TempDir& smoke_results() {
  static TempDir d;
  static bool done = [] {
    auto p = gillab::test::run_gillab({"run", "configs/smoke.cfg", "--out", d.path.string(), "--quiet"});
    EXPECT_EQ(p.status, 0) << p.err;
    return true;
  }();
  (void)done;
  return d;
}

std::string sh(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  *status = pclose(p);
  return out;
}

}  // namespace

TEST(Plots, EveryScriptRendersFromTheSmokeResults) {
  const TempDir& d = smoke_results();
  const std::string res = d.path.string();
  const std::string summary = res + "/summary-smoke.csv";
  struct Fig {
    std::string script, in, extra;
  };
  std::vector<Fig> figs{
      {"fig1-cores", res + "/timeline-smoke.csv", "summary='" + summary + "'"},
      {"fig2-race", res + "/smoke.csv", "summary='" + summary + "'"},
      {"fig3-refcount-lock", summary, ""},
      {"fig4-gil", summary, ""},
      {"speedup", summary, ""},
      {"overhead", summary, ""},
      {"cas-retries", res + "/cas-hist-smoke.csv", "summary='" + summary + "'"},
      {"cpython-vs-model", summary, ""},
  };
  for (const Fig& f : figs) {
    std::string out = res + "/" + f.script;
    std::string vars = "in='" + f.in + "'; out='" + out + "'" + (f.extra.empty() ? "" : "; " + f.extra);
    int status = 0;
    std::string log = sh("cd " GILLAB_SOURCE_DIR " && gnuplot -e \"" + vars + "\" plots/" + f.script + ".gp", &status);
    EXPECT_EQ(status, 0) << f.script << ": " << log;
    // The speedup script prints its fitted parameters; nothing else may be said.
    std::string said;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("amdahl ", 0) != 0) said += line + "\n";
    EXPECT_EQ(said, "") << f.script;
    std::string png = gillab::test::slurp(out + ".png");
    EXPECT_GT(png.size(), 10000u) << f.script;
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << f.script;
    EXPECT_NE(gillab::test::slurp(out + ".svg").find("<svg"), std::string::npos) << f.script;
  }
}

TEST(Report, HasAMeasuredRowForEveryClaim) {
  const TempDir& d = smoke_results();
  // The report reads one results file per config; the smoke run has every strategy in one.
  TempDir r;
  for (const char* name : {"article", "gil", "race", "refcount-lock", "cas", "processes", "overhead", "biased", "speedup"}) {
    fs::copy_file(d.file("smoke.csv"), r.file(std::string(name) + ".csv"));
    fs::copy_file(d.file("smoke.json"), r.file(std::string(name) + ".json"));
  }
  auto p = gillab::test::run_gillab({"report", r.path.string(), "--figures", r.path.string()});
  ASSERT_EQ(p.status, 0) << p.err;
  std::string report = gillab::test::slurp(r.file("REPORT.md"));
  for (const char* claim : {"| C1:", "| C2:", "| C3:", "| C4:", "| C5:", "| C6:", "| C7:", "| Atomic refcounts",
                            "| Biased refcounts cost", "| Biased refcounts + immortal", "| Contention"}) {
    size_t at = report.find(claim);
    ASSERT_NE(at, std::string::npos) << claim;
    std::string row = report.substr(at, report.find('\n', at) - at);
    EXPECT_EQ(row.find("not measured"), std::string::npos) << row;
  }
  EXPECT_NE(report.find("## Provenance"), std::string::npos);
  EXPECT_NE(report.find("AMD") == std::string::npos ? report.find("machine:") : 0, std::string::npos);
}

TEST(Micro, BenchmarkJsonBecomesTidyCsvAndAFigure) {
  TempDir d;
  int status = 0;
  std::string log = sh(std::string(GILLAB_BENCH_BIN) +
                           " --benchmark_filter='pair/(plain|race|atomic|biased)/|hw/lock-xadd|eval/' --benchmark_min_time=0.01"
                           " --benchmark_repetitions=2 --python=none --benchmark_out=" + d.file("g.json") +
                           " --benchmark_out_format=json",
                       &status);
  ASSERT_EQ(status, 0) << log;
  auto p = gillab::test::run_gillab({"micro", d.file("g.json"), "--out", d.path.string()});
  ASSERT_EQ(p.status, 0) << p.err;
  std::vector<std::string> header;
  auto rows = gillab::test::read_csv(d.file("micro.csv"), &header);
  ASSERT_FALSE(rows.empty());
  int pairs = 0;
  for (auto& r : rows) {
    EXPECT_EQ(r["#fields"], std::to_string(header.size()));
    EXPECT_GT(std::stod(r["ns_per_op"]), 0) << r["benchmark"];
    if (r["group"] == "pair") {
      ++pairs;
      EXPECT_TRUE(r["object"] == "private" || r["object"] == "shared") << r["benchmark"];
    }
  }
  int thread_counts = 1;  // Google Benchmark's ThreadRange: 1, 2, 4, ... below the maximum, then the maximum
  for (unsigned t = 1; t < std::max(2u, 2 * std::thread::hardware_concurrency()); t *= 2) ++thread_counts;
  // plain (private), race (shared), atomic and biased (both): 6 series x thread counts x 2 repetitions
  EXPECT_EQ(pairs, 6 * thread_counts * 2);
  EXPECT_TRUE(fs::exists(d.file("micro.json")));
  std::string log2 = sh("cd " GILLAB_SOURCE_DIR " && gnuplot -e \"in='" + d.file("summary-micro.csv") + "'; out='" +
                            d.file("micro") + "'\" plots/micro.gp",
                        &status);
  EXPECT_EQ(status, 0) << log2;
  EXPECT_EQ(log2, "");
  EXPECT_GT(gillab::test::slurp(d.file("micro.png")).size(), 10000u);
}
