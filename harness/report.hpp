#pragma once
// results/REPORT.md: the provenance, one table row per claim of the essay (and what CPython
// did later) with the measured figure, the published anchor beside it, and a verdict, then the
// figures. Built from the summaries of the results in the directory, nothing else.
#include <string>

namespace gillab {

std::string build_report(const std::string& results_dir, const std::string& figures_dir);
// Writes results_dir/REPORT.md atomically (after refreshing every summary); returns its path.
std::string write_report(const std::string& results_dir, const std::string& figures_dir);

}  // namespace gillab
