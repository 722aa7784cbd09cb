#include "bootstrap.hpp"

#include <algorithm>
#include <cmath>

#include "random.hpp"
#include "statistics.hpp"

namespace gillab {

namespace {

// Median of v, which it reorders.
double median_inplace(std::vector<double>& v) {
  const size_t m = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(m), v.end());
  if (v.size() % 2) return v[m];
  const double hi = v[m];
  return (*std::max_element(v.begin(), v.begin() + static_cast<long>(m)) + hi) / 2;
}

}  // namespace

double Estimate::relative_half_width() const {
  if (!std::isfinite(low) || !std::isfinite(high) || estimate == 0 || !std::isfinite(estimate)) return NAN;
  return (high - low) / 2 / std::fabs(estimate);
}

Estimate bootstrap_median(const std::vector<double>& values, const BootstrapParams& p) {
  Estimate out;
  out.n = static_cast<int>(values.size());
  if (values.empty()) return out;
  out.estimate = median_of(values);
  if (values.size() < 2) return out;
  SplitMix64 rng{p.seed};
  std::vector<double> stats(static_cast<size_t>(p.resamples)), sample(values.size());
  for (double& s : stats) {
    for (double& x : sample) x = values[rng.below(values.size())];
    s = median_inplace(sample);
  }
  const double tail = (1 - p.confidence) / 2;
  out.low = quantile(stats, tail);
  out.high = quantile(stats, 1 - tail);
  return out;
}

uint64_t stream_seed(uint64_t seed, const std::string& name) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
  SplitMix64 mix{seed ^ h};
  return mix.next();
}

}  // namespace gillab
