#pragma once
// The summary of a results CSV: one row per point (the columns that tell runs apart) with the
// median, quartiles, min and max of its repetitions. A pure function of the raw CSV (and the
// manifest beside it, for the machine and date), so that plots and the report can be remade
// from committed results alone: `gillab summarize results/x.csv` writes results/summary-x.csv.
#include <string>

#include "csv_reader.hpp"

namespace gillab {

// The summary CSV's text. manifest_json_text may be empty (no machine or date then).
std::string summarize(const CsvFile& raw, const std::string& manifest_json_text);

// results/x.csv -> results/summary-x.csv (written atomically). Returns the path written.
std::string write_summary(const std::string& csv_path);
std::string summary_path_for(const std::string& csv_path);

}  // namespace gillab
