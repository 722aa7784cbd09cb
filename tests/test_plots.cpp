// Every figure renders from the smoke results with no gnuplot warning or error into a real,
// non-empty PNG (and an SVG); the speedup figure draws the USL fit; the ftscaling figure every loop.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "claim.hpp"
#include "report_fixtures.hpp"
#include "summary.hpp"
#include "test_support.hpp"

using gillab::test::expect_clean_render;
using gillab::test::sh;
using gillab::test::TempDir;
using gillab::test::tiny_suite;
namespace fs = std::filesystem;

using gillab::test::smoke_results;

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

// The ftscaling figure from the shrunk run of its config: every loop, every series the results
// have, no gnuplot warning.
TEST(Plots, FtScalingRendersEveryLoop) {
  const TempDir& d = tiny_suite();
  auto rows = gillab::test::read_csv(d.file("summary-ftscaling.csv"));
  std::set<std::string> loops;
  for (auto& r : rows) loops.insert(r["workload"]);
  EXPECT_EQ(loops, (std::set<std::string>{"pyfunction", "load_tuple_const", "load_string_const", "object_cfunction", "create_closure",
                                          "mult_constant", "cmodule_function", "object_lookup_special", "create_dict",
                                          "create_pyobject", "pymethod", "module_function", "context_manager",
                                          "thread_local_read", "method_caller"}));
  const std::string out = d.file("ftscaling-figure");
  expect_clean_render("ftscaling", d.file("summary-ftscaling.csv"), out);
  EXPECT_EQ(gillab::test::slurp(out + ".pdf").substr(0, 5), "%PDF-");
}
