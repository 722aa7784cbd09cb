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

// The same interval when the values come in groups that share a source of variance (runs that
// shared one layout draw, or one invocation): the hierarchical bootstrap of Kalibera & Jones
// (ISMM 2013; libkalibera), which resamples the groups with replacement, then the values
// within each chosen group, so that the interval carries the variance between groups as well
// as within them. With one value a group it is bootstrap_median.
Estimate bootstrap_median_grouped(const std::vector<std::vector<double>>& groups, const BootstrapParams& p);

// The share of the variance that lies between groups (one-way random effects, ANOVA
// estimator: s2_between = (MS_between - MS_within) / n0, clipped at 0). NaN where it cannot be
// told: fewer than two groups, or no group of two or more values.
double between_group_share(const std::vector<std::vector<double>>& groups);

// A stream seed for one point: the run's seed mixed with the point's name, so that points do
// not share resamples and adding a point changes no other point's interval.
uint64_t stream_seed(uint64_t seed, const std::string& name);

}  // namespace gillab
