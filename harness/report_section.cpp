#include "report_section.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <tuple>

namespace gillab {

namespace {
std::vector<ReportSection>& registry() {
  static std::vector<ReportSection> all;
  return all;
}
}  // namespace

bool register_report_section(ReportSection s) {
  auto& all = registry();
  for (const ReportSection& x : all)
    if (x.name == s.name) throw std::logic_error("report section registered twice: " + s.name);
  auto before = [](const ReportSection& a, const ReportSection& b) { return std::tie(a.order, a.name) < std::tie(b.order, b.name); };
  all.insert(std::upper_bound(all.begin(), all.end(), s, before), std::move(s));
  return true;
}

const std::vector<ReportSection>& report_sections() { return registry(); }

namespace {
std::vector<CompareGroup>& groups() {
  static std::vector<CompareGroup> all;
  return all;
}
}  // namespace

bool register_compare_group(CompareGroup g) {
  auto& all = groups();
  for (const CompareGroup& x : all)
    if (x.name == g.name) throw std::logic_error("compare group registered twice: " + g.name);
  auto before = [](const CompareGroup& a, const CompareGroup& b) { return std::tie(a.order, a.name) < std::tie(b.order, b.name); };
  all.insert(std::upper_bound(all.begin(), all.end(), g, before), std::move(g));
  return true;
}

const std::vector<CompareGroup>& compare_groups() { return groups(); }

std::string fmt_number(const char* format, double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace gillab
