#include "plan.hpp"

#include "workload_files.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "cpython_runner.hpp"
#include "eval.hpp"

namespace gillab {

// Appends, not operator+: g++ 12 gives a false -Wrestrict on chains of string + "literal".
std::string Point::label() const {
  std::string s;
  if (implementation != "gillab") s.append(implementation).append(" ");
  if (!python_label.empty()) s.append(python_label).append(" ");
  s.append(strategy->name).append(" ").append(workload).append(" workers=").append(std::to_string(workers));
  if (immortal) s.append(" immortal");
  if (deferred) s.append(" deferred");
  if (strategy->uses_gil && !gil_mode.empty()) {
    s.append(" ").append(gil_mode);
    if (gil_mode == "new") s.append("/").append(std::to_string(switch_interval_us)).append("us");
  }
  if (strategy->uses_lock_kind) s.append(" ").append(lock_kind);
  if (role == "aa") s.append(" (A/A)");
  return s;
}

namespace {

const Experiment& experiment_of(const Config& cfg) {
  const Experiment* exp = find_experiment(cfg.experiment);
  if (exp) return *exp;
  std::string known;
  for (auto& e : experiments()) known += (known.empty() ? "" : ", ") + e.name;
  throw ConfigError(cfg.where("experiment") + ": unknown experiment '" + cfg.experiment + "' (known: " + known + ")");
}

std::vector<const Strategy*> strategies_of(const Config& cfg, const Experiment& exp) {
  std::vector<const Strategy*> out;
  for (const std::string& n : cfg.strategies.empty() ? exp.strategies : cfg.strategies) {
    const Strategy* s = find_strategy(n);
    if (!s) {
      std::string known;
      for (auto& x : strategies()) known += (known.empty() ? "" : ", ") + x.name;
      throw ConfigError(cfg.where("strategies") + ": unknown strategy '" + n + "' (known: " + known + ")");
    }
    out.push_back(s);
  }
  return out;
}

// Every variant of one parallel strategy at one (workload, workers, immortal).
void add_variants(const Config& cfg, Point p, std::vector<Point>& pts) {
  if (p.strategy->uses_gil) {
    for (const std::string& mode : cfg.gil_mode) {
      p.gil_mode = mode;
      if (mode == "old") {
        pts.push_back(p);  // the switch interval does not apply to the old GIL
        continue;
      }
      for (int us : cfg.switch_interval_us) {
        p.switch_interval_us = us;
        pts.push_back(p);
      }
    }
  } else if (p.strategy->uses_lock_kind) {
    for (const std::string& k : cfg.lock_kind) {
      p.lock_kind = k;
      pts.push_back(p);
    }
  } else {
    pts.push_back(p);
  }
}

// gillab's points: serial for every (workload, immortal) first, as baselines, then the rest.
std::vector<Point> model_points(const Config& cfg, const std::vector<const Strategy*>& strats,
                                const std::vector<std::string>& workloads) {
  std::vector<Point> pts;
  const Strategy* serial = find_strategy("serial");
  // Plain serial always runs: every mechanism's serial point is measured against it.
  auto with_off = [](std::vector<bool> v) {
    if (std::find(v.begin(), v.end(), false) == v.end()) v.insert(v.begin(), false);
    return v;
  };
  const std::vector<bool> immortal = with_off(cfg.immortal), deferred = with_off(cfg.deferred);
  auto point = [](const Strategy* s, const std::string& wl, int w, bool imm, bool def) {
    Point p;
    p.strategy = s, p.workload = wl, p.workers = w, p.immortal = imm, p.deferred = def;
    return p;
  };
  for (const std::string& wl : workloads)
    for (bool imm : immortal)
      for (bool def : deferred)
        if ((!imm && !def) || (std::count(cfg.immortal.begin(), cfg.immortal.end(), imm) && std::count(cfg.deferred.begin(), cfg.deferred.end(), def)))
          pts.push_back(point(serial, wl, 1, imm, def));
  for (const std::string& wl : workloads)
    for (const Strategy* s : strats) {
      if (!s->parallel) continue;  // serial: above
      for (int w : cfg.workers) {
        if (s->max_workers > 0 && w > s->max_workers) continue;  // unsound there: not planned
        for (bool imm : cfg.immortal)
          for (bool def : cfg.deferred) add_variants(cfg, point(s, wl, w, imm, def), pts);
      }
    }
  return pts;
}

// Sets each point's baseline: the serial point with the same workload, implementation, Python
// and immortal flag; for serial points with a mechanism on, the serial point without it (plain
// serial; for a free-threaded build, the GIL build of the same version where there is one).
// The label of the GIL build of the same version as pythons[i] when that is a free-threaded
// build and the config has one ("" otherwise).
std::string gil_twin(const std::vector<PythonBuild>& pythons, int i) {
  if (i < 0 || static_cast<size_t>(i) >= pythons.size() || !pythons[static_cast<size_t>(i)].free_threaded) return "";
  const std::string version = pythons[static_cast<size_t>(i)].probe.value("version", "");
  for (const PythonBuild& b : pythons)
    if (!b.free_threaded && !version.empty() && b.probe.value("version", "") == version) return b.label;
  return "";
}

void match_baselines(std::vector<Point>& pts, const std::vector<PythonBuild>& pythons) {
  std::map<std::tuple<std::string, std::string, std::string, bool, bool>, size_t> serial_at;
  for (size_t i = 0; i < pts.size(); ++i)
    if (pts[i].is_serial() && pts[i].role.empty())
      serial_at.emplace(std::make_tuple(pts[i].workload, pts[i].implementation, pts[i].python_label, pts[i].immortal, pts[i].deferred), i);
  for (Point& p : pts) {
    const bool imm = p.is_serial() ? false : p.immortal, def = p.is_serial() ? false : p.deferred;
    std::string py = p.python_label;
    // Free-threading's own cost: its serial against the GIL build of the same source.
    if (const std::string twin = gil_twin(pythons, p.python);
        p.is_serial() && !twin.empty() && serial_at.count({p.workload, p.implementation, twin, false, false}))
      py = twin;
    auto it = serial_at.find({p.workload, p.implementation, py, imm, def});
    if (it == serial_at.end()) throw std::logic_error("no matched serial baseline for " + p.label());
    p.baseline = it->second;
  }
}

// The A/A pairs: the same machine code by a second route, at one worker, against plain serial
// of the config's first workload. serial again (the same point twice), gil (the same
// instantiation: one thread never asks for the GIL), processes and interpreters (the same
// eval loop in a forked process, or on a runtime of its own). Points the plan already has on
// such a route are marked as pairs (this list is the one place that says which routes run
// serial's code); with add_missing, each route it lacks is added (role "aa").
void mark_aa_pairs(const std::string& workload, std::vector<Point>& pts, bool add_missing) {
  for (const char* route : {"serial", "gil", "processes", "interpreters"}) {
    const Strategy* s = find_strategy(route);
    const bool serial = std::string(route) == "serial";
    bool have = false;
    for (Point& p : pts)
      if (!serial && p.strategy == s && p.workers == 1 && p.workload == workload && !p.immortal && !p.deferred &&
          (p.gil_mode.empty() || p.gil_mode == "new"))
        have = p.aa_pair = true;
    if (have || !add_missing) continue;
    Point p;
    p.strategy = s, p.workload = workload, p.workers = 1, p.role = "aa", p.aa_pair = true;
    if (s->uses_gil) p.gil_mode = "new", p.switch_interval_us = kDefaultSwitchIntervalUs;
    pts.push_back(p);
  }
}

// Each point at more than one worker finds itself at one worker: the point whose label is its
// own with workers=1 (A/A additions excluded: they are another route's copy).
void match_one_worker(std::vector<Point>& pts) {
  std::map<std::string, size_t> by_label;
  for (size_t i = 0; i < pts.size(); ++i)
    if (pts[i].role.empty() && pts[i].workers == 1) by_label.emplace(pts[i].label(), i);
  for (Point& p : pts) {
    if (p.workers <= 1 || !p.role.empty()) continue;
    Point one = p;
    one.workers = 1;
    if (auto it = by_label.find(one.label()); it != by_label.end()) p.one_worker = it->second;
  }
}

// CPython's threads: rows of their own beside the model's strategies.
const Strategy kCPythonThreads{"threads", "CPython's threading module (the build decides GIL or not)", true, true, false, nullptr};

// A filter's strategy names are known ones (or CPython's `threads`): a misspelt name would
// silently exclude nothing.
void check_exclude(const Config& cfg) {
  for (const auto& filter : cfg.exclude) {
    auto it = filter.find("strategy");
    if (it == filter.end()) continue;
    for (const std::string& s : it->second)
      if (!find_strategy(s) && s != kCPythonThreads.name)
        throw ConfigError(cfg.where("exclude") + ": unknown strategy '" + s + "' in a filter");
  }
}

// A point that one of the config's `exclude` filters matches in every column it names; serial
// and A/A points are kept, as baselines.
bool matches_exclude(const Config& cfg, const Point& p) {
  const std::map<std::string, std::string> at{{"strategy", p.strategy->name}, {"workload", p.workload},
                                              {"workers", std::to_string(p.workers)}, {"immortal", p.immortal ? "1" : "0"},
                                              {"deferred", p.deferred ? "1" : "0"}, {"implementation", p.implementation}};
  for (const auto& filter : cfg.exclude) {
    bool all = true;
    for (const auto& [column, values] : filter) all = all && std::count(values.begin(), values.end(), at.at(column)) > 0;
    if (all) return true;
  }
  return false;
}

// A/A points always stay (also a sweep's own point on an A/A route: the pair is every
// config's noise floor); serial ones stay while another point is measured against them.
bool excluded(const Config& cfg, const Point& p) {
  return !p.is_serial() && p.role.empty() && !p.aa_pair && matches_exclude(cfg, p);
}

// Serial points an exclude filter matches, once no other point measures against them (all
// that would are excluded), go too: `implementation=cpython workload=shared` leaves no CPython
// run of that file at all. Repeated, since a free-threaded build's serial is measured against
// the GIL build's.
void drop_unused_serial(const Config& cfg, std::vector<Point>& pts, const std::vector<PythonBuild>& pythons) {
  for (bool dropped = true; dropped;) {
    match_baselines(pts, pythons);
    std::vector<bool> used(pts.size(), false);
    for (size_t i = 0; i < pts.size(); ++i)
      if (pts[i].baseline != i) used[pts[i].baseline] = true;
    std::vector<Point> kept;
    for (size_t i = 0; i < pts.size(); ++i)
      if (used[i] || !pts[i].is_serial() || !pts[i].role.empty() || pts[i].aa_pair || !matches_exclude(cfg, pts[i]))
        kept.push_back(pts[i]);
    dropped = kept.size() != pts.size();
    pts = std::move(kept);
  }
}

}  // namespace

std::string first_workload(const Config& cfg) {
  return cfg.workloads.empty() ? experiment_of(cfg).workload : cfg.workloads.front();
}

Plan make_plan(const Config& cfg, const std::vector<PythonBuild>& pythons) {
  Plan plan;
  plan.experiment = &experiment_of(cfg);
  const std::vector<const Strategy*> strats = strategies_of(cfg, *plan.experiment);
  plan.workloads = cfg.workloads.empty() ? std::vector<std::string>{plan.experiment->workload} : cfg.workloads;
  plan.workload = cfg.workload;
  plan.workload.name = plan.workloads.front();
  plan.pythons = pythons;
  const bool with_gillab = std::count(cfg.implementations.begin(), cfg.implementations.end(), "gillab") > 0;
  const std::vector<Point> model = model_points(cfg, strats, plan.workloads);
  if (with_gillab) plan.points = model;
  if (with_gillab) mark_aa_pairs(plan.workloads.front(), plan.points, cfg.aa);
  // CPython's counterparts, each Python in turn, whatever the model's mechanisms: never
  // immortal or deferred, never the old GIL (its own build decides all three).
  Config plain = cfg;
  plain.immortal = {false};
  plain.deferred = {false};
  const std::vector<Point> counterparts = model_points(plain, strats, plan.workloads);
  for (size_t i = 0; i < pythons.size(); ++i)
    for (const Point& p : counterparts) {
      if (p.gil_mode == "old") continue;
      Point c = p;
      c.implementation = "cpython";
      c.python = static_cast<int>(i);
      c.python_label = pythons[i].label;
      c.cpython_mode = cpython_mode(p.strategy->name, pythons[i]);
      if (c.cpython_mode == "threads") c.strategy = &kCPythonThreads;
      if (!c.cpython_mode.empty()) plan.points.push_back(c);
    }
  check_exclude(cfg);
  std::erase_if(plan.points, [&](const Point& p) { return excluded(cfg, p); });
  drop_unused_serial(cfg, plan.points, plan.pythons);
  match_one_worker(plan.points);
  for (int t = 0; t < cfg.tasks; ++t) plan.seeds.push_back(task_seed(cfg.seed, t));
  for (const std::string& wl : plan.workloads) {
    WorkloadParams w = plan.workload;
    w.name = wl;
    workload_program(wl);  // a file the compiler refuses stops the plan here, with its line
    plan.reference[wl] = reference_answers(w, plan.seeds, cfg.timeout_s);
  }
  return plan;
}

double cost_factor(const Point& p) {
  double f = p.strategy->cost;
  if (p.strategy->uses_lock_kind && p.lock_kind.find("mutex") != std::string::npos) f *= 2;  // a mutex per count
  if (p.strategy->uses_gil && p.gil_mode == "old" && p.workers > 1) f *= 4;                  // the convoy
  return f;
}

}  // namespace gillab
