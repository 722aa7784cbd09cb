#pragma once
// Claims live with their experiments. An experiment file declares each claim it measures: its
// text, the published anchor, the rule in words, the configs whose results it reads, and an
// evaluation: a pure function from those results' summaries to the measured figures (with
// intervals) and a verdict. `gillab report` goes over the registered claims; nothing in the
// report names a config or a claim.
//
//   GILLAB_CLAIM(c2, {.id = "C2", .text = "...", .anchor = "...", .rule = "...",
//                     .reads = {"gil"}, .evaluate = [](const ResultSet& r) { ... }});
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <stdexcept>
#include <string>
#include <vector>

#include "bootstrap.hpp"
#include "csv_reader.hpp"
#include "verdict.hpp"

namespace gillab {

// A look-up that names too little to pick one point.
struct LookupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An A/A pair of a config: the same machine code by a second route at one worker, against
// plain serial (plan.cpp). Its ratio (serial's time over the route's) should be 1.
struct AaPair {
  std::string route, workload;
  Estimate ratio;
};

// The summaries of a results directory, by config name, with look-ups by point.
//
// The noise floor: every config measures A/A pairs, and the largest distance of their medians
// from 1 is a bias that identical code shows by another route or layout, which no interval of
// one point sees. get() widens each ratio's interval (speedup, efficiency) by its config's
// floor, so a claim whose effect lies inside the floor cannot be decided by it.
class ResultSet {
 public:
  using Match = std::map<std::string, std::string>;

  void add(const std::string& config, CsvFile summary);
  std::vector<AaPair> aa_pairs(const std::string& config) const;
  double noise_floor(const std::string& config) const;  // 0 where the config has no A/A pair
  void apply_noise_floors(bool on) { floors_on_ = on; }
  // Every (config, row, metric) that get() was asked for since the last call: the figures the
  // claims read (make reproduce compares exactly those between two invocations).
  struct Read {
    std::string config;
    size_t row;
    std::string metric;
    bool operator<(const Read& o) const { return std::tie(config, row, metric) < std::tie(o.config, o.row, o.metric); }
  };
  std::set<Read> take_reads() const { return std::exchange(reads_, {}); }
  bool has(const std::string& config) const { return tables_.count(config) > 0; }
  const CsvFile* table(const std::string& config) const;

  // The one row of `config` whose columns equal `match`: nullopt when none (or no such config,
  // or a column the summary lacks); LookupError when several, naming the column that tells
  // them apart. Never the first of several.
  std::optional<size_t> row(const std::string& config, const Match& match) const;
  // metric_median with metric_ci_low and metric_ci_high, n = runs_ok; NaN where not measured.
  Estimate get(const std::string& config, const Match& match, const std::string& metric) const;
  // One column's number; NaN where not measured.
  double value(const std::string& config, const Match& match, const std::string& column) const;

 private:
  std::map<std::string, CsvFile> tables_;
  std::map<std::string, double> floors_;  // each config's noise floor, from its A/A pairs at add()
  bool floors_on_ = true;
  mutable std::set<Read> reads_;
};

struct ClaimOutcome {
  std::string measured;  // the figures, each with its interval
  Verdict verdict = Verdict::NotMeasured;
};

struct Claim {
  std::string id;      // C1..C7 for the essay's; A-numbered for what CPython did later
  std::string text;    // the claim, as a reader would put it
  std::string anchor;  // the published figure beside it, or "—"
  std::string rule;    // the verdict rule in words, thresholds and why
  std::vector<std::string> reads;  // configs whose results it reads: results/<config>.csv
  // Without rows of such a build (make cpython) in `reads`, evaluate_claims makes the verdict
  // "not measured", whatever evaluate says: the claim prints what it has, and judges nothing.
  bool needs_free_threaded_cpython = false;
  std::function<ClaimOutcome(const ResultSet&)> evaluate;
};

bool register_claim(Claim c);
const std::vector<Claim>& claims();  // in id order

// "1.81 [1.74, 1.86]"; "1.81 (1 run: no interval)"; "n/a".
std::string show(const Estimate& e, const char* format = "%.2f");
std::string show_percent(const Estimate& ratio);  // a time ratio as "+19% [+15%, +23%]"

}  // namespace gillab

#define GILLAB_CLAIM(ident, ...) \
  namespace {                    \
  const bool ident##_claim_registered = ::gillab::register_claim(::gillab::Claim __VA_ARGS__); \
  }
