// Every registered claim's rule, driven into each of its three outcomes from synthetic
// summaries: the verdicts can fail, and an interval that straddles the threshold decides
// nothing.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "claim.hpp"
#include "report.hpp"

using namespace gillab;

namespace {

using Cols = std::map<std::string, std::string>;
struct Row {
  std::string config;
  Cols cols;  // the point's key columns and its statistics
};

Cols est(const std::string& metric, double m, double lo, double hi) {
  return {{metric + "_median", std::to_string(m)}, {metric + "_ci_low", std::to_string(lo)},
          {metric + "_ci_high", std::to_string(hi)}, {"runs_ok", "10"}};
}
Cols operator+(Cols a, const Cols& b) {
  a.insert(b.begin(), b.end());
  return a;
}

ResultSet build(const std::vector<Row>& rows) {
  std::map<std::string, std::set<std::string>> columns;
  for (const Row& r : rows)
    for (auto& [k, v] : r.cols) columns[r.config].insert(k);
  ResultSet rs;
  for (auto& [config, cols] : columns) {
    std::string text;
    for (auto& c : cols) text += (text.empty() ? "" : ",") + c;
    text += "\n";
    for (const Row& r : rows) {
      if (r.config != config) continue;
      bool first = true;
      for (auto& c : cols) {
        text += (first ? "" : ",") + (r.cols.count(c) ? r.cols.at(c) : std::string());
        first = false;
      }
      text += "\n";
    }
    rs.add(config, CsvFile::parse(text, config));
  }
  return rs;
}

const Claim& claim(const std::string& id) {
  for (const Claim& c : claims())
    if (c.id == id) return c;
  throw std::runtime_error("no claim " + id);
}

// One claim's three scenarios: rows that make it hold, not hold, and stay open.
struct Case {
  std::string id;
  std::vector<Row> holds, fails, open;
};

// A speedup interval [lo, hi] around m.
Cols sp(double m, double lo, double hi) { return est("speedup", m, lo, hi); }
// A point's scaling: each run over the same point's run at one worker, same round.
Cols sc(double m, double lo, double hi) { return est("scaling", m, lo, hi); }

std::vector<Case> cases() {
  const Cols serial{{"strategy", "serial"}, {"workers", "1"}, {"immortal", "0"}};
  auto gil = [](const char* w, const char* mode) {
    Cols c{{"strategy", "gil"}, {"workers", w}, {"gil_mode", mode}, {"immortal", "0"}};
    c["switch_interval_us"] = std::string(mode) == "new" ? "5000" : "";
    return c;
  };
  const Cols procs2{{"strategy", "processes"}, {"workers", "2"}, {"immortal", "0"}, {"capacity", "2"}};
  const Cols procs4{{"strategy", "processes"}, {"workers", "4"}, {"immortal", "0"}};
  auto lockp = [](const char* st, const char* w, const char* kind) {
    return Cols{{"strategy", st}, {"workers", w}, {"lock_kind", kind}};
  };
  auto cas = [](const char* w) { return Cols{{"strategy", "cas"}, {"workers", w}, {"immortal", "0"}, {"cas_retries_max_max", "20"}}; };
  auto ovh = [](const char* st, const char* imm, const char* workload = "pow") {
    return Cols{{"strategy", st}, {"workers", "1"}, {"immortal", imm}, {"workload", workload}};
  };
  // A11: biased and biased-unlocked on the list loop and the dict loop, each with and without
  // immortal objects; biased on the dict loop is `dict_with` where given, else `with`.
  auto locks = [&](Cols with, Cols without, Cols dict_with = {}) {
    std::vector<Row> rows;
    for (const char* w : {"gillab_list_private", "gillab_dict_private"})
      for (const char* imm : {"0", "1"})
        rows.insert(rows.end(), {{"overhead", ovh("biased", imm, w) + (std::string(w) == "gillab_dict_private" && !dict_with.empty() ? dict_with : with)},
                                 {"overhead", ovh("biased-unlocked", imm, w) + without}});
    return rows;
  };
  auto bia = [](const char* imm) {
    return Cols{{"strategy", "biased"}, {"workers", "2"}, {"immortal", imm}, {"workload", "pow"}, {"capacity", "2"}};
  };
  auto hand = [](const char* ok, const char* lost) {
    return Cols{{"strategy", "biased"}, {"workers", "2"}, {"immortal", "1"}, {"workload", "handoff"}, {"runs", "10"},
                {"runs_ok", ok}, {"lost_updates_max", lost}, {"biased_merges_median", "300"}};
  };
  auto shr = [](const char* st) {
    return Cols{{"strategy", st}, {"workers", "2"}, {"immortal", "1"}, {"workload", "shared"}, {"lock_kind", st == std::string("refcount-lock") ? "mutex" : ""}, {"capacity", "2"}};
  };
  auto cpy = [](const char* impl, const char* st) {
    return Cols{{"implementation", impl}, {"strategy", st}, {"workers", "2"}, {"switch_interval_us", st == std::string("gil") || st == std::string("threads") ? "5000" : ""}};
  };
  auto c4rows = [&](double m, double lo, double hi) {
    return std::vector<Row>{{"refcount-lock", lockp("refcount-lock", "1", "mutex") + sp(m, lo, hi)}};
  };
  auto c5rows = [&](Cols gil1, Cols mutex1, Cols gil4) {
    return std::vector<Row>{{"refcount-lock", lockp("gil", "1", "") + gil1}, {"refcount-lock", lockp("refcount-lock", "1", "mutex") + mutex1},
                            {"refcount-lock", lockp("gil", "4", "") + gil4}};
  };
  auto a5rows = [&](Cols procs, Cols atomic) {
    return std::vector<Row>{{"speedup", shr("processes") + procs}, {"speedup", shr("atomic") + atomic}};
  };
  auto a6rows = [&](Cols gil_gillab, Cols gil_cpython) {
    const Cols same = sp(1.8, 1.75, 1.85);
    return std::vector<Row>{{"cpython", cpy("gillab", "gil") + gil_gillab}, {"cpython", cpy("cpython", "threads") + gil_cpython},
                            {"cpython", cpy("gillab", "processes") + same}, {"cpython", cpy("cpython", "processes") + same}};
  };
  // The model's biased (immortal, deferred) and the free-threaded build's serial or threads.
  auto ftrows = [](const char* w, const char* ft_strategy, Cols model, Cols ft) {
    return std::vector<Row>{
        {"freethreading", Cols{{"implementation", "gillab"}, {"strategy", "biased"}, {"workers", w}, {"immortal", "1"},
                               {"deferred", "1"}, {"workload", "pow"}, {"gil_enabled", ""}} + model},
        {"freethreading", Cols{{"implementation", "cpython"}, {"strategy", ft_strategy}, {"workers", w}, {"immortal", "0"},
                               {"deferred", "0"}, {"workload", "pow"}, {"gil_enabled", "0"}} + ft}};
  };
  // A10: the model's biased and the free-threaded build's threads, each on the shared and the private list and dict.
  auto lists = [](Cols model_shared, Cols model_private, Cols ft_shared, Cols ft_private) {
    auto row = [](bool model, const char* workload, Cols c) {
      Cols k = model ? Cols{{"implementation", "gillab"}, {"strategy", "biased"}, {"immortal", "1"}, {"deferred", "1"}, {"gil_enabled", ""}}
                     : Cols{{"implementation", "cpython"}, {"strategy", "threads"}, {"immortal", "0"}, {"deferred", "0"}, {"gil_enabled", "0"}};
      return Row{"containers", k + Cols{{"workers", "2"}, {"workload", workload}, {"capacity", "2"}} + c};
    };
    std::vector<Row> rows;
    for (const std::string kind : {"list", "dict"}) {  // the dicts' rows the lists', so either can sink the claim
      const std::string shared = "gillab_" + kind + "_shared", priv = "gillab_" + kind + "_private";
      rows.insert(rows.end(), {row(true, shared.c_str(), model_shared), row(true, priv.c_str(), model_private),
                               row(false, shared.c_str(), ft_shared), row(false, priv.c_str(), ft_private)});
    }
    return rows;
  };
  // A12: per loop, the model's biased at 2 workers (its scaling) and the free-threaded build's threads at 2.
  auto loops = [](Cols ft_second) {
    std::vector<Row> rows;
    for (const char* w : {"pyfunction", "create_dict"}) {
      const Cols model{{"implementation", "gillab"}, {"strategy", "biased"}, {"immortal", "1"}, {"deferred", "1"}, {"gil_enabled", ""},
                       {"workload", w}, {"capacity", "2"}};
      rows.push_back({"ftscaling", model + Cols{{"workers", "2"}} + sc(1.9, 1.88, 1.92)});
      rows.push_back({"ftscaling", Cols{{"implementation", "cpython"}, {"strategy", "threads"}, {"immortal", "0"}, {"deferred", "0"},
                                        {"gil_enabled", "0"}, {"workload", w}, {"capacity", "2"}, {"workers", "2"}} +
                                       (std::string(w) == "create_dict" ? ft_second : sp(1.9, 1.88, 1.92))});
    }
    return rows;
  };
  return {
      {"A12", loops(sp(1.9, 1.88, 1.92)), loops(sp(1.0, 0.98, 1.02)), loops(sp(1.7, 1.5, 1.9))},
      {"A11", locks(sp(0.97, 0.96, 0.98), sp(1.0, 0.99, 1.01)),
       locks(sp(0.97, 0.96, 0.98), sp(1.0, 0.99, 1.01), sp(0.7, 0.68, 0.72)),  // the dicts' locks alone sink it
       locks(sp(0.9, 0.88, 0.92), sp(1.0, 0.99, 1.01))},
      {"A10", lists(sc(0.5, 0.45, 0.55), sc(1.9, 1.85, 1.95), sp(0.9, 0.85, 0.95), sp(1.8, 1.75, 1.85)),
       lists(sc(1.8, 1.75, 1.85), sc(1.9, 1.85, 1.95), sp(0.9, 0.85, 0.95), sp(1.8, 1.75, 1.85)),
       lists(sc(0.5, 0.45, 0.55), sc(1.7, 1.6, 1.8), sp(0.9, 0.85, 0.95), sp(1.8, 1.75, 1.85))},
      {"C1",
       {{"article", serial + est("cpu_util", 1.0, 0.99, 1.01)}, {"article", procs4 + est("cpu_util", 1.9, 1.85, 1.95)}},
       {{"article", serial + est("cpu_util", 1.9, 1.8, 2.0)}, {"article", procs4 + est("cpu_util", 1.9, 1.85, 1.95)}},
       {{"article", serial + est("cpu_util", 1.0, 0.99, 1.01)}, {"article", procs4 + est("cpu_util", 1.0, 0.98, 1.02)}}},
      {"C2",
       {{"gil", gil("2", "new") + sp(1.0, 0.98, 1.02)}, {"gil", gil("4", "new") + sp(0.99, 0.97, 1.01)}, {"gil", procs2 + sp(1.9, 1.8, 1.95)}},
       {{"gil", gil("2", "new") + sp(1.5, 1.4, 1.6)}, {"gil", gil("4", "new") + sp(0.99, 0.97, 1.01)}, {"gil", procs2 + sp(1.9, 1.8, 1.95)}},
       {{"gil", gil("2", "new") + sp(1.0, 0.98, 1.02)}, {"gil", gil("4", "new") + sp(0.99, 0.97, 1.01)}, {"gil", procs2 + sp(1.0, 0.9, 1.1)}}},
      {"C3",
       {{"race", Cols{{"strategy", "race"}, {"workers", "2"}, {"lost_updates_max", "900"}} + est("lost_updates", 500, 300, 700)},
        {"race", Cols{{"strategy", "atomic"}, {"workers", "2"}, {"lost_updates_max", "0"}}}},
       {{"race", Cols{{"strategy", "race"}, {"workers", "2"}, {"lost_updates_max", "900"}} + est("lost_updates", 500, 300, 700)},
        {"race", Cols{{"strategy", "atomic"}, {"workers", "2"}, {"lost_updates_max", "3"}}}},
       {{"race", Cols{{"strategy", "race"}, {"workers", "2"}, {"lost_updates_max", "9"}} + est("lost_updates", 0, 0, 4)},
        {"race", Cols{{"strategy", "atomic"}, {"workers", "2"}, {"lost_updates_max", "0"}}}}},
      {"C4", c4rows(0.2, 0.19, 0.21), c4rows(0.9, 0.85, 0.95), c4rows(0.66, 0.6, 0.7)},
      {"C5", c5rows(sp(0.97, 0.95, 0.99), sp(0.2, 0.19, 0.21), sp(1.0, 0.98, 1.02)),
       c5rows(sp(0.97, 0.95, 0.99), sp(0.2, 0.19, 0.21), sp(1.6, 1.5, 1.7)),
       c5rows(sp(0.5, 0.3, 0.99), sp(0.4, 0.35, 0.45), sp(1.0, 0.98, 1.02))},
      {"C6",
       {{"cas", cas("2") + est("cas_ops_long", 12, 5, 20) + est("cas_retries_per_op", 0.1, 0.09, 0.11)}, {"cas", cas("4") + est("cas_ops_long", 0, 0, 0)}},
       {{"cas", cas("2") + est("cas_ops_long", 0, 0, 0)}, {"cas", cas("4") + est("cas_ops_long", 0, 0, 0)}},
       {{"cas", cas("2") + est("cas_ops_long", 0, 0, 3)}, {"cas", cas("4") + est("cas_ops_long", 0, 0, 0)}}},
      {"C7", {{"processes", procs2 + sp(1.9, 1.85, 1.95)}}, {{"processes", procs2 + sp(1.2, 1.1, 1.3)}},
       {{"processes", procs2 + sp(1.6, 1.5, 1.7)}}},
      {"A1", {{"overhead", ovh("atomic", "0") + sp(0.8, 0.78, 0.82)}}, {{"overhead", ovh("atomic", "0") + sp(1.0, 0.99, 1.01)}},
       {{"overhead", ovh("atomic", "0") + sp(0.95, 0.9, 1.0)}}},
      {"A2", {{"overhead", ovh("biased", "1") + sp(0.97, 0.95, 0.99)}}, {{"overhead", ovh("biased", "1") + sp(0.7, 0.65, 0.75)}},
       {{"overhead", ovh("biased", "1") + sp(0.9, 0.85, 0.95)}}},
      {"A3", {{"overhead", ovh("serial", "1") + sp(1.2, 1.1, 1.3)}}, {{"overhead", ovh("serial", "1") + sp(0.9, 0.88, 0.92)}},
       {{"overhead", ovh("serial", "1") + sp(0.97, 0.95, 0.99)}}},
      {"A4", {{"biased", bia("1") + sp(1.9, 1.85, 1.95)}}, {{"biased", bia("1") + sp(1.2, 1.1, 1.3)}},
       {{"biased", bia("1") + sp(1.8, 1.7, 1.9)}}},
      {"A7", {{"biased", hand("10", "0") + est("biased_queued", 300, 280, 320)}},
       {{"biased", hand("9", "0") + est("biased_queued", 300, 280, 320)}},
       {{"biased", hand("10", "0") + est("biased_queued", 1, 0, 2)}}},
      {"A5", a5rows(sp(1.9, 1.85, 1.95), sp(0.8, 0.7, 0.9)), a5rows(sp(1.9, 1.85, 1.95), sp(1.9, 1.85, 1.95)),
       a5rows(sp(1.2, 1.1, 1.3), sp(0.8, 0.7, 0.9))},
      {"A6", a6rows(sp(1.0, 0.99, 1.01), sp(1.0, 0.99, 1.01)), a6rows(sp(1.0, 0.99, 1.01), sp(1.5, 1.45, 1.55)),
       a6rows(sp(1.0, 0.95, 1.05), sp(0.95, 0.9, 1.0))},
      {"A8", ftrows("1", "serial", sp(0.9, 0.89, 0.91), sp(0.9, 0.89, 0.91)),
       ftrows("1", "serial", sp(0.9, 0.89, 0.91), sp(0.5, 0.49, 0.51)),
       ftrows("1", "serial", sp(0.9, 0.85, 0.95), sp(0.8, 0.78, 0.82))},
      {"A9", ftrows("2", "threads", sp(1.9, 1.88, 1.92), sp(1.9, 1.88, 1.92)),
       ftrows("2", "threads", sp(1.9, 1.88, 1.92), sp(1.2, 1.18, 1.22)),
       ftrows("2", "threads", sp(1.9, 1.85, 1.95), sp(1.7, 1.65, 1.75))},
  };
}

}  // namespace

TEST(Claims, EveryRuleReachesEachOutcome) {
  std::set<std::string> tested;
  for (const Case& c : cases()) {
    const Claim& cl = claim(c.id);
    tested.insert(c.id);
    EXPECT_EQ(cl.evaluate(build(c.holds)).verdict, Verdict::Holds) << c.id << ": " << cl.evaluate(build(c.holds)).measured;
    EXPECT_EQ(cl.evaluate(build(c.fails)).verdict, Verdict::DoesNotHold) << c.id << ": " << cl.evaluate(build(c.fails)).measured;
    EXPECT_EQ(cl.evaluate(build(c.open)).verdict, Verdict::Inconclusive) << c.id << ": " << cl.evaluate(build(c.open)).measured;
    EXPECT_EQ(cl.evaluate(ResultSet{}).verdict, Verdict::NotMeasured) << c.id;
    const std::string shown = cl.evaluate(build(c.holds)).measured;
    EXPECT_NE(shown.find(" ["), std::string::npos) << c.id << " shows no interval: " << shown;
  }
  for (const Claim& c : claims()) EXPECT_TRUE(tested.count(c.id)) << c.id << " has no rule test";
}

// A claim on free-threaded CPython, given the model's rows but no free-threaded build's (CI
// has none), is not measured, whichever way the model's half points; the model's intervals
// are still shown.
TEST(Claims, WithoutAFreeThreadedBuildTheModelAloneDecidesNothing) {
  int checked = 0;
  for (const Case& c : cases()) {
    const Claim& cl = claim(c.id);
    if (!cl.needs_free_threaded_cpython) continue;
    for (const std::vector<Row>* rows : {&c.holds, &c.fails, &c.open}) {
      std::vector<Row> model_only;
      for (const Row& r : *rows)
        if (!(r.cols.count("implementation") && r.cols.at("implementation") == "cpython")) model_only.push_back(r);
      ASSERT_LT(model_only.size(), rows->size()) << c.id << ": its fixture has free-threaded rows to drop";
      ClaimOutcome o;
      for (const ClaimRow& r : evaluate_claims(build(model_only)))  // the report's path, noise floors and all
        if (r.claim->id == c.id) o = r.outcome;
      EXPECT_EQ(o.verdict, Verdict::NotMeasured) << c.id << ": " << o.measured;
      EXPECT_NE(o.measured.find(" ["), std::string::npos) << c.id << " shows no interval: " << o.measured;
      ++checked;
    }
  }
  EXPECT_GE(checked, 4 * 3);
}

// The noise-floor rule: an A/A pair that moves from 1 widens every ratio interval of its
// config, so an effect inside the floor is inconclusive, and says why.
TEST(Claims, AnEffectInsideTheConfigsNoiseFloorIsInconclusive) {
  const Cols atomic{{"strategy", "atomic"}, {"workers", "1"}, {"immortal", "0"}, {"role", ""}, {"workload", "pow"}};
  const Cols aa{{"strategy", "serial"}, {"workers", "1"}, {"immortal", "0"}, {"role", "aa"}, {"aa_pair", "1"}};
  auto a1 = [&](double aa_median) {
    ResultSet rs = build({{"overhead", atomic + sp(0.8, 0.78, 0.82)}, {"overhead", aa + sp(aa_median, aa_median - 0.02, aa_median + 0.02)}});
    for (const ClaimRow& r : evaluate_claims(rs))
      if (r.claim->id == "A1") return r.outcome;
    throw std::runtime_error("no A1");
  };
  const ClaimOutcome quiet = a1(1.005), biased = a1(1.25);
  EXPECT_EQ(quiet.verdict, Verdict::Holds) << quiet.measured;  // a floor of 0.5% decides nothing here
  EXPECT_EQ(biased.verdict, Verdict::Inconclusive) << biased.measured;
  EXPECT_NE(biased.measured.find("holds by the intervals alone, inconclusive once they carry the A/A noise floor (`overhead` +-25.0%)"),
            std::string::npos)
      << biased.measured;
  EXPECT_DOUBLE_EQ(build({{"overhead", aa + sp(0.9, 0.88, 0.92)}}).noise_floor("overhead"), 0.1);
}
