// Figure `ftscaling`, after CPython's Tools/ftscalingbench: small loops (a module-level function
// called, a module global read, arithmetic on a constant, an object made per iteration), each
// mechanism's speedup beside CPython's GIL and free-threaded builds on the same loops.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "claim.hpp"
#include "experiment.hpp"
#include "free_threaded_speedup.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(ftscaling, {.name = "ftscaling",
                              .claim = "which mechanism buys how much scaling on ftscalingbench's loops",
                              .strategies = {"serial", "gil", "atomic", "biased", "interpreters", "processes"},
                              .workload = "pyfunction",
                              .metrics = {"speedup", "implementation", "python", "gil_enabled"}});

namespace {

// A loop's free-threaded speedups at 2 workers over the same mechanism on 1, the model's and
// CPython's (free_threaded_speedup.hpp), as claim A10 sets them.
struct Loop {
  std::string name;
  Estimate model, ft;
  double capacity = NAN;
};

Loop measure(const ResultSet& r, const std::string& name) {
  Loop l{name, free_threaded_speedup(r, "ftscaling", true, name), free_threaded_speedup(r, "ftscaling", false, name),
         r.value("ftscaling", free_threaded_point(false, name), "capacity")};
  if (!std::isfinite(l.capacity)) l.capacity = r.value("ftscaling", free_threaded_point(true, name), "capacity");
  return l;
}

// ftscalingbench's own loops (gillab_ files are the suite's) that the model or free-threaded
// CPython ran: without a free-threaded build the model's side is still reported.
std::vector<std::string> verbatim_loops(const ResultSet& r) {
  std::vector<std::string> out;
  const CsvFile* t = r.table("ftscaling");
  for (size_t i = 0; t && i < t->size(); ++i) {
    const std::string& w = t->at(i, "workload");
    const bool ft = t->at(i, "implementation") == "cpython" && t->at(i, "gil_enabled") == "0";
    const bool model = t->at(i, "implementation") == "gillab" && t->at(i, "strategy") == "biased";
    if ((ft || model) && !w.starts_with("gillab_") && std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
  }
  return out;
}

// Scales: at least 0.8 of the capacity (holds), below it (does not), or undecided.
const char* direction(const Estimate& s, double capacity) {
  switch (at_least(s, 0.8 * capacity)) {
    case Verdict::Holds: return "scales";
    case Verdict::DoesNotHold: return "does not scale";
    default: return "undecided";
  }
}

ClaimOutcome agreement(const ResultSet& r) {
  std::vector<Verdict> verdicts;
  std::string text;
  int scale = 0, agree = 0, ft_measured = 0;
  const std::vector<std::string> names = verbatim_loops(r);
  for (const std::string& name : names) {
    const Loop l = measure(r, name);
    const Estimate q = ratio(l.model, l.ft);
    const std::string ft_dir = direction(l.ft, l.capacity), model_dir = direction(l.model, l.capacity);
    scale += ft_dir == "scales";
    agree += ft_dir == model_dir && ft_dir != "undecided";
    ft_measured += measured(l.ft);
    verdicts.push_back(measured(l.ft) && std::isfinite(l.capacity) ? within(q, 0.85, 1.15) : Verdict::NotMeasured);
    text += std::string(text.empty() ? "" : "; ") + name + ": CPython " + show(l.ft) + " (" + ft_dir + "), model " + show(l.model) +
            " (" + model_dir + "), ratio " + show(q);
  }
  if (names.empty()) return ClaimOutcome{"no ftscalingbench loops in `configs/ftscaling.yaml`'s results", Verdict::NotMeasured};
  if (ft_measured == 0)
    return ClaimOutcome{"the model's speedups only (no free-threaded build: `make cpython`): " + text, Verdict::NotMeasured};
  char head[160];
  std::snprintf(head, sizeof head, "%d of %zu loops scale in free-threaded CPython; the model agrees in direction on %d. ", scale,
                names.size(), agree);
  return ClaimOutcome{head + text + " — `configs/ftscaling.yaml`", all_of(verdicts)};
}

}  // namespace

GILLAB_CLAIM(a12, {.id = "A12",
                   .text = "the model's free-threading scales ftscalingbench's loops as free-threaded CPython does",
                   .anchor = "CPython's Tools/ftscalingbench: most loops 9.5-9.9x at 10 threads in 3.14t; some scale "
                             "poorly in 3.13t (mult_constant, load_tuple_const; thread_local_read 2.2x slower)",
                   .rule = "per ftscalingbench loop (the gillab_ files excluded), 2 workers over the same mechanism on 1 "
                           "(the model's biased with immortal and deferred objects; free-threaded CPython's threads over "
                           "its own serial run): the model's speedup within 15% of CPython's (the ratio's interval inside "
                           "[0.85, 1.15]) on every loop; each side's direction (scales: at least 0.8 of the capacity) is "
                           "reported beside it",
                   .reads = {"ftscaling"},
                   .needs_free_threaded_cpython = true,
                   .evaluate = agreement});
