#include "rounds.hpp"

#include <chrono>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "bootstrap.hpp"
#include "machine_capacity.hpp"
#include "makespan.hpp"
#include "random.hpp"

namespace gillab {

void pair_with_baselines(const Plan& plan, std::vector<Record>& records) {
  std::map<std::pair<size_t, int>, const RunResult*> ok_run;  // (point, round) -> an ok run
  for (const Record& r : records)
    if (r.result.ok) ok_run[{r.point, r.rep}] = &r.result;
  for (Record& r : records) {
    r.speedup = r.ideal = r.scaling = NAN;
    if (!r.result.ok) continue;
    if (auto one = ok_run.find({plan.points[r.point].one_worker, r.rep}); one != ok_run.end())
      r.scaling = one->second->wall_s / r.result.wall_s;
    auto it = ok_run.find({plan.points[r.point].baseline, r.rep});
    if (it == ok_run.end()) continue;
    r.speedup = it->second->wall_s / r.result.wall_s;
    r.ideal = ideal_speedup(it->second->task_s, plan.points[r.point].workers);
  }
}

std::vector<double> ratio_precision(const Plan& plan, const std::vector<Record>& records, uint64_t seed, int resamples) {
  std::vector<std::vector<double>> ratios(plan.points.size());
  for (const Record& r : records)
    if (std::isfinite(r.speedup)) ratios[r.point].push_back(r.speedup);
  std::vector<double> out(plan.points.size(), NAN);
  for (size_t i = 0; i < plan.points.size(); ++i) {
    if (plan.points[i].baseline == i) {  // its own baseline: 1 by construction
      out[i] = 0;
      continue;
    }
    // Fewer than five pairs back no interval worth stopping on: a bootstrap of two or three
    // values spans little more than their range.
    if (ratios[i].size() < 5) continue;
    Estimate e = bootstrap_median(ratios[i], BootstrapParams{stream_seed(seed, plan.points[i].label()), resamples, 0.95});
    out[i] = e.relative_half_width();
  }
  return out;
}

namespace {

// p and the baselines it pairs with, down to plain serial (serial immortal pairs with plain
// serial, a free-threaded build's serial with the GIL build's).
void with_baselines(const Plan& plan, size_t p, std::set<size_t>& want) {
  for (;; p = plan.points[p].baseline) {
    want.insert(p);
    if (plan.points[p].baseline == p) return;
  }
}

// The points a round runs: every one in the minimum rounds; then those not yet precise enough,
// claim points first (`first`; the rest only when no claim point is short), each with the
// baselines it pairs with.
std::vector<size_t> active_points(const Plan& plan, const std::vector<double>& precision, double target, bool all,
                                  const std::vector<bool>& first) {
  std::set<size_t> want;
  for (int pass = all || first.empty() ? 1 : 0; pass < 2 && want.empty(); ++pass)
    for (size_t i = 0; i < plan.points.size(); ++i) {
      if (pass == 0 && !first[i]) continue;
      if (!all && std::isfinite(precision[i]) && precision[i] <= target) continue;
      if (!all && plan.points[i].baseline == i) continue;  // runs only as some point's baseline
      with_baselines(plan, i, want);
      if (const size_t one = plan.points[i].one_worker; one < plan.points.size()) with_baselines(plan, one, want);  // its scaling's pair
    }
  return {want.begin(), want.end()};
}

// A point's root: the plain serial point its baseline chain ends at (with_baselines' last).
size_t root_of(const Plan& plan, size_t p) {
  while (plan.points[p].baseline != p) p = plan.points[p].baseline;
  return p;
}

// A round's order as randomised blocks: the points that share a root run one after another, in
// a shuffled order, and the blocks in a shuffled order. A pair's two runs are then seconds
// apart, not a round apart: this VM has phases of tens of seconds that slow CPython's serial
// runs 1.6x and that no canary sees (README, "Phases, and why a round runs in blocks"), and a phase cancels in a ratio only
// if both runs fall in it.
std::vector<size_t> block_order(const Plan& plan, const std::vector<size_t>& points, SplitMix64& rng) {
  std::map<size_t, std::vector<size_t>> by_root;
  for (size_t p : points) by_root[root_of(plan, p)].push_back(p);
  std::vector<std::vector<size_t>> blocks;
  for (auto& [root, members] : by_root) {
    shuffle_with(members, rng);
    blocks.push_back(std::move(members));
  }
  shuffle_with(blocks, rng);
  std::vector<size_t> out;
  for (const auto& b : blocks) out.insert(out.end(), b.begin(), b.end());
  return out;
}

// Rounds the rest of the budget buys at the pace so far, each of `runs` runs.
int rounds_affordable(const Config& cfg, double elapsed_s, size_t runs_so_far, size_t runs) {
  const int cap = std::max(0, cfg.max_repetitions - cfg.repetitions);
  if (runs == 0 || runs_so_far == 0) return 0;
  const double round_s = elapsed_s / static_cast<double>(runs_so_far) * static_cast<double>(runs);
  const double left = cfg.budget_s - elapsed_s;
  // A round that starts before the budget is spent runs to its end.
  return left <= 0 ? 0 : std::min(cap, static_cast<int>(std::ceil(left / round_s)));
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

RoundsOutcome run_rounds(const Plan& plan, const Config& cfg, const RunOnce& run, const RoundStart& on_round,
                         const Priority& priority) {
  RoundsOutcome out;
  SplitMix64 rng{static_cast<uint64_t>(cfg.seed) ^ 0x5eedULL};
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<double> precision(plan.points.size(), NAN);
  size_t runs_done = 0;  // warm-up runs too: they set the pace
  for (int round = 1 - cfg.warmup; round <= cfg.max_repetitions; ++round) {
    const bool warm = round <= 0;
    std::vector<size_t> order = active_points(plan, precision, cfg.precision, round <= cfg.repetitions, priority.claim);
    if (order.empty()) {
      out.stopped_because = "every point within the target precision";
      break;
    }
    if (round > cfg.repetitions && seconds_since(t0) >= cfg.budget_s) {
      out.stopped_because = "budget_s reached";
      break;
    }
    order = block_order(plan, order, rng);
    on_round(round, order.size());
    const double canary = canary_s();
    for (size_t p : order) {
      Record rec;
      rec.canary_s = canary;
      if (!run(p, round, warm, rec)) {
        out.interrupted = true;
        return out;
      }
      ++runs_done;
      if (!warm) out.records.push_back(std::move(rec));
    }
    if (warm) continue;
    out.rounds = round;
    pair_with_baselines(plan, out.records);
    precision = ratio_precision(plan, out.records, static_cast<uint64_t>(cfg.seed), 2000);
    if (round == cfg.repetitions && priority.after_pilot) {
      const size_t next = active_points(plan, precision, cfg.precision, false, priority.claim).size();
      priority.after_pilot(out.records, rounds_affordable(cfg, seconds_since(t0), runs_done, next));
    }
  }
  if (out.stopped_because.empty()) {
    bool all = true;
    for (size_t i = 0; i < precision.size(); ++i) all = all && std::isfinite(precision[i]) && precision[i] <= cfg.precision;
    out.stopped_because = all ? "every point within the target precision" : "max_repetitions reached";
  }
  out.precision = precision;
  return out;
}

}  // namespace gillab
