#pragma once
// The summary of a results CSV: one row per point (the columns that tell runs apart) with the
// median, quartiles, min and max of its repetitions, a 95% bootstrap interval of the median of
// every metric a claim uses (bootstrap.hpp), and warnings: CV >= 10%, outliers by Tukey's
// fences, runs under 50 ms, 5 runs or fewer (too few for a 95% interval of a median), slowed
// rounds, a speedup above the machine's capacity. A pure
// function of the raw CSV and the manifest beside it (machine, date, capacity, bootstrap seed),
// so that plots and the report can be remade from committed results alone: `gillab summarize results/x.csv` writes results/summary-x.csv.
#include <string>
#include <vector>

#include "csv_reader.hpp"

namespace gillab {

// The columns that tell one point from another (those the raw CSV has).
const std::vector<std::string>& summary_key_columns();

// The summary CSV's text. manifest_json_text may be empty (no machine or date then); a broken
// one is an InputError naming manifest_name.
std::string summarize(const CsvFile& raw, const std::string& manifest_json_text,
                      const std::string& manifest_name = "the manifest");

// results/x.csv's summary, derived in memory from it and the manifest beside it (checked to be
// the set they were written as). Writes nothing.
std::string summary_of(const std::string& csv_path);
// results/x.csv -> results/summary-x.csv (written atomically). Returns the path written.
std::string write_summary(const std::string& csv_path);
std::string summary_path_for(const std::string& csv_path);

}  // namespace gillab
