#include <stdexcept>

#include "runs.hpp"
#include "threads.hpp"

namespace gillab::runs {

RunResult biased(const RunSpec& s) { return threads<rc::Biased>(s, false); }

RunResult biased_unlocked(const RunSpec& s) {
  // Its lists have no lock, so two threads sharing one could corrupt it: the plan never asks.
  if (s.workers != 1) throw std::logic_error("biased-unlocked runs on one thread only");
  return threads<rc::BiasedUnlocked>(s, false);
}

}  // namespace gillab::runs
