// What a number means: the bootstrap interval, the three-way verdicts, matched baselines and
// the pairing of every run with its baseline's run of the same round, rounds that go on until
// the target precision, and summaries that print no statistic one run cannot back.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <random>

#include "bootstrap.hpp"
#include "makespan.hpp"
#include "claim.hpp"
#include "config.hpp"
#include "csv_reader.hpp"
#include "plan.hpp"
#include "rounds.hpp"
#include "statistics.hpp"
#include "summary.hpp"
#include "usl.hpp"
#include "verdict.hpp"

using namespace gillab;

TEST(Bootstrap, DeterministicBlankForOneValueAndExactForConstants) {
  std::vector<double> v{1.0, 1.2, 0.9, 1.1, 1.05, 0.95, 1.3};
  Estimate a = bootstrap_median(v, {7, 10000, 0.95}), b = bootstrap_median(v, {7, 10000, 0.95});
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  EXPECT_DOUBLE_EQ(a.estimate, 1.05);
  EXPECT_LE(a.low, a.estimate);
  EXPECT_GE(a.high, a.estimate);
  EXPECT_LT(a.low, a.high);
  Estimate one = bootstrap_median({2.0}, {});
  EXPECT_EQ(one.estimate, 2.0);
  EXPECT_TRUE(std::isnan(one.low) && std::isnan(one.high) && std::isnan(one.relative_half_width()));
  Estimate same = bootstrap_median({3, 3, 3, 3}, {});
  EXPECT_EQ(same.low, 3);
  EXPECT_EQ(same.high, 3);
  EXPECT_EQ(same.relative_half_width(), 0);
}

// A 95% interval of the median should cover the true median about 95% of the time.
TEST(Bootstrap, CoversTheTrueMedian) {
  std::mt19937_64 gen(42);
  std::normal_distribution<double> noise(10.0, 1.0);
  int covered = 0;
  const int trials = 200;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> v(25);
    for (double& x : v) x = noise(gen);
    Estimate e = bootstrap_median(v, {static_cast<uint64_t>(t), 4000, 0.95});
    covered += e.low <= 10.0 && 10.0 <= e.high;
  }
  EXPECT_GE(covered, trials * 88 / 100);
  EXPECT_LE(covered, trials);  // and a narrower confidence covers less:
  int covered50 = 0;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> v(25);
    for (double& x : v) x = noise(gen);
    Estimate e = bootstrap_median(v, {static_cast<uint64_t>(t), 4000, 0.5});
    covered50 += e.low <= 10.0 && 10.0 <= e.high;
  }
  EXPECT_LT(covered50, covered);
}

TEST(Verdict, ThresholdsAndCombinators) {
  auto e = [](double m, double lo, double hi) { return Estimate{m, lo, hi, 10}; };
  EXPECT_EQ(at_least(e(2, 1.8, 2.2), 1.5), Verdict::Holds);
  EXPECT_EQ(at_least(e(1, 0.9, 1.1), 1.5), Verdict::DoesNotHold);
  EXPECT_EQ(at_least(e(1.5, 1.4, 1.6), 1.5), Verdict::Inconclusive);
  EXPECT_EQ(at_least(Estimate{2, NAN, NAN, 1}, 1.5), Verdict::Inconclusive);  // one run decides nothing
  EXPECT_EQ(at_least(Estimate{}, 1.5), Verdict::NotMeasured);
  EXPECT_EQ(at_most(e(1, 0.9, 1.04), 1.05), Verdict::Holds);
  EXPECT_EQ(at_most(e(1.2, 1.1, 1.3), 1.05), Verdict::DoesNotHold);
  EXPECT_EQ(below(e(1, 0.9, 1.1), e(2, 1.9, 2.1)), Verdict::Holds);
  EXPECT_EQ(below(e(2, 1.9, 2.1), e(1, 0.9, 1.1)), Verdict::DoesNotHold);
  EXPECT_EQ(below(e(1, 0.9, 1.5), e(1.4, 1.3, 1.6)), Verdict::Inconclusive);
  EXPECT_EQ(within(e(1, 0.95, 1.05), 0.9, 1.1), Verdict::Holds);
  EXPECT_EQ(within(e(1.3, 1.2, 1.4), 0.9, 1.1), Verdict::DoesNotHold);
  EXPECT_EQ(within(e(1.1, 1.0, 1.2), 0.9, 1.1), Verdict::Inconclusive);
  const Verdict H = Verdict::Holds, N = Verdict::DoesNotHold, I = Verdict::Inconclusive;
  EXPECT_EQ(all_of({H, H}), H);
  EXPECT_EQ(all_of({H, I}), I);
  EXPECT_EQ(all_of({I, N}), N);
  EXPECT_EQ(any_of({N, H}), H);
  EXPECT_EQ(any_of({N, I}), I);
  EXPECT_EQ(any_of({N, N}), N);
  EXPECT_EQ(given(H, N), N);
  EXPECT_EQ(given(N, H), I);  // the condition failed: the test says nothing
  Estimate t = inverse(e(2, 1.6, 2.5));
  EXPECT_DOUBLE_EQ(t.low, 0.4);
  EXPECT_DOUBLE_EQ(t.high, 1 / 1.6);
}

// The quotient of two independent 95% intervals covers the true quotient about 95% of the
// time: each side a log-normal estimate with its exact interval, 20,000 draws. Interval
// arithmetic (a.low / b.high) covered it about 99.3% of the time here: too wide.
TEST(Verdict, AQuotientOfIndependentIntervalsCoversAbout95Percent) {
  std::mt19937_64 gen(11);
  std::normal_distribution<double> z(0, 1);
  const double a_true = 2.0, b_true = 1.5, sa = 0.05, sb = 0.08;
  auto draw = [&](double truth, double s) {
    const double m = truth * std::exp(s * z(gen));
    return Estimate{m, m * std::exp(-1.96 * s), m * std::exp(1.96 * s), 10};
  };
  int covered = 0;
  const int trials = 20000;
  for (int i = 0; i < trials; ++i) {
    const Estimate q = ratio(draw(a_true, sa), draw(b_true, sb));
    covered += q.low <= a_true / b_true && a_true / b_true <= q.high;
  }
  const double coverage = static_cast<double>(covered) / trials;
  EXPECT_GT(coverage, 0.935);
  EXPECT_LT(coverage, 0.965);
  // An exact side (plain serial's 1 [1, 1]) adds nothing; a side at zero falls back to intervals.
  const Estimate exact = ratio(Estimate{2, 1.8, 2.2, 5}, Estimate{1, 1, 1, 5});
  EXPECT_NEAR(exact.low, 1.8, 1e-12);
  EXPECT_NEAR(exact.high, 2.2, 1e-12);
  EXPECT_DOUBLE_EQ(ratio(Estimate{1, 0, 2, 5}, Estimate{1, 0.5, 2, 5}).low, 0);
}

namespace {
Config config(const std::string& text) { return parse_config(text, "t.yaml", {}); }
size_t find_point(const Plan& p, const std::string& label) {
  for (size_t i = 0; i < p.points.size(); ++i)
    if (p.points[i].label() == label) return i;
  ADD_FAILURE() << "no point " << label;
  return 0;
}
}  // namespace

// Values in groups that share a source of variance (a layout draw): group effects N(0, 2^2),
// within-group noise N(0, 1), 8 groups of 3. The grouped bootstrap covers the true centre about
// 95% of the time; pooling the 24 values as if independent covers it far less often.
TEST(Bootstrap, GroupedIntervalsCoverATwoLevelSample) {
  std::mt19937_64 gen(7);
  std::normal_distribution<double> unit(0.0, 1.0);
  const int trials = 300;
  int grouped_covered = 0, pooled_covered = 0;
  double share_sum = 0;
  for (int t = 0; t < trials; ++t) {
    std::vector<std::vector<double>> groups(8);
    std::vector<double> pooled;
    for (auto& g : groups) {
      const double effect = 2 * unit(gen);
      for (int i = 0; i < 3; ++i) g.push_back(10.0 + effect + unit(gen)), pooled.push_back(g.back());
    }
    const BootstrapParams b{static_cast<uint64_t>(t) + 1, 2000, 0.95};
    const Estimate e = bootstrap_median_grouped(groups, b), p = bootstrap_median(pooled, b);
    grouped_covered += e.low <= 10.0 && 10.0 <= e.high;
    pooled_covered += p.low <= 10.0 && 10.0 <= p.high;
    share_sum += between_group_share(groups);
  }
  EXPECT_GE(grouped_covered, trials * 90 / 100) << "pooled covered " << pooled_covered;
  std::printf("grouped coverage %d/%d, pooled %d/%d\n", grouped_covered, trials, pooled_covered, trials);
  EXPECT_LE(grouped_covered, trials * 995 / 1000);
  EXPECT_LT(pooled_covered, grouped_covered - trials / 20) << "pooling ignores the groups' variance: it must cover less";
  EXPECT_NEAR(share_sum / trials, 0.8, 0.1) << "4 / (4 + 1) of the variance is between the groups";
  // One value a group is the plain bootstrap; a share needs a group of two.
  const std::vector<std::vector<double>> singles{{1}, {2}, {3}, {4}};
  const BootstrapParams b{3, 1000, 0.95};
  EXPECT_EQ(bootstrap_median_grouped(singles, b).low, bootstrap_median({1, 2, 3, 4}, b).low);
  EXPECT_TRUE(std::isnan(between_group_share(singles)));
  EXPECT_TRUE(std::isnan(between_group_share({{1, 1}, {1, 1}}))) << "no spread: no share to tell";
  EXPECT_DOUBLE_EQ(between_group_share({{1, 1}, {3, 3}}), 1.0);  // all of it between the groups
  EXPECT_DOUBLE_EQ(between_group_share({{1, 3}, {3, 1}}), 0.0);  // all of it within them
}

TEST(MatchedBaselines, EveryPointAgainstTheSerialPointThatMatchesIt) {
  Plan p = make_plan(config("experiment: speedup\nstrategies: serial, biased\nworkers: 1, 2\nimmortal: false, true\n"
                            "workload: pow, shared\ntasks: 2\nblocks: 2\n"),
                     {});
  for (const char* wl : {"pow", "shared"}) {
    const std::string w(wl);
    size_t plain = find_point(p, "serial " + w + " workers=1"), imm = find_point(p, "serial " + w + " workers=1 immortal");
    EXPECT_EQ(p.points[plain].baseline, plain);
    EXPECT_EQ(p.points[imm].baseline, plain) << "immortality's own cost: against plain serial";
    EXPECT_EQ(p.points[find_point(p, "biased " + w + " workers=2 immortal")].baseline, imm);
    EXPECT_EQ(p.points[find_point(p, "biased " + w + " workers=2")].baseline, plain);
  }
  // deferred, as immortal: its serial against plain serial, its threads against its serial.
  Plan d = make_plan(config("experiment: speedup\nstrategies: serial, biased\nworkers: 2\nimmortal: false, true\n"
                            "deferred: false, true\ntasks: 2\n"), {});
  const size_t plain = find_point(d, "serial pow workers=1"), both = find_point(d, "serial pow workers=1 immortal deferred");
  EXPECT_EQ(d.points[find_point(d, "serial pow workers=1 deferred")].baseline, plain);
  EXPECT_EQ(d.points[both].baseline, plain);
  EXPECT_EQ(d.points[find_point(d, "biased pow workers=2 immortal deferred")].baseline, both);
  EXPECT_EQ(d.points[find_point(d, "biased pow workers=2 deferred")].baseline, find_point(d, "serial pow workers=1 deferred"));
  // immortal = true alone still plans plain serial, which serial immortal is measured against.
  Plan only = make_plan(config("experiment: speedup\nstrategies: serial, atomic\nworkers: 2\nimmortal: true\ntasks: 2\n"), {});
  EXPECT_EQ(only.points[find_point(only, "atomic pow workers=2 immortal")].baseline, find_point(only, "serial pow workers=1 immortal"));
}

namespace {
// Runs the rounds with made-up times: each point's wall is `base` times a noise factor.
RoundsOutcome fake_rounds(const Config& cfg, const Plan& plan, const std::map<std::string, double>& base, double noise,
                          std::vector<size_t>* order = nullptr) {
  std::mt19937_64 gen(3);
  std::uniform_real_distribution<double> jitter(1 - noise, 1 + noise);
  auto once = [&](size_t p, int rep, bool, Record& out) {
    out.point = p;
    out.rep = rep;
    out.result.ok = true;
    out.result.wall_s = base.at(plan.points[p].label()) * jitter(gen);
    if (order) order->push_back(p);
    return true;
  };
  return run_rounds(plan, cfg, once, [](int, size_t) {});
}
}  // namespace

TEST(Rounds, PairedWithTheSameRoundAndGoOnUntilPrecise) {
  const std::string text = "experiment: speedup\nstrategies: serial, biased\nworkers: 2\nimmortal: false, true\ntasks: 2\n"
                           "repetitions: 5\nmax_repetitions: 40\nwarmup: 0\nblocks: 2\naa: false\n";
  Config cfg = config(text);
  Plan plan = make_plan(cfg, {});
  std::map<std::string, double> base{{"serial pow workers=1", 1.0}, {"serial pow workers=1 immortal", 0.8},
                                     {"biased pow workers=2", 2.0}, {"biased pow workers=2 immortal", 0.4}};
  // Quiet machine: five rounds reach 3%; every immortal speedup is against serial immortal.
  RoundsOutcome quiet = fake_rounds(cfg, plan, base, 0.001);
  EXPECT_EQ(quiet.rounds, 5);
  EXPECT_EQ(quiet.stopped_because, "every point within the target precision");
  for (const Record& r : quiet.records) {
    const std::string l = plan.points[r.point].label();
    const std::map<std::string, double> want{
        {"biased pow workers=2 immortal", 2.0}, {"serial pow workers=1 immortal", 1.25}, {"biased pow workers=2", 0.5}};
    if (want.count(l)) {
      EXPECT_NEAR(r.speedup, want.at(l), 0.01) << l;
    }
  }
  // Noisy: more rounds, up to the cap, and only the points still short of the target (with
  // their baselines) run in the extra rounds.
  RoundsOutcome noisy = fake_rounds(cfg, plan, base, 0.3);
  EXPECT_GT(noisy.rounds, 5);
  EXPECT_LE(noisy.rounds, 40);
  // A budget of zero: the minimum rounds, then stop.
  Config tight = parse_config(text, "t.yaml", {"budget_s=0"});
  RoundsOutcome cut = fake_rounds(tight, plan, base, 0.3);
  EXPECT_EQ(cut.rounds, 5);
  EXPECT_EQ(cut.stopped_because, "budget_s reached");
  // The order within rounds is shuffled, and the seed decides it.
  std::vector<size_t> o1, o2, o3;
  fake_rounds(cfg, plan, base, 0.001, &o1);
  fake_rounds(cfg, plan, base, 0.001, &o2);
  fake_rounds(parse_config(text, "t.yaml", {"seed=2"}), plan, base, 0.001, &o3);
  EXPECT_EQ(o1, o2);
  EXPECT_NE(o1, o3);
  bool varies = false;
  for (size_t i = 4; i < o1.size(); ++i) varies |= o1[i] != o1[i % 4];
  EXPECT_TRUE(varies) << "every round in the same order";
}

// A round runs in randomised blocks: the points measured against one plain serial root (here
// one per workload) run one after another, so a pair's runs are seconds apart, while the
// blocks' order and the order inside each still vary from round to round.
TEST(Rounds, EachRootsPointsRunTogetherInARound) {
  const std::string text = "experiment: speedup\nstrategies: serial, gil, biased\nworkers: 1, 2\nimmortal: false, true\n"
                           "workload: pow, shared\ntasks: 2\nrepetitions: 6\nmax_repetitions: 6\nwarmup: 0\nblocks: 2\n";
  Config cfg = config(text);
  Plan plan = make_plan(cfg, {});
  std::map<std::string, double> base;
  for (const Point& p : plan.points) base[p.label()] = 1.0;
  std::vector<size_t> order;
  fake_rounds(cfg, plan, base, 0.001, &order);
  const size_t per_round = plan.points.size();
  ASSERT_EQ(order.size(), 6 * per_round);
  std::set<std::vector<std::string>> sequences;
  for (size_t r = 0; r < 6; ++r) {
    std::vector<std::string> workloads;  // the workload of each run in turn, runs of one collapsed
    for (size_t i = r * per_round; i < (r + 1) * per_round; ++i)
      if (workloads.empty() || workloads.back() != plan.points[order[i]].workload) workloads.push_back(plan.points[order[i]].workload);
    EXPECT_EQ(workloads.size(), 2u) << "round " << r + 1 << ": a root's points were split";
    std::vector<std::string> labels;
    for (size_t i = r * per_round; i < (r + 1) * per_round; ++i) labels.push_back(plan.points[order[i]].label());
    sequences.insert(labels);
  }
  EXPECT_GT(sequences.size(), 1u) << "every round in the same order";
}

// A point's scaling is its own run at one worker over this one, in the same round: the round's
// drift cancels, and a point still short of its precision brings its one-worker twin along.
TEST(Rounds, ScalingPairsAPointWithItselfAtOneWorker) {
  const std::string text = "experiment: speedup\nstrategies: serial, biased\nworkers: 1, 2\ntasks: 2\nrepetitions: 5\n"
                           "max_repetitions: 12\nwarmup: 0\nblocks: 2\naa: false\n";
  Config cfg = config(text);
  Plan plan = make_plan(cfg, {});
  const size_t serial = find_point(plan, "serial pow workers=1"), one = find_point(plan, "biased pow workers=1"),
               two = find_point(plan, "biased pow workers=2");
  EXPECT_EQ(plan.points[two].one_worker, one);
  EXPECT_EQ(plan.points[one].one_worker, static_cast<size_t>(-1));
  EXPECT_EQ(plan.points[serial].one_worker, static_cast<size_t>(-1));
  std::mt19937_64 gen(5);
  std::uniform_real_distribution<double> jitter(0.7, 1.3);
  std::map<std::pair<size_t, int>, double> wall;
  auto once = [&](size_t p, int rep, bool, Record& out) {
    out.point = p;
    out.rep = rep;
    out.result.ok = true;
    const double drift = 1 + 0.5 * (rep % 3);  // the whole round slower or faster
    out.result.wall_s = wall[{p, rep}] = drift * (p == serial ? 1.0 : p == one ? 1.2 : 0.7 * jitter(gen));
    return true;
  };
  RoundsOutcome o = run_rounds(plan, cfg, once, [](int, size_t) {});
  ASSERT_GT(o.rounds, 5) << "the noisy point goes on";
  int paired = 0;
  for (const Record& r : o.records) {
    if (r.point != two) {
      EXPECT_TRUE(std::isnan(r.scaling)) << plan.points[r.point].label();
      continue;
    }
    ASSERT_TRUE(wall.count({one, r.rep})) << "round " << r.rep << ": biased at 1 worker did not run beside it";
    const double want = wall[{one, r.rep}] / wall[{two, r.rep}];
    EXPECT_DOUBLE_EQ(r.scaling, want) << "round " << r.rep;
    ++paired;
  }
  EXPECT_EQ(paired, o.rounds);
}

TEST(Summary, OneRunBacksNoSpreadAndNoInterval) {
  CsvFile raw = CsvFile::parse("experiment,strategy,workers,wall_s,speedup,result_ok\nx,serial,1,1.0,1,1\nx,gil,2,2.0,0.5,1\n"
                               "x,gil,4,2.0,0.5,1\nx,gil,4,2.2,0.45,1\n",
                               "raw");
  CsvFile s = CsvFile::parse(summarize(raw, ""), "summary");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.at(1, "wall_s_median"), "2");
  EXPECT_EQ(s.at(1, "wall_s_cv"), "");  // blank, never 0
  EXPECT_EQ(s.at(1, "speedup_ci_low"), "");
  EXPECT_EQ(s.at(1, "precision"), "");
  EXPECT_NE(s.at(2, "wall_s_cv"), "");
  EXPECT_NE(s.at(2, "speedup_ci_low"), "");
}

// An interval from 5 runs or fewer is printed, but cannot be a 95% one: the warning says so.
TEST(Summary, FiveRunsOrFewerWarnThatTheIntervalCannotCover95Percent) {
  std::string csv = "experiment,strategy,workers,wall_s,result_ok\n";
  for (int i = 0; i < 3; ++i) csv += "x,serial,1,1.0" + std::to_string(i) + ",1\n";
  for (int i = 0; i < 5; ++i) csv += "x,gil,2,1.0" + std::to_string(i) + ",1\n";
  for (int i = 0; i < 6; ++i) csv += "x,gil,4,1.0" + std::to_string(i) + ",1\n";
  CsvFile s = CsvFile::parse(summarize(CsvFile::parse(csv, "raw"), ""), "summary");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_NE(s.at(0, "warnings").find("only 3 runs: the 95% interval of a median covers at most 75%"), std::string::npos)
      << s.at(0, "warnings");
  EXPECT_NE(s.at(1, "warnings").find("only 5 runs: the 95% interval of a median covers at most 93.75%"), std::string::npos)
      << s.at(1, "warnings");
  EXPECT_EQ(s.at(2, "warnings").find("runs: the 95% interval"), std::string::npos) << s.at(2, "warnings");
}

TEST(ResultSet, AnAmbiguousLookUpIsAnErrorNeverTheFirstRow) {
  ResultSet rs;
  rs.add("c", CsvFile::parse("strategy,workers,immortal,speedup_median,speedup_ci_low,speedup_ci_high,runs_ok\n"
                             "gil,2,0,1.0,0.9,1.1,5\ngil,2,1,1.5,1.4,1.6,5\n",
                             "c"));
  EXPECT_THROW(rs.get("c", {{"strategy", "gil"}, {"workers", "2"}}, "speedup"), LookupError);
  try {
    rs.get("c", {{"strategy", "gil"}}, "speedup");
  } catch (const LookupError& e) {
    EXPECT_NE(std::string(e.what()).find("differ in 'immortal'"), std::string::npos) << e.what();
  }
  Estimate e = rs.get("c", {{"strategy", "gil"}, {"workers", "2"}, {"immortal", "1"}}, "speedup");
  EXPECT_EQ(e.estimate, 1.5);
  EXPECT_EQ(e.low, 1.4);
  EXPECT_EQ(e.n, 5);
  EXPECT_TRUE(std::isnan(rs.get("c", {{"strategy", "atomic"}}, "speedup").estimate));
  EXPECT_TRUE(std::isnan(rs.get("absent", {{"strategy", "gil"}}, "speedup").estimate));
}

namespace {
double usl(double n, double a, double s, double k) { return a * n / (1 + s * (n - 1) + k * n * (n - 1)); }
}  // namespace

TEST(Usl, RecoversKnownParametersAndStaysInRange) {
  std::vector<std::pair<double, double>> pts;
  for (int n : {1, 2, 4, 8, 16, 32}) pts.push_back({n, usl(n, 0.97, 0.05, 0.002)});
  UslParams p = fit_usl_points(pts);
  EXPECT_NEAR(p.a, 0.97, 0.01);
  EXPECT_NEAR(p.sigma, 0.05, 0.005);
  EXPECT_NEAR(p.kappa, 0.002, 0.0005);
  // Superlinear and collapsing curves: the parameters stay in their ranges (no Amdahl 3.91 or -0.01).
  for (auto f : {+[](double n) { return 1.2 * n; }, +[](double n) { return 4 / n; }}) {
    std::vector<std::pair<double, double>> q;
    for (int n : {1, 2, 3, 4, 6}) q.push_back({n, f(n)});
    UslParams r = fit_usl_points(q);
    EXPECT_GE(r.sigma, 0);
    EXPECT_LE(r.sigma, 1);
    EXPECT_GE(r.kappa, 0);
  }
}

TEST(Usl, FitsOnlyWithFourCountsWithinTheCoresWithIntervals) {
  std::mt19937_64 g(3);
  std::normal_distribution<double> noise(0, 0.03);
  std::map<int, std::vector<double>> runs;
  for (int n : {1, 2, 4, 8, 16, 32})
    for (int r = 0; r < 15; ++r) runs[n].push_back(usl(n, 1, 0.05, 0.002) * (1 + noise(g)));
  BootstrapParams b;
  UslFit fit = fit_usl(runs, 16, b);  // 32 is past the cores: 5 counts within
  EXPECT_EQ(fit.note, "");
  ASSERT_TRUE(std::isfinite(fit.a));
  EXPECT_LE(fit.sigma.low, 0.05);
  EXPECT_GE(fit.sigma.high, 0.05);
  EXPECT_LT(fit.sigma.low, fit.sigma.high);
  EXPECT_LE(fit.kappa.low, fit.kappa.estimate);
  EXPECT_GE(fit.kappa.high, fit.kappa.estimate);
  UslFit few = fit_usl(runs, 4, b);  // 1, 2, 4: three counts
  EXPECT_FALSE(std::isfinite(few.a));
  EXPECT_EQ(few.note, "3 worker count(s) within the 4 cores; the USL needs 4");
}

TEST(Usl, TheSummaryCarriesEachSeriesFitOrWhyNot) {
  std::string csv = "experiment,strategy,workload,workers,speedup,result_ok,wall_s\n";
  for (int n : {1, 2, 3, 4, 6})
    for (int r = 0; r < 5; ++r)
      csv += "speedup,atomic,pow," + std::to_string(n) + "," + std::to_string(usl(n, 1, 0.1, 0.01) * (1 + 0.01 * r)) + ",1,1\n";
  const std::string manifest = R"({"machine": {"cores": 8, "cpu_model": "m"}, "date": "2026-11-25T00:00:00Z"})";
  auto summary = CsvFile::parse(summarize(CsvFile::parse(csv, "x.csv"), manifest), "s.csv");
  ASSERT_EQ(summary.size(), 5u);
  for (size_t r = 0; r < summary.size(); ++r) {
    EXPECT_NEAR(summary.number(r, "usl_sigma"), 0.1, 0.03);
    EXPECT_LE(summary.number(r, "usl_sigma_ci_low"), summary.number(r, "usl_sigma"));
    EXPECT_EQ(summary.at(r, "usl_note"), "");
  }
  const std::string two_cores = R"({"machine": {"cores": 2, "cpu_model": "m"}, "date": "2026-11-25T00:00:00Z"})";
  auto none = CsvFile::parse(summarize(CsvFile::parse(csv, "x.csv"), two_cores), "s.csv");
  EXPECT_TRUE(std::isnan(none.number(0, "usl_sigma"))) << "blank, not a fit through two points";
  EXPECT_EQ(none.at(0, "usl_note"), "2 worker count(s) within the 2 cores; the USL needs 4");
}

// The ideal the work allows: tasks handed out in order from one queue.
TEST(Makespan, UnequalTasksCapTheSpeedupBelowTheWorkers) {
  EXPECT_DOUBLE_EQ(list_makespan({3, 1, 1, 1}, 2), 3);
  EXPECT_DOUBLE_EQ(ideal_speedup({3, 1, 1, 1}, 2), 2);    // the long one first: the rest fill the other worker
  EXPECT_DOUBLE_EQ(ideal_speedup({1, 1, 1, 3}, 2), 1.5);  // the long one last: it runs alone
  EXPECT_DOUBLE_EQ(ideal_speedup({2, 2, 2}, 2), 1.5);     // three equal tasks on two workers
  EXPECT_DOUBLE_EQ(ideal_speedup({2, 2, 2}, 1), 1);
  EXPECT_DOUBLE_EQ(ideal_speedup({2, 2, 2}, 8), 3);       // never more than the tasks
  EXPECT_TRUE(std::isnan(ideal_speedup({}, 2)));
}
