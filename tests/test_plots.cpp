// Every figure renders from the smoke results with no gnuplot warning or error into a real,
// non-empty PNG (and an SVG); the report has a row, measured, for every claim.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "claim.hpp"
#include "summary.hpp"
#include "test_support.hpp"

using gillab::test::TempDir;
namespace fs = std::filesystem;

namespace {

// One smoke run shared by the tests below (it takes a few seconds).
const TempDir& smoke_results() {
  static TempDir d;
  static bool done = [] {
    auto p = gillab::test::run_gillab({"run", "configs/smoke.yaml", "--out", d.path.string(), "--quiet"});
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
    // The speedup script prints its USL fits (where it fits); nothing else may be said.
    std::string said;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("usl ", 0) != 0) said += line + "\n";
    EXPECT_EQ(said, "") << f.script;
    std::string png = gillab::test::slurp(out + ".png");
    EXPECT_GT(png.size(), 10000u) << f.script;
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << f.script;
    EXPECT_NE(gillab::test::slurp(out + ".svg").find("<svg"), std::string::npos) << f.script;
    // For papers: a PDF whose every font is embedded (pdffonts: the "emb" column says yes).
    EXPECT_EQ(gillab::test::slurp(out + ".pdf").substr(0, 5), "%PDF-") << f.script;
    std::string fonts = sh("pdffonts '" + out + ".pdf'", &status);
    ASSERT_EQ(status, 0) << fonts;
    std::istringstream rows(fonts);
    int embedded = 0;
    for (std::string line; std::getline(rows, line);) {
      if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0) continue;
      std::istringstream cols(line);
      std::vector<std::string> c{std::istream_iterator<std::string>(cols), {}};
      ASSERT_GE(c.size(), 5u) << line;
      EXPECT_EQ(c[c.size() - 5], "yes") << f.script << ": font not embedded: " << line;
      embedded += c[c.size() - 5] == "yes";
    }
    EXPECT_GT(embedded, 0) << f.script << ": no font in the PDF";
  }
}

// Every shipped config, shrunk to seconds, into one directory: what the report reads.
const TempDir& tiny_suite() {
  static TempDir d;
  static bool done = [] {
    for (auto& e : fs::directory_iterator(fs::path(GILLAB_SOURCE_DIR) / "configs")) {
      if (e.path().extension() != ".yaml" || e.path().stem() == "smoke") continue;
      auto p = gillab::test::run_gillab({"run", "configs/" + e.path().filename().string(), "--out", d.path.string(), "--quiet",
                                         "--set", "tasks=2", "--set", "blocks=4", "--set", "difficulty=4", "--set",
                                         "repetitions=3", "--set", "max_repetitions=3", "--set", "warmup=0"});
      EXPECT_EQ(p.status, 0) << e.path() << p.err;
    }
    return true;
  }();
  (void)done;
  return d;
}

// make report writes the machine's report, never README.md's claims table: only make readme does.
TEST(Report, MakeReportLeavesTheReadmeAlone) {
  int status = 0;
  const std::string report = sh("make -s -n -C " GILLAB_SOURCE_DIR " report MACHINE=x", &status);
  ASSERT_EQ(status, 0) << report;
  EXPECT_NE(report.find("gillab report \"results/$m\""), std::string::npos) << report;
  EXPECT_EQ(report.find("--readme"), std::string::npos) << report;
  const std::string readme = sh("make -s -n -C " GILLAB_SOURCE_DIR " readme MACHINE=x", &status);
  ASSERT_EQ(status, 0) << readme;
  EXPECT_NE(readme.find("--readme README.md"), std::string::npos) << readme;
}

TEST(Report, EveryClaimHasAnIntervalAndAThreeWayVerdict) {
  const TempDir& r = tiny_suite();
  r.write("README.md", "# title\n\nbefore\n<!-- gillab report: claims begin -->\nold table\n<!-- gillab report: claims end -->\nafter\n");
  auto p = gillab::test::run_gillab({"report", r.path.string(), "--figures", r.path.string(), "--readme", r.file("README.md")});
  ASSERT_EQ(p.status, 0) << p.err;
  const std::string report = gillab::test::slurp(r.file("REPORT.md"));
  const std::string readme = gillab::test::slurp(r.file("README.md"));
  ASSERT_FALSE(gillab::claims().empty());
  // The claims on free-threaded CPython need `make cpython`: without a build they must say
  // "not measured", never a verdict.
  const bool have_ft_build = std::system("ls " GILLAB_SOURCE_DIR "/build/cpython/*t/bin/python3 >/dev/null 2>&1") == 0;
  for (const gillab::Claim& c : gillab::claims()) {
    const bool needs_ft = c.reads == std::vector<std::string>{"freethreading"};
    for (const std::string* text : {&report, &readme}) {
      size_t at = text->find("| " + c.id + ": ");
      ASSERT_NE(at, std::string::npos) << c.id;
      std::string row = text->substr(at, text->find('\n', at) - at);
      EXPECT_NE(row.find(" ["), std::string::npos) << "no interval: " << row;
      const bool three_way = row.ends_with("| holds |") || row.ends_with("| does not hold |") || row.ends_with("| inconclusive |");
      if (needs_ft && !have_ft_build) {
        EXPECT_TRUE(row.ends_with("| not measured |")) << row;
      } else {
        EXPECT_TRUE(three_way) << row;
      }
    }
    EXPECT_NE(report.find("- " + c.id + ": " + c.rule), std::string::npos) << c.id << ": its rule is printed";
  }
  // For papers: the same claims as CSV and as a booktabs table.
  const std::string tex = gillab::test::slurp(r.file("claims.tex"));
  auto csv = gillab::test::read_csv(r.file("claims.csv"));
  ASSERT_EQ(csv.size(), gillab::claims().size());
  for (size_t i = 0; i < csv.size(); ++i) {
    const gillab::Claim& c = gillab::claims()[i];
    EXPECT_EQ(csv[i]["id"], c.id);
    EXPECT_NE(csv[i]["measured"].find(" ["), std::string::npos) << c.id;
    EXPECT_NE(tex.find("\n" + c.id + " & "), std::string::npos) << c.id;
  }
  EXPECT_NE(tex.find("\\toprule"), std::string::npos);
  EXPECT_EQ(tex.find("\xe2\x80\x94"), std::string::npos) << "the em dash is LaTeX's ---";
  EXPECT_NE(report.find("## Provenance"), std::string::npos);
  EXPECT_NE(report.find("- commit `"), std::string::npos);
  EXPECT_NE(report.find("machine capacity"), std::string::npos);
  // How precise the claim figures came out, and the A/A count, beside the targets.
  EXPECT_NE(report.find("## Precision\n\n- Claim figures: "), std::string::npos);
  EXPECT_NE(report.find(" (target 3%); "), std::string::npos);
  EXPECT_NE(report.find("- A/A intervals: "), std::string::npos);
  // The README keeps what lies outside its markers; the old table is gone.
  EXPECT_TRUE(readme.starts_with("# title\n\nbefore\n<!-- gillab report: claims begin -->\nMeasured on ")) << readme.substr(0, 200);
  EXPECT_TRUE(readme.ends_with("<!-- gillab report: claims end -->\nafter\n"));
  EXPECT_EQ(readme.find("old table"), std::string::npos);

  // Without markers: an error, and neither file written.
  r.write("README.md", "no markers\n");
  fs::remove(r.file("REPORT.md"));
  auto bad = gillab::test::run_gillab({"report", r.path.string(), "--readme", r.file("README.md")});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("no '<!-- gillab report: claims begin -->'"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(r.file("REPORT.md")));
  EXPECT_EQ(gillab::test::slurp(r.file("README.md")), "no markers\n");
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

// The committed reference results, each machine's in its own folder: no speedup beyond its
// workers (or the machine's measured capacity) by more than its interval allows, and, as
// committed, one clean commit made each machine's set.
TEST(CommittedResults, NoSpeedupBeyondTheMachineAndOneCleanCommitPerMachine) {
  const fs::path root = fs::path(GILLAB_SOURCE_DIR) / "results";
  int machines = 0;
  const bool as_committed =
      std::system(("git -C '" + std::string(GILLAB_SOURCE_DIR) + "' diff --quiet HEAD -- results 2>/dev/null").c_str()) == 0;
  for (auto& folder : fs::directory_iterator(root)) {
    if (!folder.is_directory()) continue;
    const fs::path dir = folder.path();
    ++machines;
    int points = 0;
    std::set<std::string> commits;
    bool all_clean = true;
    for (auto& e : fs::directory_iterator(dir)) {
      const std::string n = e.path().filename().string();
      if (!n.starts_with("summary-") || n == "summary-micro.csv") continue;
      const std::string config = n.substr(8, n.size() - 8 - 4);
      ASSERT_TRUE(fs::exists(dir / (config + ".json"))) << n << " has no manifest beside it: a stray summary";
      for (auto& r : gillab::test::read_csv(e.path().string())) {
        if (r["speedup_ci_low"].empty()) continue;
        ++points;
        const double low = std::stod(r["speedup_ci_low"]), workers = std::stod(r["workers"]);
        if (workers <= 1) continue;  // one worker may beat serial: immortal objects skip writes
        EXPECT_LE(low, workers) << n << ": " << r["strategy"] << " workers=" << r["workers"];
        if (!r["capacity"].empty()) {
          EXPECT_LE(low, std::stod(r["capacity"]) * 1.05) << n << ": above the machine's capacity: " << r["strategy"];
        }
      }
      auto m = nlohmann::json::parse(gillab::test::slurp((dir / (config + ".json")).string()));
      commits.insert(m["gillab"].value("git_commit", "unknown"));
      all_clean = all_clean && m["gillab"].contains("dirty") && !m["gillab"]["dirty"].get<bool>();
    }
    EXPECT_GT(points, 0) << dir;
    // Only the results as committed must come from one clean commit: a user's own run may not.
    if (!as_committed) continue;
    EXPECT_EQ(commits.size(), 1u) << dir << ": the reference results come from several commits";
    EXPECT_TRUE(all_clean) << dir << ": a reference result came from a build with uncommitted changes";
  }
  EXPECT_GT(machines, 0) << "no machine's results in results/";
  EXPECT_EQ(fs::exists(root / "gil.csv"), false) << "results sit in results/<machine>/, not in results/";
}

// Renders plots/<script>.gp from `in` into `out`.{png,svg,pdf}: no word from gnuplot, a real PNG.
static void expect_clean_render(const std::string& script, const std::string& in, const std::string& out) {
  int status = 0;
  const std::string log =
      sh("cd " GILLAB_SOURCE_DIR " && gnuplot -e \"in='" + in + "'; out='" + out + "'\" plots/" + script + ".gp", &status);
  EXPECT_EQ(status, 0) << script << ": " << log;
  EXPECT_EQ(log, "") << script;
  EXPECT_GT(gillab::test::slurp(out + ".png").size(), 10000u) << script;
}

// Two machines' folders side by side: one CSV row per machine and item, blank (not zero) where a
// machine did not measure it, one column per machine in MACHINES.md, and a figure.
TEST(Machines, EveryMachineSideBySideAndAFigure) {
  const TempDir& suite = tiny_suite();
  TempDir root;
  for (const char* m : {"machine-a", "machine-b"}) {
    fs::create_directories(root.path / m);
    for (auto& e : fs::directory_iterator(suite.path))
      if (e.path().extension() == ".csv" || e.path().extension() == ".json") fs::copy_file(e.path(), root.path / m / e.path().filename());
  }
  // machine-a also ran the micro-benchmarks (the committed ones, from any machine's folder)
  for (auto& f : fs::directory_iterator(fs::path(GILLAB_SOURCE_DIR) / "results"))
    if (f.is_directory() && fs::exists(f.path() / "micro.csv")) {
      for (const char* n : {"micro.csv", "micro.json"}) fs::copy_file(f.path() / n, root.path / "machine-a" / n);
      break;
    }
  auto p = gillab::test::run_gillab({"compare", root.path.string()});
  ASSERT_EQ(p.status, 0) << p.err;
  auto rows = gillab::test::read_csv(root.file("machines.csv"));
  std::map<std::string, std::map<std::string, std::string>> by;  // machine -> "kind/item" -> median
  std::map<std::string, std::string> verdicts;
  for (auto& r : rows) {
    by[r["machine"]][r["kind"] + "/" + r["item"]] = r["median"];
    if (r["kind"] == "claim") verdicts[r["machine"] + " " + r["item"]] = r["verdict"];
  }
  ASSERT_EQ(by.size(), 2u);
  EXPECT_EQ(by["machine-a"].size(), by["machine-b"].size());
  EXPECT_NE(by["machine-a"]["instruction/lock-xadd"], "");
  EXPECT_EQ(by["machine-b"]["instruction/lock-xadd"], "") << "not measured there: blank, not zero";
  EXPECT_NE(by["machine-b"]["one thread/atomic"], "");
  EXPECT_EQ(by["machine-a"]["one thread/atomic"], by["machine-b"]["one thread/atomic"]) << "the same results, the same figure";
  for (const gillab::Claim& c : gillab::claims()) EXPECT_NE(verdicts["machine-b " + c.id], "") << c.id;
  const std::string md = gillab::test::slurp(root.file("MACHINES.md"));
  EXPECT_NE(md.find("| | machine-a | machine-b | "), std::string::npos) << md.substr(0, 400);
  expect_clean_render("machines", root.file("machines.csv"), root.file("machines"));
  TempDir empty;
  EXPECT_EQ(gillab::test::run_gillab({"compare", empty.path.string()}).status, 2);
}

// Where a series has 4+ worker counts within the cores, the speedup figure draws the USL fit
// that `gillab summarize` wrote, with its intervals; the script fits nothing itself.
TEST(Plots, SpeedupDrawsTheSummarysUslFitWithIntervals) {
  TempDir d;
  std::string csv = "experiment,implementation,strategy,workload,workers,immortal,lock_kind,gil_mode,speedup,result_ok,wall_s\n";
  for (const char* st : {"serial", "atomic"})
    for (int n : {1, 2, 3, 4, 6, 8})
      for (int r = 0; r < 5; ++r) {
        if (std::string(st) == "serial" && n > 1) continue;
        const double s = std::string(st) == "serial" ? 1 : 0.95 * n / (1 + 0.08 * (n - 1) + 0.004 * n * (n - 1)) * (1 + 0.01 * r);
        csv += std::string("speedup,gillab,") + st + ",pow," + std::to_string(n) + ",0,,," + std::to_string(s) + ",1,1\n";
      }
  d.write("s.csv", csv);
  d.write("s.json", R"({"machine": {"cores": 8, "cpu_model": "synthetic"}, "date": "2026-11-25T00:00:00Z"})");
  const std::string summary = gillab::summarize(gillab::CsvFile::read(d.file("s.csv")), gillab::test::slurp(d.file("s.json")));
  d.write("summary-s.csv", summary);
  int status = 0;
  std::string log = sh("cd " GILLAB_SOURCE_DIR " && gnuplot -e \"in='" + d.file("summary-s.csv") + "'; out='" + d.file("speedup") +
                           "'\" plots/speedup.gp",
                       &status);
  EXPECT_EQ(status, 0) << log;
  EXPECT_NE(log.find("usl pow immortal=0 atomic"), std::string::npos) << log;
  EXPECT_NE(log.find("sigma = 0.0"), std::string::npos) << log;
  EXPECT_EQ(log.find("warning"), std::string::npos) << log;
  EXPECT_GT(gillab::test::slurp(d.file("speedup.png")).size(), 10000u);
}

// The ftscaling figure from a shrunk run of its config: every loop, every series the results
// have, no gnuplot warning.
TEST(Plots, FtScalingRendersEveryLoop) {
  TempDir d;
  auto p = gillab::test::run_gillab({"run", "configs/ftscaling.yaml", "--out", d.path.string(), "--quiet", "--set", "blocks=1",
                                     "--set", "difficulty=4", "--set", "repetitions=2", "--set", "max_repetitions=2", "--set",
                                     "warmup=0", "--set", "implementation=gillab", "--set", "deferred=[false, true]"});
  ASSERT_EQ(p.status, 0) << p.err;
  auto rows = gillab::test::read_csv(d.file("summary-ftscaling.csv"));
  std::set<std::string> loops;
  for (auto& r : rows) loops.insert(r["workload"]);
  EXPECT_EQ(loops, (std::set<std::string>{"pyfunction", "load_tuple_const", "gillab_module_function", "gillab_mult_constant",
                                          "gillab_create_pyobject"}));
  expect_clean_render("ftscaling", d.file("summary-ftscaling.csv"), d.file("ftscaling"));
  EXPECT_EQ(gillab::test::slurp(d.file("ftscaling.pdf")).substr(0, 5), "%PDF-");
}
