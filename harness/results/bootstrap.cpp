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

// The resampled statistics' central `confidence` interval, into out (stats sorted once: the
// rounds' stopping rule bootstraps every point after every round).
void percentile_interval(std::vector<double>& stats, double confidence, Estimate& out) {
  std::sort(stats.begin(), stats.end());
  const double tail = (1 - confidence) / 2;
  out.low = quantile_of_sorted(stats, tail);
  out.high = quantile_of_sorted(stats, 1 - tail);
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
  percentile_interval(stats, p.confidence, out);
  return out;
}

uint64_t stream_seed(uint64_t seed, const std::string& name) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
  SplitMix64 mix{seed ^ h};
  return mix.next();
}

}  // namespace gillab

namespace gillab {

Estimate bootstrap_median_grouped(const std::vector<std::vector<double>>& groups, const BootstrapParams& p) {
  std::vector<std::vector<double>> g;
  std::vector<double> all;
  for (const auto& x : groups)
    if (!x.empty()) {
      g.push_back(x);
      all.insert(all.end(), x.begin(), x.end());
    }
  const bool singletons = std::all_of(g.begin(), g.end(), [](const auto& x) { return x.size() == 1; });
  if (singletons || g.size() < 2) return bootstrap_median(all, p);
  Estimate out;
  out.n = static_cast<int>(all.size());
  out.estimate = median_of(all);
  SplitMix64 rng{p.seed};
  std::vector<double> stats(static_cast<size_t>(p.resamples)), sample;
  for (double& s : stats) {
    sample.clear();
    for (size_t i = 0; i < g.size(); ++i) {
      const std::vector<double>& chosen = g[rng.below(g.size())];
      for (size_t j = 0; j < chosen.size(); ++j) sample.push_back(chosen[rng.below(chosen.size())]);
    }
    s = median_inplace(sample);
  }
  percentile_interval(stats, p.confidence, out);
  return out;
}

double between_group_share(const std::vector<std::vector<double>>& groups) {
  double n = 0, sum = 0, sum_n2 = 0;
  int k = 0;
  bool any_pair = false;
  for (const auto& x : groups) {
    if (x.empty()) continue;
    ++k;
    n += static_cast<double>(x.size());
    sum_n2 += static_cast<double>(x.size() * x.size());
    for (double v : x) sum += v;
    any_pair = any_pair || x.size() >= 2;
  }
  if (k < 2 || !any_pair || n <= k) return NAN;
  const double grand = sum / n;
  double ss_between = 0, ss_within = 0;
  for (const auto& x : groups) {
    if (x.empty()) continue;
    double m = 0;
    for (double v : x) m += v;
    m /= static_cast<double>(x.size());
    ss_between += static_cast<double>(x.size()) * (m - grand) * (m - grand);
    for (double v : x) ss_within += (v - m) * (v - m);
  }
  const double ms_between = ss_between / (k - 1), ms_within = ss_within / (n - k);
  const double n0 = (n - sum_n2 / n) / (k - 1);  // the mean group size, for unequal groups
  const double between = std::max(0.0, (ms_between - ms_within) / n0);
  return between + ms_within > 0 ? between / (between + ms_within) : NAN;
}

}  // namespace gillab
