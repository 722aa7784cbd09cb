#pragma once
// Summary statistics of repeated measurements. The CSV keeps every repetition; these are for
// the printed summary, the summary CSV and the report. A statistic that one value cannot back
// (a CV, an interval) is NaN, which the CSV writes as blank: blank beats a false zero.
#include <algorithm>
#include <cmath>
#include <vector>

namespace gillab {

struct Summary {
  int n = 0;
  double median = NAN, min = NAN, max = NAN, mean = NAN;
  double cv = NAN;  // sample standard deviation / mean; NaN below two values
};

// The q-quantile of v, already sorted: linear interpolation between order statistics (type 7,
// as numpy and R's default).
inline double quantile_of_sorted(const std::vector<double>& v, double q) {
  if (v.empty()) return NAN;
  double pos = q * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

inline double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return quantile_of_sorted(v, q);
}

inline double median_of(std::vector<double> v) { return quantile(std::move(v), 0.5); }

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
  if (v.size() > 1 && s.mean != 0) {
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.cv = std::sqrt(ss / static_cast<double>(v.size() - 1)) / std::fabs(s.mean);
  }
  return s;
}

// Values outside Tukey's fences (1.5 IQR beyond the quartiles): counted, never dropped.
inline int tukey_outliers(const std::vector<double>& v) {
  if (v.size() < 4) return 0;
  const double q1 = quantile(v, 0.25), q3 = quantile(v, 0.75), f = 1.5 * (q3 - q1);
  return static_cast<int>(std::count_if(v.begin(), v.end(), [&](double x) { return x < q1 - f || x > q3 + f; }));
}

}  // namespace gillab
