#include "experiment.hpp"

#include <stdexcept>

namespace gillab {

namespace {
std::vector<Experiment>& registry() {
  static std::vector<Experiment> all;
  return all;
}
}  // namespace

bool register_experiment(Experiment e) {
  for (const Experiment& x : registry())
    if (x.name == e.name) throw std::logic_error("experiment registered twice: " + e.name);
  registry().push_back(std::move(e));
  return true;
}

const std::vector<Experiment>& experiments() { return registry(); }

const Experiment* find_experiment(const std::string& name) {
  for (const Experiment& e : registry())
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace gillab
