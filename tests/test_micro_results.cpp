// The micro-benchmarks' JSON becomes tidy CSV and a figure.
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
namespace fs = std::filesystem;

// The fields come from the benchmark's label, not from its name, and per_op picks the time.
TEST(Micro, ARowsFieldsAreTheLabelsNotTheNames) {
  TempDir d;
  d.write("g.json", R"({"context": {"mhz_per_cpu": 2000}, "benchmarks": [
    {"run_name": "whatever/1", "real_time": 8, "cpu_time": 6, "label": "group=pair policy=atomic object=shared per_op=cpu/2",
     "cas_retries_per_op": 0.25},
    {"run_name": "x", "real_time": 8, "cpu_time": 6, "time_unit": "us", "label": "group=gil policy=handoff arg=5000 per_op=real"},
    {"run_name": "y", "real_time": 8, "cpu_time": 6, "label": "group=eval policy=dispatch-nop", "s_per_op": 3e-10}]})");
  auto p = gillab::test::run_gillab({"micro", d.file("g.json"), "--out", d.path.string()});
  ASSERT_EQ(p.status, 0) << p.err;
  auto rows = gillab::test::read_csv(d.file("micro.csv"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["group"], "pair");
  EXPECT_EQ(rows[0]["policy"], "atomic");
  EXPECT_EQ(rows[0]["object"], "shared");
  EXPECT_DOUBLE_EQ(std::stod(rows[0]["ns_per_op"]), 3.0);
  EXPECT_DOUBLE_EQ(std::stod(rows[0]["cycles_per_op"]), 6.0);
  EXPECT_DOUBLE_EQ(std::stod(rows[0]["cas_retries_per_op"]), 0.25);
  EXPECT_EQ(rows[1]["arg"], "5000");
  EXPECT_DOUBLE_EQ(std::stod(rows[1]["ns_per_op"]), 8000.0);
  EXPECT_EQ(rows[2]["policy"], "dispatch-nop");
  EXPECT_NEAR(std::stod(rows[2]["ns_per_op"]), 0.3, 1e-9);
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
      // The label's fields, as the name shows them: pair/<policy>/<object>[/...]
      EXPECT_TRUE(r["benchmark"].starts_with("pair/" + r["policy"] + "/" + r["object"])) << r["benchmark"];
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
