#pragma once
// Gunther's Universal Scalability Law, S(n) = a n / (1 + sigma (n - 1) + kappa n (n - 1)):
// sigma the contention (serialised fraction), kappa the coherency cost (pairwise cross-talk).
// Fitted by least squares to the median speedup at each worker count within the cores, and
// only where there are at least 4 such counts (two points fit any two-parameter curve: a fit
// would claim what was not measured); 95% intervals of sigma and kappa by the percentile
// bootstrap, resampling each count's runs. Never a parameter outside its range: sigma in [0, 1],
// kappa >= 0, unlike a free Amdahl fit that printed serial fractions of 3.91 and -0.01.
#include <map>
#include <string>
#include <vector>

#include "bootstrap.hpp"

namespace gillab {

struct UslFit {
  double a = NAN;
  Estimate sigma, kappa;  // estimate from the medians, interval from the bootstrap
  std::string note;       // why there is no fit ("" when there is one)
};

constexpr int kUslMinCounts = 4;

// runs: worker count -> the speedups of its runs. Counts above `cores` are left out.
UslFit fit_usl(const std::map<int, std::vector<double>>& runs, int cores, const BootstrapParams& boot);

// The least-squares fit to (n, speedup) points: {a, sigma, kappa}.
struct UslParams {
  double a, sigma, kappa;
};
UslParams fit_usl_points(const std::vector<std::pair<double, double>>& points);

}  // namespace gillab
