#include "claim_points.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "claim.hpp"
#include "claim_figures.hpp"
#include "results_writer.hpp"
#include "summary.hpp"

namespace gillab {

namespace {

// The config's summary, made in memory from these records, as the claims would read it.
ResultSet results_of(const Plan& plan, const Config& cfg, const std::vector<Record>& records, int rounds) {
  RoundsOutcome o;
  o.records = records;
  o.rounds = rounds;
  int most = 1;
  for (const Point& p : plan.points) most = std::max(most, p.workers);
  const std::string csv = results_csv(WriteInput{cfg, plan, o, most, {}});
  ResultSet rs;
  rs.add(cfg.name, CsvFile::parse(summarize(CsvFile::parse(csv, cfg.name + " (in memory)"), ""), cfg.name + " (summary)"));
  return rs;
}

// Five rounds of made-up runs, every one ok: enough for every figure to have an interval, so
// that no claim stops looking before its last look-up.
std::vector<Record> made_up_runs(const Plan& plan) {
  std::vector<Record> out;
  for (int rep = 1; rep <= 5; ++rep)
    for (size_t i = 0; i < plan.points.size(); ++i) {
      Record r{i, rep, {}, true};
      r.result.ok = true;
      r.result.wall_s = r.result.cpu_s = 0.1 * (1 + 0.01 * rep + 0.001 * static_cast<double>(i));
      out.push_back(std::move(r));
    }
  pair_with_baselines(plan, out);
  return out;
}

bool reads_config(const Claim& c, const std::string& config) {
  return std::find(c.reads.begin(), c.reads.end(), config) != c.reads.end();
}

}  // namespace

std::string rows_are_points(const CsvFile& summary, const Plan& plan) {
  if (summary.size() != plan.points.size())
    return "the summary has " + std::to_string(summary.size()) + " rows for " + std::to_string(plan.points.size()) + " points";
  for (size_t i = 0; i < summary.size(); ++i)
    if (summary.at(i, "strategy") != plan.points[i].strategy->name ||
        summary.at(i, "workers") != std::to_string(plan.points[i].workers))
      return "summary row " + std::to_string(i) + " is not point " + std::to_string(i);
  return "";
}

std::vector<bool> claim_points(const Plan& plan, const Config& cfg, std::string* why) {
  std::vector<bool> out(plan.points.size(), false);
  auto none = [&](const std::string& reason) {
    if (why) *why = reason;
    return out;
  };
  if (why) why->clear();
  std::map<ResultSet::Read, ClaimIds> figures;
  ResultSet rs = results_of(plan, cfg, made_up_runs(plan), 5);
  try {
    figures = claim_figures(rs, cfg.name);
  } catch (const std::exception& e) {
    return none(std::string("a claim cannot read made-up numbers: ") + e.what());
  }
  if (std::string bad = rows_are_points(*rs.table(cfg.name), plan); !bad.empty()) return none(bad);
  for (const auto& [read, ids] : figures)
    if (read.config == cfg.name && read.row < out.size()) out[read.row] = true;
  // Every claim reads the A/A pairs too: their medians set the noise floor that widens its
  // intervals, and a floor from a few rounds is mostly those rounds' noise.
  if (!figures.empty())
    for (size_t i = 0; i < out.size(); ++i) out[i] = out[i] || plan.points[i].aa_pair;
  return out;
}

std::vector<std::string> precision_forecast(const Plan& plan, const Config& cfg, const std::vector<Record>& records,
                                            int rounds, int more_rounds) {
  std::vector<std::string> lines;
  ResultSet rs = results_of(plan, cfg, records, rounds);
  rs.apply_noise_floors(false);  // the sampling part, which more rounds narrow
  const double floor = rs.noise_floor(cfg.name);
  const double shrink = std::sqrt(static_cast<double>(rounds) / static_cast<double>(rounds + std::max(0, more_rounds)));
  std::map<std::string, std::map<ResultSet::Read, ClaimIds>> by_claim;
  try {
    for (const auto& [read, ids] : claim_figures(rs, cfg.name))
      for (const std::string& id : ids) by_claim[id][read] = ids;
  } catch (const std::exception& e) {
    return {std::string("no forecast: ") + e.what()};
  }
  for (const Claim& c : claims()) {
    if (!reads_config(c, cfg.name)) continue;
    const std::map<ResultSet::Read, ClaimIds>& mine = by_claim[c.id];
    const FigurePrecision p = figure_precision(rs, mine);
    char buf[256];
    if (p.figures == 0) {
      std::snprintf(buf, sizeof buf, "%s: no figure with an interval yet", c.id.c_str());
    } else {
      std::snprintf(buf, sizeof buf, "%s: widest of %zu figures +-%.1f%% after %d rounds; about +-%.1f%% after %d more (A/A floor %.1f%%)",
                    c.id.c_str(), p.figures, p.widest * 100, rounds, p.widest * shrink * 100, more_rounds, floor * 100);
    }
    lines.push_back(buf);
  }
  return lines;
}

}  // namespace gillab
