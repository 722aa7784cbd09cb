#include "driver.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "atomic_file.hpp"
#include "cpython_runner.hpp"
#include "csv_writer.hpp"
#include "eval.hpp"
#include "experiment.hpp"
#include "isolate.hpp"
#include "manifest.hpp"
#include "progress.hpp"
#include "statistics.hpp"
#include "strategy.hpp"
#include "summary.hpp"
#include "topology.hpp"

namespace gillab {

const std::vector<std::string>& result_columns() {
  static const std::vector<std::string> cols{
      // the design's columns
      "experiment", "strategy", "workload", "workers", "tasks", "rep", "wall_s", "cpu_s", "speedup",
      "efficiency", "bytecodes", "refcount_ops", "lock_acquires", "lock_contended", "cas_retries",
      "cas_retries_max", "gil_switches", "lost_updates", "result_ok", "oversubscribed", "cpus",
      // what else a reader needs to tell rows apart and explain them
      "implementation", "immortal", "lock_kind", "gil_mode", "switch_interval_us", "check_interval",
      "difficulty", "blocks", "shared_fraction", "pin", "bound_pus", "cas_ops_retried",
      "cas_retries_per_op", "premature_zero", "gil_wait_s", "biased_merges", "biased_queued",
      "mbytecodes_per_s", "error"};
  return cols;
}

namespace {

struct Point {
  const Strategy* strategy;
  std::string workload;
  int workers = 1;
  bool immortal = false;
  std::string gil_mode, lock_kind;
  int switch_interval_us = 0;
  std::string implementation = "gillab";  // or cpython: the same tasks in real Python
  std::string cpython_mode;                // serial, threads or processes, for cpython points

  std::string label() const {
    std::string s = (implementation == "gillab" ? "" : implementation + " ") + strategy->name + " " + workload +
                    " workers=" + std::to_string(workers);
    if (immortal) s += " immortal";
    if (strategy->uses_gil) s += " " + gil_mode + (gil_mode == "new" ? "/" + std::to_string(switch_interval_us) + "us" : "");
    if (strategy->uses_lock_kind) s += " " + lock_kind;
    return s;
  }
  bool is_baseline() const { return strategy->name == "serial" && !immortal; }
  std::string baseline_key() const { return workload + "/" + implementation; }
};

struct Record {
  const Point* point;
  int rep;
  RunResult result;
  bool delivered;  // the run's process sent its measurements (it may still have failed)
};

std::vector<Point> plan_points(const Config& cfg, const std::vector<const Strategy*>& strats,
                               const std::vector<std::string>& workloads) {
  std::vector<Point> pts;
  const Strategy* serial = find_strategy("serial");
  for (const std::string& wl : workloads) pts.push_back(Point{serial, wl, 1, false, "", "", 0, "gillab", ""});  // the baselines
  for (const std::string& wl : workloads)
  for (const Strategy* s : strats) {
    if (!s->parallel) {
      for (bool imm : cfg.immortal)
        if (imm) pts.push_back(Point{s, wl, 1, true, "", "", 0, "gillab", ""});
      continue;
    }
    for (int w : cfg.workers)
      for (bool imm : cfg.immortal) {
        Point p{s, wl, w, imm, "", "", 0, "gillab", ""};
        if (s->uses_gil) {
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
        } else if (s->uses_lock_kind) {
          for (const std::string& k : cfg.lock_kind) {
            p.lock_kind = k;
            pts.push_back(p);
          }
        } else {
          pts.push_back(p);
        }
      }
  }
  return pts;
}

// Rough cost of a strategy relative to serial on one thread: only for the time estimate.
double cost_factor(const Point& p) {
  const std::string& n = p.strategy->name;
  if (n == "refcount-lock") return p.lock_kind.find("mutex") != std::string::npos ? 5.0 : 2.5;
  if (n == "gil" && p.gil_mode == "old" && p.workers > 1) return 4.0;  // the convoy
  if (n == "cas") return 2.0;
  if (n == "atomic" || n == "biased" || n == "race") return 1.5;
  return 1.0;
}

// Seconds for one task of this workload on this machine, measured in a short serial run.
double calibrate_task_s(const WorkloadParams& w, int64_t seed) {
  WorkloadParams small = w;
  small.blocks = std::min(w.blocks, 8);
  Runtime<rc::Plain> rt(build_workload(small), false);
  ThreadState<rc::Plain> ts(rt);
  const int64_t args[3] = {seed, small.difficulty, small.blocks};
  auto t0 = std::chrono::steady_clock::now();
  Interpreter<rc::Plain, false>::call(ts, rt.global("pow_task"), args);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s * w.blocks / small.blocks;
}

std::string join_ints(const std::vector<int>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + std::to_string(v[i]);
  return out;
}

}  // namespace

int run_config(const Config& cfg, const RunOptions& opt) {
  // Everything the config names must exist before anything runs or is written.
  const Experiment* exp = find_experiment(cfg.experiment);
  if (!exp) {
    std::string known;
    for (auto& e : experiments()) known += (known.empty() ? "" : ", ") + e.name;
    throw ConfigError(cfg.where("experiment") + ": unknown experiment '" + cfg.experiment + "' (known: " + known + ")");
  }
  std::vector<const Strategy*> strats;
  for (const std::string& n : cfg.strategies.empty() ? exp->strategies : cfg.strategies) {
    const Strategy* s = find_strategy(n);
    if (!s) {
      std::string known;
      for (auto& x : strategies()) known += (known.empty() ? "" : ", ") + x.name;
      throw ConfigError(cfg.where("strategies") + ": unknown strategy '" + n + "' (known: " + known + ")");
    }
    strats.push_back(s);
  }
  // CPython's counterparts of the points, where it has one (never immortal, never the old GIL:
  // its own build decides both).
  nlohmann::json python_probe;
  const bool with_cpython = std::count(cfg.implementations.begin(), cfg.implementations.end(), "cpython") > 0;
  const bool with_gillab = std::count(cfg.implementations.begin(), cfg.implementations.end(), "gillab") > 0;
  if (with_cpython) {
    try {
      python_probe = probe_python(cfg.python);
    } catch (const std::exception& e) {
      throw ConfigError(cfg.where("python") + ": " + e.what());
    }
  }
  const std::vector<std::string> workloads = cfg.workloads.empty() ? std::vector<std::string>{exp->workload} : cfg.workloads;
  WorkloadParams workload = cfg.workload;  // difficulty, blocks, shared_fraction: the same for every workload
  workload.name = workloads.front();

  namespace fs = std::filesystem;
  fs::path csv_path = cfg.output.empty() ? fs::path("results") / (cfg.name + ".csv") : fs::path(cfg.output);
  if (!opt.out_dir.empty()) csv_path = fs::path(opt.out_dir) / csv_path.filename();
  if (csv_path.extension() != ".csv")
    throw ConfigError(cfg.where("output") + ": expected a path ending in .csv, got '" + csv_path.string() + "'");
  if (std::string why = check_writable_dir(csv_path.parent_path().string()); !why.empty())
    throw ConfigError(cfg.where("output") + ": " + why);
  fs::path json_path = fs::path(csv_path).replace_extension(".json");
  fs::path timeline_path = csv_path.parent_path() / ("timeline-" + csv_path.stem().string() + ".csv");
  fs::path cas_hist_path = csv_path.parent_path() / ("cas-hist-" + csv_path.stem().string() + ".csv");

  install_interrupt_handlers();  // before the slow set-up, so Ctrl-C is never the default kill
  Topology topo;
  std::vector<Point> points;
  for (const Point& p : plan_points(cfg, strats, workloads)) {
    if (with_gillab) points.push_back(p);
    if (!with_cpython || p.immortal || p.gil_mode == "old") continue;
    Point c = p;
    c.implementation = "cpython";
    c.cpython_mode = cpython_mode(p.strategy->name, python_probe);
    if (!c.cpython_mode.empty()) points.push_back(c);
  }
  std::vector<int64_t> seeds, reference;
  for (int t = 0; t < cfg.tasks; ++t) {
    seeds.push_back(task_seed(cfg.seed, t));
    reference.push_back(pow_task_native(seeds.back(), workload.difficulty, workload.blocks));
  }

  const int capacity = topo.capacity(cfg.pin);
  double task_s = calibrate_task_s(workload, seeds[0]);
  auto expected_s = [&](const Point& p) {
    int par = p.strategy->parallel && p.strategy->name != "gil" ? std::min(p.workers, capacity) : 1;
    const double python = p.implementation == "cpython" ? 3.5 : 1.0;  // CPython's pace on this work, roughly
    return cfg.tasks * task_s * cost_factor(p) * python / par;
  };
  double estimate = 0;
  for (const Point& p : points) estimate += expected_s(p);
  estimate *= cfg.repetitions + cfg.warmup;
  const int total_runs = static_cast<int>(points.size()) * (cfg.repetitions + cfg.warmup);

  if (!opt.quiet || opt.dry_run) {
    std::fprintf(stderr, "gillab: %s (%s): %zu points x (%d warm-up + %d repetitions) = %d runs on %s, %d cores / %d PUs\n",
                 cfg.name.c_str(), exp->name.c_str(), points.size(), cfg.warmup, cfg.repetitions, total_runs,
                 topo.cpu_model().c_str(), topo.cores(), topo.pus());
    std::fprintf(stderr, "gillab: estimated total %s (one task ~%.3f s on one core)\n", format_duration(estimate).c_str(), task_s);
    int most = 0;
    for (const Point& p : points) most = std::max(most, p.workers);
    if (most > capacity)
      std::fprintf(stderr, "gillab: warning: up to %d workers on %d %s: those runs are oversubscribed (flagged in the CSV)\n",
                   most, capacity, cfg.pin == PinMode::Pus ? "PUs" : "cores");
  }
  if (opt.dry_run) {
    for (const Point& p : points) std::printf("%s\n", p.label().c_str());
    return 0;
  }

  Progress progress(total_runs, estimate, opt.quiet);
  std::vector<Record> records;
  int failures = 0;

  auto run_point = [&](const Point& p, int rep, bool warm) {
    RunSpec spec;
    spec.workload = workload;
    spec.workload.name = p.workload;
    spec.seeds = seeds;
    spec.workers = p.workers;
    spec.pin = cfg.pin;
    spec.immortal = p.immortal;
    spec.gil = GilParams{p.gil_mode.empty() ? "new" : p.gil_mode, p.switch_interval_us ? p.switch_interval_us : 5000,
                         cfg.check_interval};
    spec.lock_kind = p.lock_kind.empty() ? "mutex" : p.lock_kind;
    spec.timeline = cfg.timeline && rep == 1 && !warm;
    spec.topo = &topo;
    auto t0 = std::chrono::steady_clock::now();
    Isolated iso = run_isolated(
        [&] {
          return to_json(p.implementation == "cpython" ? run_cpython(spec, cfg.python, p.cpython_mode) : p.strategy->run(spec))
              .dump();
        },
        cfg.timeout_s);
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (interrupted()) return false;
    RunResult r;
    if (iso.ok) {
      r = run_result_from_json(nlohmann::json::parse(iso.payload));
    } else {
      r.error = iso.error;
    }
    if (r.ok && r.answers != reference) {
      r.ok = false;
      for (size_t t = 0; t < reference.size(); ++t)
        if (t >= r.answers.size() || r.answers[t] != reference[t]) {
          r.error = "wrong answer: task " + std::to_string(t) + " gave " +
                    (t < r.answers.size() ? std::to_string(r.answers[t]) : "nothing") + ", expected " +
                    std::to_string(reference[t]);
          break;
        }
    }
    std::string what = p.label() + (warm ? " warm-up" : " rep " + std::to_string(rep) + "/" + std::to_string(cfg.repetitions));
    progress.step(what, r.ok ? r.wall_s : took, expected_s(p), r.ok ? "" : "FAILED: " + r.error);
    if (!warm) {
      failures += !r.ok;
      records.push_back(Record{&p, rep, std::move(r), iso.ok});
    }
    return true;
  };

  // Warm-up rounds, then the repetitions, each round every point in turn (A B C A B C ...),
  // so that drift in the machine's speed spreads over all of them.
  bool stopped = interrupted();
  for (int round = 1 - cfg.warmup; round <= cfg.repetitions && !stopped; ++round)
    for (size_t i = 0; i < points.size() && !stopped; ++i) stopped = !run_point(points[i], round, round <= 0);
  if (stopped) {
    std::fprintf(stderr, "gillab: interrupted: nothing written, earlier results left as they were\n");
    return 130;
  }
  {
    // The baseline of each workload: the median of its plain serial runs in this invocation.
    // Speedup is paired: each run against the serial baseline run of the same round (rounds
    // interleave every point, so the two ran close together and share the machine's drift);
    // where that run failed, against the median of the baseline runs.
    std::map<std::string, std::vector<double>> base_walls;
    std::map<std::pair<std::string, int>, double> base_of_round;
    for (const Record& r : records)
      if (r.point->is_baseline() && r.result.ok) {
        base_walls[r.point->baseline_key()].push_back(r.result.wall_s);
        base_of_round[{r.point->baseline_key(), r.rep}] = r.result.wall_s;
      }
    std::map<std::string, double> baselines;
    for (const Point& p : points) baselines[p.baseline_key()] = median_of(base_walls[p.baseline_key()]);
    auto baseline_for = [&](const Point& p, int rep) {
      auto it = base_of_round.find({p.baseline_key(), rep});
      return it != base_of_round.end() ? it->second : baselines[p.baseline_key()];
    };
    std::map<const Point*, std::vector<double>> speedups;

    CsvTable csv(result_columns());
    std::map<const Point*, std::vector<double>> walls;
    for (const Record& rec : records) {
      const Point& p = *rec.point;
      const RunResult& r = rec.result;
      const std::string& sn = p.strategy->name;
      auto& row = csv.add_row();
      const double baseline = baseline_for(p, rec.rep);
      row.set("experiment", exp->name).set("strategy", sn).set("workload", p.workload)
          .set("workers", p.workers).set("tasks", cfg.tasks).set("rep", rec.rep)
          .set("result_ok", r.ok ? 1 : 0).set("oversubscribed", p.workers > capacity ? 1 : 0)
          .set("implementation", p.implementation).set("immortal", p.immortal ? 1 : 0)
          .set("difficulty", workload.difficulty).set("blocks", workload.blocks)
          .set("pin", pin_name(cfg.pin)).set("error", r.error);
      if (p.workload == "shared") row.set("shared_fraction", workload.shared_fraction);
      const bool model = p.implementation == "gillab";  // CPython rows have times and answers only
      if (p.strategy->uses_gil) {
        row.set("gil_mode", p.gil_mode);
        if (p.gil_mode == "new") row.set("switch_interval_us", p.switch_interval_us);
        else row.set("check_interval", cfg.check_interval);
        if (model)
          row.set("gil_switches", r.gil_switches).set("gil_wait_s", r.gil_wait_s)
              .set("lock_acquires", r.lock_acquires).set("lock_contended", r.lock_contended);
      }
      if (p.strategy->uses_lock_kind)
        row.set("lock_kind", p.lock_kind).set("lock_acquires", r.lock_acquires).set("lock_contended", r.lock_contended);
      if (sn == "cas") {
        row.set("cas_retries", r.cas_retries).set("cas_retries_max", r.cas_retries_max)
            .set("cas_ops_retried", r.cas_ops_retried);
        if (r.refcount_ops) row.set("cas_retries_per_op", static_cast<double>(r.cas_retries) / static_cast<double>(r.refcount_ops));
      }
      if (sn == "biased" && model) row.set("biased_merges", r.biased_merges).set("biased_queued", r.biased_queued);
      if (rec.delivered && model) row.set("lost_updates", r.lost_updates).set("premature_zero", r.premature_zero);
      if (r.ok) {
        walls[&p].push_back(r.wall_s);
        row.set("wall_s", r.wall_s).set("cpu_s", r.cpu_s);
        if (model)
          row.set("bytecodes", r.bytecodes).set("refcount_ops", r.refcount_ops)
              .set("mbytecodes_per_s", r.bytecodes / r.wall_s / 1e6);
        if (std::isfinite(baseline)) {
          double sp = baseline / r.wall_s;
          speedups[&p].push_back(sp);
          row.set("speedup", sp).set("efficiency", sp / p.workers);
        }
        std::vector<std::string> per_worker;
        for (auto& c : r.worker_cpus) per_worker.push_back(join_ints(c, " "));
        std::string cpus;
        for (size_t i = 0; i < per_worker.size(); ++i) cpus += (i ? ";" : "") + per_worker[i];
        row.set("cpus", cpus).set("bound_pus", join_ints(r.bound_pus, ";"));
      }
    }

    // The summary: printed, and kept in the manifest.
    nlohmann::json summary = nlohmann::json::array();
    if (!opt.quiet) std::printf("\n%-52s %9s %9s %9s %7s %8s\n", "point", "median_s", "min_s", "max_s", "cv%", "speedup");
    for (const Point& p : points) {
      Summary s = summarize_values(walls[&p]);
      double sp = median_of(speedups[&p]);
      summary.push_back({{"point", p.label()}, {"strategy", p.strategy->name}, {"workload", p.workload}, {"workers", p.workers},
                         {"runs_ok", s.n}, {"median_s", s.median}, {"min_s", s.min}, {"max_s", s.max},
                         {"cv", s.cv}, {"speedup", sp}});
      if (!opt.quiet)
        std::printf("%-52s %9.4f %9.4f %9.4f %7.2f %8.3f\n", p.label().c_str(), s.median, s.min, s.max, s.cv * 100, sp);
    }

    AtomicWriter writer;
    writer.stage(csv_path.string(), csv.str());
    nlohmann::json manifest = manifest_json(cfg, *exp, topo);
    if (with_cpython) manifest["python"] = python_probe;
    manifest["results"] = {{"csv", csv_path.string()}, {"rows", records.size()}, {"failures", failures},
                           {"warmup_runs_per_point", cfg.warmup}, {"estimated_s", estimate},
                           {"elapsed_s", progress.elapsed_s()}, {"baseline_median_s", baselines},
                           {"workload", {{"names", workloads}, {"difficulty", workload.difficulty},
                                         {"blocks", workload.blocks}, {"shared_fraction", workload.shared_fraction}}},
                           {"seeds", seeds}, {"reference_answers", reference}, {"summary", summary}};
    if (cfg.timeline) {
      CsvTable tl({"experiment", "strategy", "workload", "workers", "immortal", "gil_mode", "switch_interval_us", "lock_kind",
                   "rep", "worker", "kind", "task", "cpu", "t0_s", "t1_s"});
      for (const Record& rec : records) {
        for (const Interval& iv : rec.result.timeline) {
          auto& row = tl.add_row();
          row.set("experiment", exp->name).set("strategy", rec.point->strategy->name)
              .set("workload", rec.point->workload).set("workers", rec.point->workers).set("immortal", rec.point->immortal ? 1 : 0)
              .set("gil_mode", rec.point->gil_mode).set("lock_kind", rec.point->lock_kind).set("rep", rec.rep)
              .set("worker", iv.worker).set("kind", kind_name(iv.kind)).set("cpu", iv.cpu)
              .set("t0_s", iv.t0, 9).set("t1_s", iv.t1, 9);
          if (rec.point->switch_interval_us) row.set("switch_interval_us", rec.point->switch_interval_us);
          if (iv.task >= 0) row.set("task", iv.task);
        }
      }
      writer.stage(timeline_path.string(), tl.str());
      manifest["results"]["timeline_csv"] = timeline_path.string();
    }
    bool any_cas = false;
    for (const Record& rec : records) any_cas |= rec.point->strategy->name == "cas" && rec.delivered;
    if (any_cas) {
      // Long form: one row per (run, bucket). Bucket 0 is the operations that never retried.
      CsvTable h({"experiment", "strategy", "workload", "workers", "immortal", "rep", "bucket", "retries_min",
                  "retries_max", "ops"});
      for (const Record& rec : records) {
        const RunResult& r = rec.result;
        if (rec.point->strategy->name != "cas" || !rec.delivered) continue;
        for (int b = 0; b < OpStats::kHistBuckets; ++b) {
          auto& row = h.add_row();
          row.set("experiment", exp->name).set("strategy", "cas").set("workload", rec.point->workload)
              .set("workers", rec.point->workers).set("immortal", rec.point->immortal ? 1 : 0).set("rep", rec.rep)
              .set("bucket", b).set("retries_min", b == 0 ? 0ULL : 1ULL << (b - 1))
              .set("ops", b == 0 ? r.refcount_ops - r.cas_ops_retried : r.cas_hist[static_cast<size_t>(b)]);
          if (b + 1 < OpStats::kHistBuckets) row.set("retries_max", b == 0 ? 0ULL : (1ULL << b) - 1);
        }
      }
      writer.stage(cas_hist_path.string(), h.str());
      manifest["results"]["cas_hist_csv"] = cas_hist_path.string();
    }
    const std::string manifest_text = manifest.dump(2) + "\n";
    writer.stage(json_path.string(), manifest_text);
    writer.stage(summary_path_for(csv_path.string()), summarize(CsvFile::parse(csv.str(), csv_path.string()), manifest_text));
    writer.commit();
    if (!opt.quiet) {
      std::printf("\nwrote %s and %s", csv_path.c_str(), json_path.c_str());
      if (cfg.timeline) std::printf(" and %s", timeline_path.c_str());
      if (any_cas) std::printf(" and %s", cas_hist_path.c_str());
      std::printf(" (%zu rows, %d failed)\n", records.size(), failures);
    }
    return failures ? 1 : 0;
  }
}

}  // namespace gillab
