// The report: a row, measured, with an interval and a three-way verdict, for every claim; only
// make readme writes README.md; the committed reference results hold what they claim.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "claim.hpp"
#include "report_section.hpp"
#include "results_writer.hpp"
#include "strategy.hpp"
#include "report_fixtures.hpp"
#include "summary.hpp"
#include "test_support.hpp"

using gillab::test::expect_clean_render;
using gillab::test::sh;
using gillab::test::TempDir;
using gillab::test::tiny_suite;
namespace fs = std::filesystem;

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
    const bool needs_ft = c.needs_free_threaded_cpython;
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
  {  // each claim's own figures: none holds more than all of them, and some hold fewer
    const size_t at = report.find("- By claim (median half-width, figures): C1 ");
    ASSERT_NE(at, std::string::npos) << "each claim's own precision";
    const size_t from = report.find("): ", at) + 3;  // past the line's own "(median ...)"
    const std::string line = report.substr(from, report.find('\n', at) - from);
    size_t total = 0;
    ASSERT_EQ(std::sscanf(report.c_str() + report.find("- Claim figures: "), "- Claim figures: %zu", &total), 1);
    size_t fewest = total;
    for (size_t p = line.find(" ("); p != std::string::npos; p = line.find(" (", p + 1)) {
      const size_t k = std::stoul(line.substr(p + 2));
      EXPECT_LE(k, total) << line;
      fewest = std::min(fewest, k);
    }
    EXPECT_LT(fewest, total) << "every claim counted every figure: " << line;
  }
  EXPECT_NE(report.find("- A/A intervals: "), std::string::npos);
  // The experiments' own sections, registered from experiments/, in their order (the tiny suite
  // has the cpython and freethreading configs; micro needs make bench).
  const size_t cpython = report.find("\n## The model beside real CPython\n"),
               ft = report.find("\n## The model beside free-threaded CPython\n"), figures = report.find("\n## Figures\n");
  EXPECT_NE(cpython, std::string::npos);
  EXPECT_NE(ft, std::string::npos);
  EXPECT_LT(cpython, ft);
  EXPECT_LT(ft, figures);
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

// The report and compare sources name no config, claim, strategy or workload (as a quoted
// string): what an experiment reports is registered from experiments/ (report_section.hpp).
TEST(Report, TheReportAndCompareSourcesNameNoExperimentsThings) {
  std::vector<std::string> names;
  for (const gillab::Strategy& s : gillab::strategies()) names.push_back(s.name);
  for (const gillab::Claim& c : gillab::claims()) names.push_back(c.id);
  for (const char* dir : {"configs", "workloads"})
    for (const auto& e : fs::directory_iterator(fs::path(GILLAB_SOURCE_DIR) / dir)) names.push_back(e.path().stem().string());
  const std::vector<std::string>& columns = gillab::result_columns();
  for (const char* file : {"harness/report/report.cpp", "harness/report/compare.cpp"}) {
    const std::string text = gillab::test::slurp(std::string(GILLAB_SOURCE_DIR) + "/" + file);
    ASSERT_FALSE(text.empty()) << file;
    for (const std::string& n : names) {
      if (std::count(columns.begin(), columns.end(), n) > 0) continue;  // "speedup" is a config and a column too
      EXPECT_EQ(text.find("\"" + n + "\""), std::string::npos) << file << " names " << n;
    }
  }
  EXPECT_FALSE(gillab::report_sections().empty()) << "the experiments register their sections";
}
