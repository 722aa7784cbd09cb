#pragma once
// The figures the claims read: every (config, summary row, metric) some registered claim looks
// up when it is evaluated, found by evaluating the claims and noting their reads
// (ResultSet::take_reads). make reproduce compares exactly these between invocations, the
// report states how precise they came out, and a run gives its rounds first to the points
// behind them (claim_points.hpp).
#include <map>
#include <string>

#include "claim.hpp"

namespace gillab {

// The ids of the claims that read one figure, in registry order.
using ClaimIds = std::vector<std::string>;
std::string join_ids(const ClaimIds& ids);  // "C2, A1"

// Each figure with the ids of the claims that read it. Claims whose configs the set lacks read
// nothing. `only_config`: evaluate only the claims that read that config.
std::map<ResultSet::Read, ClaimIds> claim_figures(const ResultSet& rs, const std::string& only_config = "");

// How precise the claim figures are: the relative half-width of each one's 95% interval (as
// get() gives it, noise floor included), their median and the widest. Figures without an
// interval (a baseline's 1, a single run) are left out.
struct FigurePrecision {
  size_t figures = 0, above_10pct = 0;
  double median = 0, widest = 0;
  ResultSet::Read widest_at{};
};
FigurePrecision figure_precision(const ResultSet& rs, const std::map<ResultSet::Read, ClaimIds>& figures);

// A point's look-up in words: "cpython 3.13.15t threads pow workers=2 immortal".
std::string point_words(const ResultSet::Match& key);

// A summary row's key columns (summary_key_columns()), as a look-up that finds that row again.
ResultSet::Match row_key(const CsvFile& summary, size_t row);

}  // namespace gillab
