#pragma once
// `gillab run`: a config becomes measured runs, each in an isolated child under a watchdog,
// interleaved across strategies, checked against the reference answers, and written as tidy
// CSV with its manifest.
#include <string>

#include "config.hpp"

namespace gillab {

struct RunOptions {
  std::string out_dir;  // replaces the directory of the config's `output`
  bool quiet = false;   // no progress lines
  bool dry_run = false; // print the plan, the pinning and the estimate, run nothing
  std::string topology; // an hwloc synthetic description to plan for instead of this machine (dry run)
  // In a suite (gillab run A B C): "2/3", and the estimated seconds of the configs after this
  // one, so that the progress line's ETA is the whole suite's.
  std::string suite_label;
  double suite_after_s = 0;
  // The gillab binary, which measures a run in a fresh process (`__measure`) where the layout
  // draws `exec`; "" in a program that is not gillab (the tests), whose runs are forked.
  std::string measure_exe;
  // More builds of gillab to measure with (`--build-with`, make code-layout's aligned builds):
  // round r's runs all use build r mod K, so each pair shares a build, and the summary's
  // intervals resample builds, then runs (the build level of Kalibera & Jones).
  std::vector<std::string> measure_builds;
};

// The most a config should take on this machine (its plan, one short calibration run, the
// budget): for a suite's ETA. Throws ConfigError as run_config would.
double estimate_config_s(const Config& cfg, const RunOptions& opt);

// Exit code: 0 all runs ok, 1 a run failed or gave a wrong answer (results still written),
// 130 interrupted (nothing written). Throws ConfigError for bad input before anything runs.
int run_config(const Config& cfg, const RunOptions& opt);

// `gillab __measure SPEC_JSON`: one run in this fresh process, its result as JSON on stdout.
int measure_main(const std::string& spec_json);

}  // namespace gillab
