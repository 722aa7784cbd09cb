// Figure `containers` and claim A10: PEP 703's per-object locks. A list or a dict that two
// threads both write serialises on its lock (and its cache lines) though they never touch each
// other's items; lists and dicts private to each thread scale. In the model
// (interpreter/container_lock.hpp) and in free-threaded CPython, on the same four Python files.
#include <cmath>
#include <cstdio>

#include "claim.hpp"
#include "experiment.hpp"
#include "free_threaded_speedup.hpp"
using namespace gillab;
GILLAB_EXPERIMENT(containers, {.name = "containers",
                               .claim = "A10: a shared list or dict serialises on its lock, private ones scale",
                               .strategies = {"serial", "gil", "atomic", "biased", "processes"},
                               .workload = "gillab_list_private",
                               .metrics = {"speedup", "implementation", "python", "gil_enabled"}});

namespace {

struct Side {
  Estimate shared, priv;
  double cap_shared = NAN, cap_private = NAN;
};

// The shared and the private loop of one kind (list, dict), each 2 workers over the same
// mechanism on 1 (free_threaded_speedup.hpp).
Side side(const ResultSet& r, bool model, const std::string& kind) {
  const std::string shared = "gillab_" + kind + "_shared", priv = "gillab_" + kind + "_private";
  Side s;
  s.shared = free_threaded_speedup(r, "containers", model, shared);
  s.priv = free_threaded_speedup(r, "containers", model, priv);
  s.cap_shared = r.value("containers", free_threaded_point(model, shared), "capacity");
  s.cap_private = r.value("containers", free_threaded_point(model, priv), "capacity");
  return s;
}

Verdict judge(const Side& s) {
  if (!std::isfinite(s.cap_shared) || !std::isfinite(s.cap_private)) return Verdict::NotMeasured;
  return all_of({at_most(s.shared, 0.6 * s.cap_shared), at_least(s.priv, 0.85 * s.cap_private)});
}

std::string said(const std::string& who, const Side& s) {
  char cap[48];
  std::snprintf(cap, sizeof cap, "%.2f", s.cap_private);
  return who + ": shared " + show(s.shared) + ", private " + show(s.priv) + " (capacity " +
         (std::isfinite(s.cap_private) ? cap : "n/a") + "; " + verdict_name(judge(s)) + ")";
}

}  // namespace

GILLAB_CLAIM(a10, {.id = "A10",
                   .text = "without a GIL, a list or a dict two threads write serialises on its lock; private ones scale",
                   .anchor = "PEP 703: per-object locks around each list and dict operation (Py_BEGIN_CRITICAL_SECTION); "
                             "ftscalingbench's object_cfunction on a private list scales in 3.14t",
                   .rule = "2 workers over the same mechanism on 1 (the model's biased with immortal and deferred "
                           "objects; free-threaded CPython's threads over its own serial run): gillab_list_shared and "
                           "gillab_dict_shared at most 0.6, gillab_list_private and gillab_dict_private at least 0.85 "
                           "of the machine's capacity (or of the ideal the tasks allow, whichever is less), in the "
                           "model and in free-threaded CPython alike",
                   .reads = {"containers"},
                   .needs_free_threaded_cpython = true,
                   .evaluate = [](const ResultSet& r) {
                     std::string text;
                     std::vector<Verdict> verdicts;
                     bool ft_measured = false;
                     for (const char* kind : {"list", "dict"}) {
                       const Side model = side(r, true, kind), ft = side(r, false, kind);
                       verdicts.push_back(judge(model));
                       verdicts.push_back(judge(ft));
                       ft_measured = ft_measured || measured(ft.priv);
                       text += std::string(text.empty() ? "" : "; ") + kind + "s, " + said("model (biased, immortal, deferred)", model) +
                               ", " + said("CPython free-threaded", ft);
                     }
                     return ClaimOutcome{text + (ft_measured ? "" : " (no free-threaded build: `make cpython`)") +
                                             " — `configs/containers.yaml`",
                                         all_of(verdicts)};
                   }});
