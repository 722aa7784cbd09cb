#include "report_section.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <tuple>

namespace gillab {

namespace {

// Both registries: unique names, kept in (order, name) order as they register.
template <class T>
bool insert_ordered(std::vector<T>& all, T x, const char* what) {
  for (const T& y : all)
    if (y.name == x.name) throw std::logic_error(std::string(what) + " registered twice: " + x.name);
  auto before = [](const T& a, const T& b) { return std::tie(a.order, a.name) < std::tie(b.order, b.name); };
  all.insert(std::upper_bound(all.begin(), all.end(), x, before), std::move(x));
  return true;
}

std::vector<ReportSection>& sections() {
  static std::vector<ReportSection> all;
  return all;
}

std::vector<CompareGroup>& groups() {
  static std::vector<CompareGroup> all;
  return all;
}

}  // namespace

bool register_report_section(ReportSection s) { return insert_ordered(sections(), std::move(s), "report section"); }
const std::vector<ReportSection>& report_sections() { return sections(); }

bool register_compare_group(CompareGroup g) { return insert_ordered(groups(), std::move(g), "compare group"); }
const std::vector<CompareGroup>& compare_groups() { return groups(); }

std::string fmt_number(const char* format, double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace gillab
