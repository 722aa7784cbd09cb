#include "reproduce.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "claim.hpp"
#include "claim_figures.hpp"
#include "report.hpp"
#include "summary.hpp"

namespace gillab {

namespace {

std::string fmt3(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

}  // namespace

std::string reproduce_report(const std::string& a_dir, const std::string& b_dir) {
  const LoadedResults a = load_results(a_dir), b = load_results(b_dir);
  const std::map<ResultSet::Read, ClaimIds> figures = claim_figures(a.results);
  ResultSet bare_b = b.results;
  bare_b.apply_noise_floors(false);
  std::ostringstream out;
  out << "| claims | config | point | metric | A: median [95% interval, with its noise floor] | B: median | inside |\n"
         "|---|---|---|---|---|---|---|\n";
  int inside = 0, compared = 0;
  for (const auto& [read, ids] : figures) {
    const CsvFile* t = a.results.table(read.config);
    const ResultSet::Match key = row_key(*t, read.row);
    const Estimate ea = a.results.get(read.config, key, read.metric);
    const Estimate eb = bare_b.get(read.config, key, read.metric);
    if (!std::isfinite(ea.low) || !std::isfinite(ea.high) || ea.low == ea.high) continue;  // no interval, or a baseline's 1
    const bool in = std::isfinite(eb.estimate) && ea.low <= eb.estimate && eb.estimate <= ea.high;
    compared += std::isfinite(eb.estimate);
    inside += in;
    out << "| " << join_ids(ids) << " | " << read.config << " | " << point_words(key) << " | " << read.metric << " | " << fmt3(ea.estimate)
        << " [" << fmt3(ea.low) << ", " << fmt3(ea.high) << "] | " << (std::isfinite(eb.estimate) ? fmt3(eb.estimate) : "not measured")
        << " | " << (!std::isfinite(eb.estimate) ? "" : in ? "yes" : "**no**") << " |\n";
  }
  out << "\ncoverage: " << inside << " of " << compared << " claim figures";
  if (compared) out << " (" << std::lround(100.0 * inside / compared) << "%)";
  out << " of B lie inside A's interval; two honest 95% intervals of equal width: about 83%\n";
  return out.str();
}

std::string code_layout_report(const std::vector<std::string>& dirs) {
  std::vector<LoadedResults> builds;
  for (const std::string& d : dirs) {
    builds.push_back(load_results(d));
    builds.back().results.apply_noise_floors(false);  // the builds' own intervals, side by side
  }
  std::ostringstream out;
  out << "| config | point |";
  for (const std::string& d : dirs) out << " " << d << " |";
  out << " apart |\n|---|---|";
  for (size_t i = 0; i <= dirs.size(); ++i) out << "---|";
  out << "\n";
  double worst = 0;
  int points = 0, moved = 0;
  for (const auto& [config, m] : builds.front().manifests) {
    const CsvFile* t = builds.front().results.table(config);
    if (!t || !t->has("speedup_median")) continue;
    for (size_t r = 0; r < t->size(); ++r) {
      const ResultSet::Match key = row_key(*t, r);
      std::vector<Estimate> e;
      for (const LoadedResults& b : builds) e.push_back(b.results.get(config, key, "speedup"));
      if (!std::isfinite(e[0].low) || e[0].low == e[0].high) continue;  // a baseline: 1 by construction
      double lo = INFINITY, hi = -INFINITY, max_low = -INFINITY, min_high = INFINITY;
      for (const Estimate& x : e) {
        lo = std::min(lo, x.estimate), hi = std::max(hi, x.estimate);
        max_low = std::max(max_low, x.low), min_high = std::min(min_high, x.high);
      }
      if (!std::isfinite(lo) || !std::isfinite(hi)) continue;
      const double apart = hi / lo - 1;
      ++points;
      worst = std::max(worst, apart);
      moved += apart > 0.01 && max_low > min_high;
      out << "| " << config << " | " << point_words(key) << " |";
      for (const Estimate& x : e) out << " " << fmt3(x.estimate) << " [" << fmt3(x.low) << ", " << fmt3(x.high) << "] |";
      out << " " << fmt3(apart * 100) << "%" << (apart > 0.01 && max_low > min_high ? " **beyond the intervals**" : "") << " |\n";
    }
  }
  out << "\n" << points << " ratios over " << dirs.size() << " builds: the medians lie at most " << fmt3(worst * 100)
      << "% apart; " << moved << " move by more than 1% with intervals that do not overlap\n";
  return out.str();
}

}  // namespace gillab
