#pragma once
// results/REPORT.md: the provenance (every manifest's commit, checked against HEAD), one table
// row per registered claim (claim.hpp) with the measured figures and their 95% intervals, the
// published anchor and a three-way verdict, the warnings, then the model beside CPython, the
// micro-benchmarks and the figures. Built from the results in the directory, nothing else.
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "claim.hpp"

namespace gillab {

// One machine's results folder: every raw CSV's summary (derived again) and manifest, by config.
struct LoadedResults {
  ResultSet results;
  std::map<std::string, nlohmann::json> manifests;
};
LoadedResults load_results(const std::string& dir);

struct ClaimRow {
  const Claim* claim;
  ClaimOutcome outcome;
  std::set<ResultSet::Read> reads;  // the figures it looked up (claim_figures.hpp)
};
// Every registered claim against these results ("not measured" where its configs are missing),
// each evaluated once.
std::vector<ClaimRow> evaluate_claims(const ResultSet& rs);

// REPORT.md's text, from results loaded once and claims evaluated once.
std::string build_report(const LoadedResults& loaded, const std::vector<ClaimRow>& rows, const std::string& results_dir,
                         const std::string& figures_dir);
// Writes results_dir/REPORT.md, claims.csv and claims.tex (and, when `readme` is given, the
// claims table between its markers) as one set; returns the report's path.
std::string write_report(const std::string& results_dir, const std::string& figures_dir, const std::string& readme = "");

// The claims table for the README, naming the machine.
std::string readme_claims_table(const std::vector<ClaimRow>& rows, const std::string& machine);
// text with what lies between `<!-- gillab report: claims begin -->` and `... end -->` replaced.
std::string replace_between_markers(const std::string& text, const std::string& inner, const std::string& name);
std::string read_text(const std::string& path);

}  // namespace gillab
