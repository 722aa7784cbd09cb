#pragma once
// A section of REPORT.md that an experiment owns: its tables and their prose, registered from
// experiments/ beside its claims with GILLAB_REPORT_SECTION. The report prints every registered
// section in `order` after the claims and names no experiment, config or strategy itself.
// `render` is a pure function of one machine's loaded results: "" when they lack what it reads.
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "claim.hpp"

namespace gillab {

struct ReportInput {
  const ResultSet& results;                                // every config's summary
  const std::map<std::string, nlohmann::json>& manifests;  // by config
};

struct ReportSection {
  std::string name;
  int order = 0;  // sections print by order, then name
  std::function<std::string(const ReportInput&)> render;
};

bool register_report_section(ReportSection s);
const std::vector<ReportSection>& report_sections();

// Rows of `gillab compare` (MACHINES.md, machines.csv) that an experiment owns: figures each
// machine measured, one row each, beside every claim's verdict. `note` is the sentence under
// the table that says where its figures come from.
struct CompareItem {
  std::string kind, name, unit;  // "instruction", "lock-xadd", "ns"
  Estimate value;
};
struct CompareGroup {
  std::string name;
  int order = 0;
  std::function<std::vector<CompareItem>(const ResultSet&)> items;
  std::string note;
};
bool register_compare_group(CompareGroup g);
const std::vector<CompareGroup>& compare_groups();

// One number by a printf format, or "n/a" where it is not finite: blank beats a false zero.
std::string fmt_number(const char* format, double v);

}  // namespace gillab

#define GILLAB_COMPARE_GROUP(ident, ...) \
  namespace {                            \
  const bool ident##_compare_registered = ::gillab::register_compare_group(::gillab::CompareGroup __VA_ARGS__); \
  }

#define GILLAB_REPORT_SECTION(ident, ...) \
  namespace {                             \
  const bool ident##_section_registered = ::gillab::register_report_section(::gillab::ReportSection __VA_ARGS__); \
  }
