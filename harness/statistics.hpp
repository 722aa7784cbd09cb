#pragma once
// Summary statistics of repeated measurements. The CSV keeps every repetition; these are for
// the printed summary and the report.
#include <algorithm>
#include <cmath>
#include <vector>

namespace gillab {

struct Summary {
  int n = 0;
  double median = NAN, min = NAN, max = NAN, mean = NAN;
  double cv = NAN;  // sample standard deviation / mean
};

inline double median_of(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

inline Summary summarize_values(const std::vector<double>& v) {
  Summary s;
  s.n = static_cast<int>(v.size());
  if (v.empty()) return s;
  s.median = median_of(v);
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / static_cast<double>(v.size());
  if (v.size() > 1) {
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.cv = std::sqrt(ss / static_cast<double>(v.size() - 1)) / s.mean;
  } else {
    s.cv = 0;
  }
  return s;
}

}  // namespace gillab
