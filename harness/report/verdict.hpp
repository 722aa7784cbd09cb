#pragma once
// Verdicts that can fail: a claim holds, does not hold, or the measurement cannot tell, decided
// by a 95% interval against the claim's threshold, never by a bare median. An interval that
// straddles the threshold is inconclusive; a point measured once has no interval and so
// decides nothing. The combinators follow Kleene's three-valued logic.
#include <algorithm>
#include <initializer_list>
#include <span>
#include <string>

#include "bootstrap.hpp"

namespace gillab {

enum class Verdict { Holds, DoesNotHold, Inconclusive, NotMeasured };

inline const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Holds: return "holds";
    case Verdict::DoesNotHold: return "does not hold";
    case Verdict::Inconclusive: return "inconclusive";
    default: return "not measured";
  }
}

inline bool measured(const Estimate& e) { return std::isfinite(e.estimate); }

// The whole interval at or above the threshold: holds; wholly below: does not hold.
inline Verdict at_least(const Estimate& e, double threshold) {
  if (!measured(e)) return Verdict::NotMeasured;
  if (!std::isfinite(e.low) || !std::isfinite(e.high)) return Verdict::Inconclusive;
  if (e.low >= threshold) return Verdict::Holds;
  if (e.high < threshold) return Verdict::DoesNotHold;
  return Verdict::Inconclusive;
}

inline Verdict at_most(const Estimate& e, double threshold) {
  if (!measured(e)) return Verdict::NotMeasured;
  if (!std::isfinite(e.low) || !std::isfinite(e.high)) return Verdict::Inconclusive;
  if (e.high <= threshold) return Verdict::Holds;
  if (e.low > threshold) return Verdict::DoesNotHold;
  return Verdict::Inconclusive;
}

// Every part must hold; one that does not hold sinks the claim; otherwise it is open.
inline Verdict all_of(std::span<const Verdict> parts) {
  bool open = false;
  for (Verdict v : parts) {
    if (v == Verdict::DoesNotHold) return Verdict::DoesNotHold;
    if (v == Verdict::NotMeasured) return Verdict::NotMeasured;
    open = open || v == Verdict::Inconclusive;
  }
  return open ? Verdict::Inconclusive : Verdict::Holds;
}
inline Verdict all_of(std::initializer_list<Verdict> parts) { return all_of(std::span<const Verdict>(parts.begin(), parts.size())); }

// Some part must hold; if every part does not hold, neither does the claim.
inline Verdict any_of(std::initializer_list<Verdict> parts) {
  bool open = false, measured_any = false;
  for (Verdict v : parts) {
    if (v == Verdict::Holds) return Verdict::Holds;
    measured_any = measured_any || v != Verdict::NotMeasured;
    open = open || v == Verdict::Inconclusive;
  }
  if (!measured_any) return Verdict::NotMeasured;
  return open ? Verdict::Inconclusive : Verdict::DoesNotHold;
}

// a wholly below b: holds; wholly above: does not hold; overlapping: inconclusive.
inline Verdict below(const Estimate& a, const Estimate& b) {
  if (!measured(a) || !measured(b)) return Verdict::NotMeasured;
  if (!std::isfinite(a.high) || !std::isfinite(b.low)) return Verdict::Inconclusive;
  if (a.high < b.low) return Verdict::Holds;
  if (a.low > b.high) return Verdict::DoesNotHold;
  return Verdict::Inconclusive;
}

// The whole interval within [lo, hi]: holds; wholly outside: does not hold.
inline Verdict within(const Estimate& e, double lo, double hi) {
  if (!measured(e)) return Verdict::NotMeasured;
  if (!std::isfinite(e.low) || !std::isfinite(e.high)) return Verdict::Inconclusive;
  if (e.low >= lo && e.high <= hi) return Verdict::Holds;
  if (e.high < lo || e.low > hi) return Verdict::DoesNotHold;
  return Verdict::Inconclusive;
}

// A claim whose meaning needs a condition (the machine ran two workers at once) before its
// test says anything: without the condition, nothing is decided.
inline Verdict given(Verdict condition, Verdict test) {
  if (condition == Verdict::NotMeasured || test == Verdict::NotMeasured) return Verdict::NotMeasured;
  return condition == Verdict::Holds ? test : Verdict::Inconclusive;
}

// a / b of two independent estimates. Each side's half-widths on the log scale are added in
// quadrature (MOVER, Donner & Zou 2012: the lower bound from a's lower and b's upper, and so
// on), so two 95% intervals give one of about 95%. Interval arithmetic (a.low / b.high) covered
// 99.3% (Verdict.AQuotientOfIndependentIntervalsCoversAbout95Percent) and grew with every
// factor: a quotient of three was three intervals wide.
// Positively correlated sides (two points of the same rounds) make it conservative.
inline Estimate ratio(const Estimate& a, const Estimate& b) {
  Estimate r;
  r.estimate = a.estimate / b.estimate;
  r.n = std::min(a.n, b.n);
  if (!(a.low > 0 && b.low > 0 && a.estimate > 0 && b.estimate > 0)) {  // no log scale: interval arithmetic
    r.low = a.low / b.high;
    r.high = a.high / b.low;
    return r;
  }
  r.low = r.estimate * std::exp(-std::hypot(std::log(a.estimate / a.low), std::log(b.high / b.estimate)));
  r.high = r.estimate * std::exp(std::hypot(std::log(a.high / a.estimate), std::log(b.estimate / b.low)));
  return r;
}

// 1 / x, for time ratios from speedups: the interval's ends swap.
inline Estimate inverse(const Estimate& e) {
  Estimate r = e;
  r.estimate = 1 / e.estimate;
  r.low = 1 / e.high;
  r.high = 1 / e.low;
  return r;
}

}  // namespace gillab
