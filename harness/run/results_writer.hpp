#pragma once
// Writing one run of a config: the tidy CSV (one row per run, with its paired ratio), the
// timeline and CAS-histogram CSVs, the manifest and the summary, staged and committed as one
// set (atomic_file.hpp).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config.hpp"
#include "plan.hpp"
#include "rounds.hpp"

namespace gillab {

struct OutputPaths {
  std::string csv, json, timeline, cas_hist;
};

// Where a config's results go (`output`, or results/<machine>/<name>.csv; --out replaces the directory).
// Throws ConfigError when the place cannot be written.
OutputPaths output_paths(const Config& cfg, const std::string& out_dir, const std::string& machine);

struct WriteInput {
  const Config& cfg;
  const Plan& plan;
  const RoundsOutcome& outcome;
  int capacity_workers;       // cores (or PUs) the config's pinning uses
  nlohmann::json manifest;    // provenance, machine, capacity, statistics: completed here
};

// The tidy CSV's text: one row per run, by round, in the plan's order.
std::string results_csv(const WriteInput& in);

// The CSV's columns, in order.
const std::vector<std::string>& result_columns();

// Returns the number of failed runs. Prints the summary table unless quiet.
int write_results(const OutputPaths& paths, WriteInput in, bool quiet);

}  // namespace gillab
