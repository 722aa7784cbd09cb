#pragma once
// Rounds until sure. Warm-up rounds run every point unrecorded; then each round runs every
// point still short of the target precision, with the matched baselines it is paired with, in
// an order shuffled by the logged seed, so that drift in the machine's speed falls on all
// points alike. Each run's ratio is against its baseline's run in the same round (a pair). After
// `repetitions` rounds, a point whose 95% interval of that ratio is within `precision` of its
// median stops; the rounds end when every point has, at `max_repetitions`, or once `budget_s`
// has passed. A canary times the machine at the start of every round.
#include <functional>
#include <string>
#include <vector>

#include "config.hpp"
#include "plan.hpp"
#include "run_result.hpp"

namespace gillab {

struct Record {
  size_t point;  // index in the plan
  int rep;       // the round, from 1
  RunResult result;
  bool delivered = false;  // the run's process sent its measurements (it may still have failed)
  double canary_s = NAN;   // the round's canary
  double speedup = NAN;    // baseline's wall / this wall, same round; NaN when unpaired
  double ideal = NAN;      // the speedup the baseline's task times allow on this point's workers (makespan.hpp)
  int layout_group = -1;
  int build = -1;          // which build measured it, where several did (driver.hpp)   // runs of a point in one group share a layout draw (layout.hpp)
  uint64_t layout_seed = 0;
};

struct RoundsOutcome {
  std::vector<Record> records;
  int rounds = 0;
  bool interrupted = false;
  std::string stopped_because;
  std::vector<double> precision;  // per point: relative half-width of its ratio's interval
};

// Runs one point once: false when interrupted. `warm` runs are not recorded.
using RunOnce = std::function<bool(size_t point, int rep, bool warm, Record& out)>;
// Told before each round how many runs it holds and how long they should take.
using RoundStart = std::function<void(int round, size_t runs)>;

RoundsOutcome run_rounds(const Plan& plan, const Config& cfg, const RunOnce& run, const RoundStart& on_round);

// Fills each record's speedup from the baseline's record of the same round.
void pair_with_baselines(const Plan& plan, std::vector<Record>& records);

// Relative half-width of the 95% interval of each point's paired ratio (NaN: fewer than two);
// plain serial points, their own baselines, count as exact (0).
std::vector<double> ratio_precision(const Plan& plan, const std::vector<Record>& records, uint64_t seed, int resamples);

}  // namespace gillab
