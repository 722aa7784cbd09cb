#include "usl.hpp"

#include <algorithm>
#include <cmath>

#include "random.hpp"
#include "statistics.hpp"

namespace gillab {

namespace {

double shape(double n, double sigma, double kappa) { return n / (1 + sigma * (n - 1) + kappa * n * (n - 1)); }

// For fixed sigma and kappa the best a is linear least squares; returns the residual sum.
double sse(const std::vector<std::pair<double, double>>& pts, double sigma, double kappa, double* a_out) {
  double sf = 0, ff = 0;
  for (auto [n, s] : pts) {
    const double f = shape(n, sigma, kappa);
    sf += s * f;
    ff += f * f;
  }
  const double a = ff > 0 ? sf / ff : 0;
  double e = 0;
  for (auto [n, s] : pts) e += (s - a * shape(n, sigma, kappa)) * (s - a * shape(n, sigma, kappa));
  if (a_out) *a_out = a;
  return e;
}

}  // namespace

// A grid over sigma in [0, 1] and kappa in [0, 1] (kappa on a log scale), then a pattern search
// that halves its step around the best point: no starting guess, no step outside the ranges.
UslParams fit_usl_points(const std::vector<std::pair<double, double>>& pts) {
  double best_s = 0, best_k = 0, best = sse(pts, 0, 0, nullptr);
  for (int i = 0; i <= 40; ++i)
    for (int j = 0; j <= 40; ++j) {
      const double s = i / 40.0, k = j == 0 ? 0 : std::pow(10.0, -5 + 5.0 * j / 40);
      if (const double e = sse(pts, s, k, nullptr); e < best) best = e, best_s = s, best_k = k;
    }
  double ds = 0.025, dk = std::max(best_k, 1e-5);
  for (int it = 0; it < 60; ++it) {
    bool moved = false;
    for (auto [s, k] : {std::pair{best_s + ds, best_k}, {best_s - ds, best_k}, {best_s, best_k + dk}, {best_s, best_k - dk}}) {
      s = std::clamp(s, 0.0, 1.0);
      k = std::clamp(k, 0.0, 1.0);
      if (const double e = sse(pts, s, k, nullptr); e < best) best = e, best_s = s, best_k = k, moved = true;
    }
    if (!moved) ds /= 2, dk /= 2;
  }
  double a = 0;
  sse(pts, best_s, best_k, &a);
  return {a, best_s, best_k};
}

UslFit fit_usl(const std::map<int, std::vector<double>>& runs, int cores, const BootstrapParams& boot) {
  UslFit fit;
  std::vector<std::pair<int, std::vector<double>>> within;
  for (const auto& [n, v] : runs)
    if (n <= cores && !v.empty()) within.push_back({n, v});
  if (static_cast<int>(within.size()) < kUslMinCounts) {
    fit.note = std::to_string(within.size()) + " worker count(s) within the " + std::to_string(cores) +
               " cores; the USL needs " + std::to_string(kUslMinCounts);
    return fit;
  }
  std::vector<std::pair<double, double>> medians;
  for (const auto& [n, v] : within) medians.push_back({static_cast<double>(n), quantile(v, 0.5)});
  const UslParams p = fit_usl_points(medians);
  fit.a = p.a;
  fit.sigma.estimate = p.sigma;
  fit.kappa.estimate = p.kappa;
  // Bootstrap: resample each count's runs, refit to the resampled medians.
  SplitMix64 rng{boot.seed};
  const int resamples = std::min(boot.resamples, 1000);  // each resample is a fit
  std::vector<double> sigmas, kappas;
  std::vector<double> draw;
  for (int r = 0; r < resamples; ++r) {
    std::vector<std::pair<double, double>> pts;
    for (const auto& [n, v] : within) {
      draw.clear();
      for (size_t i = 0; i < v.size(); ++i) draw.push_back(v[rng.below(v.size())]);
      pts.push_back({static_cast<double>(n), quantile(draw, 0.5)});
    }
    const UslParams q = fit_usl_points(pts);
    sigmas.push_back(q.sigma);
    kappas.push_back(q.kappa);
  }
  const double tail = (1 - boot.confidence) / 2;
  fit.sigma.low = quantile(sigmas, tail), fit.sigma.high = quantile(sigmas, 1 - tail);
  fit.kappa.low = quantile(kappas, tail), fit.kappa.high = quantile(kappas, 1 - tail);
  fit.sigma.n = fit.kappa.n = static_cast<int>(within.size());
  return fit;
}

}  // namespace gillab
