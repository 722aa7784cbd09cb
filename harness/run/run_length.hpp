#pragma once
// Run-length calibration: pyperf sizes each value to about 100 ms by calibrating its loops;
// here one number, `blocks`, sizes every run of a config, so calibration picks the blocks at
// which the config's first workload, run serially on the model (all `tasks` in a row), lasts
// about `run_s`. Every point of the config then does that same work, so ratios stay like for like.
#include <nlohmann/json.hpp>
#include <string>

#include "config.hpp"

namespace gillab {

struct RunLength {
  Config cfg;            // with workload.blocks calibrated (as given where run_s is 0)
  nlohmann::json record; // the manifest's "calibration": run_s, blocks_given, pilot_blocks, pilot_s, blocks; null if off
  std::string line;      // what the run says of it on stderr; empty if off
};

// Pilots grow from 8 blocks, doubling until one lasts at least min(20 ms, run_s / 4), so the
// scale is read off a run long enough to average pow's unequal blocks; the answer is clamped to
// the key's range. Costs well under a second of the model's time for any run_s.
RunLength calibrate_run_length(const Config& cfg);

}  // namespace gillab
