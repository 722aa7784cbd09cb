// Many machines' results side by side, and their figure.
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

  // --out (make report): the comparison goes there, and the results root is left as it was.
  const std::string before = gillab::test::slurp(root.file("MACHINES.md"));
  fs::remove(root.file("machines.csv"));
  TempDir elsewhere;
  auto q = gillab::test::run_gillab({"compare", root.path.string(), "--out", (elsewhere.path / "cmp").string()});
  ASSERT_EQ(q.status, 0) << q.err;
  EXPECT_EQ(gillab::test::slurp(elsewhere.file("cmp/MACHINES.md")), before);
  EXPECT_TRUE(fs::exists(elsewhere.file("cmp/machines.csv")));
  EXPECT_FALSE(fs::exists(root.file("machines.csv"))) << "compare --out wrote into the results root";
}
