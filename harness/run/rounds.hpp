#pragma once
// Rounds until sure. Warm-up rounds run every point unrecorded; then each round runs every
// point still short of the target precision, with the matched baselines it is paired with, in
// randomised blocks: the points that share a plain serial root run one after another, in an
// order shuffled by the logged seed, and the blocks in a shuffled order, so that drift in the
// machine's speed falls on all points alike and a pair's runs are seconds apart. Each run's
// ratio is against its baseline's run in the same round (a pair). After `repetitions` rounds, a point whose 95% interval of that ratio is within `precision` of its
// median stops; the rounds end when every point has, at `max_repetitions`, or once `budget_s`
// has passed. Past the minimum, rounds go first to the points that claims read (and their
// baselines): the rest get rounds only once every claim point is precise enough, so that the
// budget buys the precision the verdicts need. A canary times the machine at the start of
// every round.
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
  double scaling = NAN;    // the same point's wall at one worker / this wall, same round (Point::one_worker)
  double ideal = NAN;      // the speedup the baseline's task times allow on this point's workers (makespan.hpp)
  int layout_group = -1;   // runs of a point in one group share a layout draw (layout.hpp)
  int build = -1;          // which build measured it, where several did (driver.hpp)
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

// Which points come first, and who hears when the minimum rounds are done.
struct Priority {
  std::vector<bool> claim;  // per point: some claim reads it (claim_points.hpp); empty: all alike
  // After round `repetitions`: the records so far, and how many more rounds the budget allows
  // at the pace so far (at most max_repetitions - repetitions).
  std::function<void(const std::vector<Record>& records, int more_rounds)> after_pilot;
};

RoundsOutcome run_rounds(const Plan& plan, const Config& cfg, const RunOnce& run, const RoundStart& on_round,
                         const Priority& priority = {});

// Fills each record's speedup from the baseline's record of the same round, and its scaling
// from its one-worker twin's.
void pair_with_baselines(const Plan& plan, std::vector<Record>& records);

// Relative half-width of the 95% interval of each point's paired ratio (NaN: fewer than five);
// a point that is its own baseline (plain serial) counts as exact (0); serial's A/A copy does not.
std::vector<double> ratio_precision(const Plan& plan, const std::vector<Record>& records, uint64_t seed, int resamples);

}  // namespace gillab
