#pragma once
// Google Benchmark's JSON (its CSV reporter is deprecated) to the suite's tidy CSV, with a
// manifest beside it: results/micro.csv, results/micro.json, results/summary-micro.csv.
#include <string>

namespace gillab {

// Returns the CSV path written. Throws std::runtime_error on a file it cannot read or parse.
std::string convert_micro(const std::string& gbench_json, const std::string& out_dir);

}  // namespace gillab
