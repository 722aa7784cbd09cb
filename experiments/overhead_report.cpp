// What the overhead experiment gives `gillab compare`: each strategy's time on one worker
// against the serial point that matches it, one row per strategy and machine.
#include <string>
#include <vector>

#include "claim.hpp"
#include "report_section.hpp"

using namespace gillab;

namespace {
std::vector<CompareItem> one_thread_times(const ResultSet& rs) {
  std::vector<CompareItem> out;
  for (const char* s : {"gil", "refcount-lock", "atomic", "cas", "biased"}) {
    ResultSet::Match one{{"strategy", s}, {"workers", "1"}, {"immortal", "0"}, {"implementation", "gillab"}, {"workload", "pow"}};
    if (std::string(s) == "refcount-lock") one["lock_kind"] = "mutex";
    const Estimate t = rs.has("overhead") ? rs.get("overhead", one, "speedup") : Estimate{};
    out.push_back({"one thread", s, "x serial time", inverse(t)});
  }
  return out;
}
}  // namespace

GILLAB_COMPARE_GROUP(one_thread, {.name = "one thread", .order = 20, .items = one_thread_times,
                                  .note = "One thread: each strategy's time on one worker against the serial point that "
                                          "matches it (`configs/overhead.yaml`, immortal off)."});
