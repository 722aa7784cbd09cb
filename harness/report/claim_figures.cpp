#include "claim_figures.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "summary.hpp"

namespace gillab {

std::string join_ids(const ClaimIds& ids) {
  std::string s;
  for (const std::string& id : ids) s.append(s.empty() ? "" : ", ").append(id);
  return s;
}

std::map<ResultSet::Read, ClaimIds> claim_figures(const ResultSet& rs, const std::string& only_config) {
  std::map<ResultSet::Read, ClaimIds> figures;
  for (const Claim& c : claims()) {
    if (!only_config.empty() && std::find(c.reads.begin(), c.reads.end(), only_config) == c.reads.end()) continue;
    (void)rs.take_reads();
    try {
      c.evaluate(rs);
    } catch (const LookupError&) {
      (void)rs.take_reads();
      continue;  // a look-up that names too little reads no figure
    }
    for (const ResultSet::Read& r : rs.take_reads())
      if (ClaimIds& ids = figures[r]; ids.empty() || ids.back() != c.id) ids.push_back(c.id);
  }
  return figures;
}

ResultSet::Match row_key(const CsvFile& t, size_t r) {
  ResultSet::Match m;
  for (const std::string& c : summary_key_columns())
    if (t.has(c)) m[c] = t.at(r, c);
  return m;
}

std::string point_words(const ResultSet::Match& m) {
  std::string s;
  for (const char* c : {"implementation", "python", "strategy", "workload", "workers", "immortal", "deferred", "lock_kind",
                        "gil_mode", "switch_interval_us", "role"}) {
    auto it = m.find(c);
    if (it == m.end() || it->second.empty() || (std::string(c) == "immortal" && it->second == "0") ||
        (std::string(c) == "deferred" && it->second == "0"))
      continue;
    s += (s.empty() ? "" : " ") + (std::string(c) == "workers" ? "workers=" + it->second : std::string(c) == "immortal" ? "immortal"
                                   : std::string(c) == "deferred" ? "deferred" : it->second);
  }
  return s;
}

FigurePrecision figure_precision(const ResultSet& rs, const std::map<ResultSet::Read, ClaimIds>& figures) {
  std::vector<std::pair<double, ResultSet::Read>> widths;
  for (const auto& [read, ids] : figures) {
    const Estimate e = rs.get(read.config, row_key(*rs.table(read.config), read.row), read.metric);
    const double w = e.relative_half_width();
    if (!std::isfinite(w) || e.low == e.high) continue;
    widths.push_back({w, read});
  }
  (void)rs.take_reads();
  FigurePrecision p;
  p.figures = widths.size();
  if (widths.empty()) return p;
  for (const auto& w : widths) p.above_10pct += w.first > 0.10;
  std::sort(widths.begin(), widths.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const size_t n = widths.size();
  p.median = n % 2 ? widths[n / 2].first : (widths[n / 2 - 1].first + widths[n / 2].first) / 2;
  p.widest = widths.back().first;
  p.widest_at = widths.back().second;
  return p;
}

}  // namespace gillab
