#pragma once
// The experiment registry. An experiment is a small file in experiments/ that names its claim,
// its strategies, its workload and the metrics it reads, and registers itself:
//
//   GILLAB_EXPERIMENT(gil, {.name = "gil", .claim = "...", .strategies = {"serial", "gil"}, ...});
//
// Adding one touches nothing in the harness.
#include <string>
#include <vector>

namespace gillab {

struct Experiment {
  std::string name;
  std::string claim;                    // what of the essay it measures
  std::vector<std::string> strategies;  // the default; a config's `strategies` replaces it
  std::string workload = "pow";         // the default; a config's `workload` replaces it
  std::vector<std::string> metrics;     // CSV columns its summary shows, beside wall time
};

bool register_experiment(Experiment e);
const std::vector<Experiment>& experiments();
const Experiment* find_experiment(const std::string& name);

}  // namespace gillab

#define GILLAB_EXPERIMENT(ident, ...) \
  namespace {                         \
  const bool ident##_registered = ::gillab::register_experiment(Experiment __VA_ARGS__); \
  }
