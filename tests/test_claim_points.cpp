// Rounds where the claims need them: which points the claims read, rounds past the minimum to
// those first, the forecast after the pilot, and `exclude`, which trims what nothing reads.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>

#include "claim_figures.hpp"
#include "claim_points.hpp"
#include "csv_reader.hpp"
#include "config.hpp"
#include "plan.hpp"
#include "rounds.hpp"
#include "strategy.hpp"

using namespace gillab;

namespace {

const std::string kSource = GILLAB_SOURCE_DIR;

size_t point_at(const Plan& plan, const std::string& label) {
  for (size_t i = 0; i < plan.points.size(); ++i)
    if (plan.points[i].label() == label) return i;
  ADD_FAILURE() << "no point " << label;
  return 0;
}

// Rounds of made-up runs: every point's wall is 0.1 s times (1 +- noise), speedups against
// their baselines as in a run; the runs each point got are counted.
RoundsOutcome made_up_rounds(const Config& cfg, const Plan& plan, double noise, const Priority& priority,
                             std::vector<int>* runs = nullptr, const std::map<size_t, double>& noise_of = {}) {
  std::mt19937_64 gen(5);
  std::uniform_real_distribution<double> unit(-1, 1);
  if (runs) runs->assign(plan.points.size(), 0);
  auto once = [&](size_t p, int rep, bool, Record& out) {
    out.point = p;
    out.rep = rep;
    out.result.ok = true;
    const double n = noise_of.count(p) ? noise_of.at(p) : noise;
    out.result.wall_s = out.result.cpu_s = 0.1 * (1 + n * unit(gen));
    if (runs) ++(*runs)[p];
    return true;
  };
  return run_rounds(plan, cfg, once, [](int, size_t) {}, priority);
}

}  // namespace

// biased-unlocked's lists have no lock, so it is planned on one worker only, however many the
// config sweeps; the run refuses more, were it asked.
TEST(ClaimPoints, AStrategySoundOnOneThreadIsPlannedOnOneOnly) {
  const Config cfg = load_config(kSource + "/configs/smoke.yaml", {"strategies=serial,biased,biased-unlocked", "workers=1,2"});
  const Plan plan = make_plan(cfg, {});
  int one = 0;
  for (const Point& p : plan.points)
    if (p.strategy->name == "biased-unlocked") {
      EXPECT_EQ(p.workers, 1) << p.label();
      ++one;
    }
  EXPECT_GT(one, 0);
  point_at(plan, "biased pow workers=2");
  RunSpec two;
  two.workers = 2;
  EXPECT_THROW(find_strategy("biased-unlocked")->run(two), std::logic_error);
}

// The gil claim reads gil at 2 and 4 threads and processes at 2: those points, and the A/A
// routes at one worker (their medians set the noise floor), not the serial baseline.
TEST(ClaimPoints, TheLookUpsOfTheClaimsNameThePoints) {
  const Config cfg = load_config(kSource + "/configs/gil.yaml", {});
  const Plan plan = make_plan(cfg, {});
  std::string why = "unset";
  const std::vector<bool> read = claim_points(plan, cfg, &why);
  ASSERT_EQ(read.size(), plan.points.size());
  EXPECT_EQ(why, "") << "the points were found: no warning";
  EXPECT_TRUE(read[point_at(plan, "processes pow workers=2")]);
  EXPECT_TRUE(read[point_at(plan, "gil pow workers=2 new/5000us")]);
  EXPECT_TRUE(read[point_at(plan, "gil pow workers=4 new/5000us")]);
  EXPECT_TRUE(read[point_at(plan, "processes pow workers=1")]);
  EXPECT_FALSE(read[point_at(plan, "processes pow workers=4")]);
  EXPECT_FALSE(read[point_at(plan, "serial pow workers=1")]);
  // A config no claim reads: no point comes first.
  const Config other = parse_config("experiment: gil\naa: false\n", "mine.yaml", {});
  const std::vector<bool> none = claim_points(make_plan(other, {}), other, &why);
  EXPECT_EQ(std::count(none.begin(), none.end(), true), 0);
  EXPECT_EQ(why, "") << "no claim reads it: nothing to warn of";
}

// Where the summary's rows are not the plan's points in order, the claims' points cannot be
// named, and claim_points says why instead of falling back in silence.
TEST(ClaimPoints, ASummaryThatIsNotThePlanSaysWhy) {
  const Config cfg = load_config(kSource + "/configs/gil.yaml", {});
  const Plan plan = make_plan(cfg, {});
  ASSERT_GE(plan.points.size(), 2u);
  auto table = [&](bool swap_first_two, size_t drop) {
    std::string text = "strategy,workers\n";
    for (size_t i = 0; i + drop < plan.points.size(); ++i) {
      const size_t j = swap_first_two && i < 2 ? 1 - i : i;
      text += plan.points[j].strategy->name + "," + std::to_string(plan.points[j].workers) + "\n";
    }
    return CsvFile::parse(text, "summary-gil.csv");
  };
  EXPECT_EQ(rows_are_points(table(false, 0), plan), "");
  EXPECT_EQ(rows_are_points(table(false, 1), plan),
            "the summary has " + std::to_string(plan.points.size() - 1) + " rows for " + std::to_string(plan.points.size()) + " points");
  if (plan.points[0].strategy != plan.points[1].strategy || plan.points[0].workers != plan.points[1].workers)
    EXPECT_EQ(rows_are_points(table(true, 0), plan), "summary row 0 is not point 0");
  else
    ADD_FAILURE() << "the gil plan's first two points are alike: pick two that differ";
}

// Past the minimum rounds only the claim points (and their baselines) run while they are short
// of the target; without a priority every short point does.
TEST(ClaimPoints, RoundsPastTheMinimumGoToThemFirst) {
  const Config cfg = parse_config("experiment: speedup\nstrategies: serial, biased, atomic\nworkers: 2\ntasks: 2\nblocks: 2\n"
                                  "repetitions: 5\nmax_repetitions: 12\nwarmup: 0\naa: false\n",
                                  "p.yaml", {});
  const Plan plan = make_plan(cfg, {});
  const size_t biased = point_at(plan, "biased pow workers=2"), atomic = point_at(plan, "atomic pow workers=2");
  const size_t serial = point_at(plan, "serial pow workers=1");
  Priority first;
  first.claim.assign(plan.points.size(), false);
  first.claim[biased] = true;
  int pilots = 0, more = -1;
  size_t pilot_records = 0;
  first.after_pilot = [&](const std::vector<Record>& records, int more_rounds) {
    ++pilots, more = more_rounds, pilot_records = records.size();
  };
  std::vector<int> runs;
  RoundsOutcome o = made_up_rounds(cfg, plan, 0.3, first, &runs);  // too noisy to reach 3%
  EXPECT_EQ(o.rounds, 12);
  EXPECT_EQ(runs[biased], 12);
  EXPECT_EQ(runs[serial], 12) << "its baseline runs with it";
  EXPECT_EQ(runs[atomic], 5) << "a point no claim reads waits while a claim point is short";
  EXPECT_EQ(pilots, 1);
  EXPECT_EQ(pilot_records, 5 * plan.points.size());
  EXPECT_GE(more, 1);
  EXPECT_LE(more, 7);
  // Without a priority the atomic point is as short as the biased one and gets its rounds.
  RoundsOutcome alike = made_up_rounds(cfg, plan, 0.3, {}, &runs);
  EXPECT_EQ(runs[atomic], 12);
  // Once the claim point is precise (it and its baseline quiet), the rest get the rounds they need.
  made_up_rounds(cfg, plan, 0.0001, first, &runs, {{atomic, 0.3}});
  EXPECT_EQ(runs[biased], 5) << "precise in the minimum rounds";
  EXPECT_EQ(runs[atomic], 12) << "the noisy point no claim reads gets the rounds the claim point left";
}

// After the pilot: a line per claim that reads the config, its widest figure now and narrower
// after more rounds (one over the root of the rounds), beside the A/A floor.
TEST(ClaimPoints, TheForecastNamesEachClaimAndNarrowsWithRounds) {
  const Config cfg = load_config(kSource + "/configs/gil.yaml", {"repetitions=5", "max_repetitions=5", "warmup=0"});
  const Plan plan = make_plan(cfg, {});
  const RoundsOutcome pilot = made_up_rounds(cfg, plan, 0.05, {});
  const std::vector<std::string> lines = precision_forecast(plan, cfg, pilot.records, 5, 15);
  ASSERT_EQ(lines.size(), 1u) << "one claim reads gil";
  double now = 0, later = 0, floor = -1;
  int figures = 0;
  char id[8] = "";
  ASSERT_EQ(std::sscanf(lines[0].c_str(), "%7[^:]: widest of %d figures +-%lf%% after 5 rounds; about +-%lf%% after 15 more (A/A floor %lf%%)",
                        id, &figures, &now, &later, &floor),
            5)
      << lines[0];
  EXPECT_EQ(std::string(id), "C2");
  EXPECT_GE(figures, 3);
  EXPECT_GT(now, 0);
  EXPECT_NEAR(later, now * 0.5, 0.06) << "5 rounds to 20: half the width";
  EXPECT_GE(floor, 0);
}

// A filter over implementation and workload leaves no run of that file in that implementation,
// serial baselines included, once nothing is measured against them; a free-threaded build's
// serial is measured against the GIL build of the same version (the build's field says which).
TEST(ClaimPoints, ExcludeDropsSerialPointsNothingReads) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3 on this machine";
  PythonBuild gil{"python3", "3.99.1", false, true, {{"version", "3.99.1"}}};
  PythonBuild ft{"python3", "3.99.1t", true, false, {{"version", "3.99.1"}, {"build", "free-threaded"}}};
  const std::string text = "experiment: freethreading\nstrategies: serial, gil, biased\nworkers: [1, 2]\ntasks: 2\n"
                           "implementation: [gillab, cpython]\nworkload: [pow, shared]\ndifficulty: 2\nblocks: 2\n";
  const Plan all = make_plan(parse_config(text, "x.yaml", {}), {gil, ft});
  const Plan trimmed = make_plan(parse_config(text + "exclude: ['implementation=cpython workload=shared']\n", "x.yaml", {}), {gil, ft});
  auto count = [](const Plan& p, const std::string& impl, const std::string& wl) {
    return std::count_if(p.points.begin(), p.points.end(), [&](const Point& x) { return x.implementation == impl && x.workload == wl; });
  };
  EXPECT_GT(count(all, "cpython", "shared"), 0);
  EXPECT_EQ(count(trimmed, "cpython", "shared"), 0) << "serial points nothing reads go too";
  EXPECT_EQ(count(trimmed, "cpython", "pow"), count(all, "cpython", "pow"));
  EXPECT_EQ(count(trimmed, "gillab", "shared"), count(all, "gillab", "shared"));
  for (const Point& p : trimmed.points) {
    EXPECT_LT(p.baseline, trimmed.points.size());
    const Point& b = trimmed.points[p.baseline];
    EXPECT_TRUE(b.is_serial()) << p.label();
    EXPECT_EQ(b.workload, p.workload) << p.label();
    if (p.is_serial() && p.python_label == "3.99.1t") {
      EXPECT_EQ(b.python_label, "3.99.1") << "free-threading's own cost";
    }
  }
}

// `exclude` leaves out the points a filter matches in every column it names; serial and A/A
// points stay. A filter with an unknown column, value or strategy is bad input at its key.
TEST(ClaimPoints, ExcludeTrimsTheSweep) {
  const std::string text = "experiment: speedup\nstrategies: serial, gil, biased\nworkers: [1, 2]\nimmortal: [false, true]\ntasks: 2\n";
  const Plan all = make_plan(parse_config(text, "x.yaml", {}), {});
  const Plan trimmed = make_plan(parse_config(text + "exclude: ['strategy=gil immortal=true', 'strategy=biased|gil workers=1 immortal=false']\n", "x.yaml", {}), {});
  auto has = [](const Plan& p, const std::string& label) {
    return std::any_of(p.points.begin(), p.points.end(), [&](const Point& x) { return x.label() == label; });
  };
  EXPECT_TRUE(has(all, "gil pow workers=2 immortal new/5000us"));
  EXPECT_FALSE(has(trimmed, "gil pow workers=2 immortal new/5000us"));
  EXPECT_TRUE(has(trimmed, "gil pow workers=2 new/5000us")) << "a filter's columns must all match";
  for (const Point& p : trimmed.points) {
    if (p.is_serial() || !p.role.empty() || p.aa_pair) continue;
    EXPECT_FALSE(p.strategy->name == "gil" && p.immortal) << p.label();
    EXPECT_FALSE(p.workers == 1 && !p.immortal) << p.label();
  }
  EXPECT_TRUE(has(trimmed, "gil pow workers=1 new/5000us")) << "the filter matches it, but it is the config's A/A pair";
  EXPECT_TRUE(has(trimmed, "biased pow workers=2 immortal"));
  EXPECT_TRUE(has(trimmed, "serial pow workers=1 immortal")) << "serial stays: a baseline";
  EXPECT_LT(trimmed.points.size(), all.points.size());
  auto error_of = [&](const std::string& filter) {
    try {
      make_plan(parse_config(text + "exclude: ['" + filter + "']\n", "x.yaml", {}), {});
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("strat=gil").find("x.yaml:6:"), std::string::npos) << error_of("strat=gil");
  EXPECT_NE(error_of("strat=gil").find("expected column=value"), std::string::npos);
  EXPECT_NE(error_of("immortal=maybe").find("expected true or false, got 'maybe'"), std::string::npos);
  EXPECT_NE(error_of("strategy=gli").find("unknown strategy 'gli'"), std::string::npos) << error_of("strategy=gli");
}

// The precision of a set of figures: each one's relative half-width, their median and the
// widest; a baseline's 1 (no width) and a figure without an interval are left out.
TEST(ClaimPoints, FigurePrecisionIsTheMedianAndTheWidestHalfWidth) {
  ResultSet rs;
  rs.add("c", CsvFile::parse("strategy,workers,speedup_median,speedup_ci_low,speedup_ci_high,runs_ok\n"
                             "serial,1,1,1,1,5\ngil,2,1.0,0.98,1.02,5\natomic,2,2.0,1.84,2.16,5\nbiased,2,1.0,0.7,1.3,5\n"
                             "cas,2,1.0,,,1\n",
                             "c"));
  std::map<ResultSet::Read, ClaimIds> figures;
  for (size_t row = 0; row < 5; ++row) figures[{"c", row, "speedup"}] = {"X1"};
  const FigurePrecision p = figure_precision(rs, figures);
  EXPECT_EQ(p.figures, 3u);
  EXPECT_NEAR(p.median, 0.08, 1e-9);  // 2%, 8%, 30%
  EXPECT_NEAR(p.widest, 0.30, 1e-9);
  EXPECT_EQ(p.above_10pct, 1u);
  EXPECT_EQ(p.widest_at.row, 3u);
  EXPECT_EQ(point_words(row_key(*rs.table("c"), 3)), "biased workers=2");
}
