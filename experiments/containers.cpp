// Figure `containers` and claim A10: PEP 703's per-object locks. A list or a dict that two
// threads both write serialises on its lock (and its cache lines) though they never touch each
// other's items; lists and dicts private to each thread scale. In the model
// (interpreter/container_lock.hpp) and in free-threaded CPython, on the same four Python files.
#include <cmath>
#include <cstdio>

#include "claim.hpp"
#include "experiment.hpp"
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

// 2 workers against the same mechanism on one: the model's biased counts with immortal and
// deferred objects (its free-threading) at 2 workers over biased at 1, as free-threaded CPython's
// threads (gil_enabled 0) are set against the free-threaded build's own serial run. So both sides
// carry their locks on one thread as on two, and the ratio is the scaling alone.
Side side(const ResultSet& r, bool model, const std::string& kind) {
  const std::string shared = "gillab_" + kind + "_shared", priv = "gillab_" + kind + "_private";
  auto match = [&](const std::string& workload, const char* workers = "2") {
    ResultSet::Match m{{"workers", workers}, {"workload", workload}};
    if (model) m.insert({{"implementation", "gillab"}, {"strategy", "biased"}, {"immortal", "1"}, {"deferred", "1"}});
    else m.insert({{"implementation", "cpython"}, {"strategy", "threads"}, {"gil_enabled", "0"}});
    return m;
  };
  Side s;
  s.shared = r.get("containers", match(shared), "speedup");
  s.priv = r.get("containers", match(priv), "speedup");
  if (model) {  // the model's speedups are over plain serial: divide by biased's own at 1 worker
    s.shared = ratio(s.shared, r.get("containers", match(shared, "1"), "speedup"));
    s.priv = ratio(s.priv, r.get("containers", match(priv, "1"), "speedup"));
  }
  s.cap_shared = r.value("containers", match(shared), "capacity");
  s.cap_private = r.value("containers", match(priv), "capacity");
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
