#pragma once
// Confidence intervals by the percentile bootstrap (Efron): resample the values with
// replacement, take the statistic of each resample, read the interval off the 2.5% and 97.5%
// quantiles of those statistics. The values are per-round figures (a run's ratio to the
// matched serial run of its own round), so resampling values resamples whole rounds and keeps
// each pair together. Percentile, not BCa: BCa's jackknife acceleration is unstable for the
// median of the 5-30 rounds a point has; the percentile interval is what criterion.rs reports.
//
// Deterministic: the generator is splitmix64 with Lemire's bounded draw, both specified here,
// so one seed gives one interval on every compiler and library.
#include <cstdint>
#include <cmath>
#include <string>
#include <vector>

namespace gillab {

struct Estimate {
  double estimate = NAN;  // the statistic (median) of the values themselves
  double low = NAN, high = NAN;  // NaN below two values: one run backs no interval
  int n = 0;
  // Half the interval's width relative to the estimate: the precision reached.
  double relative_half_width() const;
};

struct BootstrapParams {
  uint64_t seed = 1;
  int resamples = 10000;
  double confidence = 0.95;
};

// Percentile bootstrap interval of the median.
Estimate bootstrap_median(const std::vector<double>& values, const BootstrapParams& p);

// A stream seed for one point: the run's seed mixed with the point's name, so that points do
// not share resamples and adding a point changes no other point's interval.
uint64_t stream_seed(uint64_t seed, const std::string& name);

}  // namespace gillab
