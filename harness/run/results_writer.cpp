#include "results_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "atomic_file.hpp"
#include "csv_reader.hpp"
#include "csv_writer.hpp"
#include "gil_stats.hpp"
#include "statistics.hpp"
#include "summary.hpp"

namespace gillab {

namespace fs = std::filesystem;

OutputPaths output_paths(const Config& cfg, const std::string& out_dir, const std::string& machine) {
  // Each machine's results in a folder of their own: another machine's run never overwrites them.
  fs::path csv = cfg.output.empty() ? fs::path("results") / machine / (cfg.name + ".csv") : fs::path(cfg.output);
  if (!out_dir.empty()) csv = fs::path(out_dir) / csv.filename();
  if (csv.extension() != ".csv")
    throw ConfigError(cfg.where("output") + ": expected a path ending in .csv, got '" + csv.string() + "'");
  if (std::string why = check_writable_dir(csv.parent_path().string()); !why.empty())
    throw ConfigError(cfg.where("output") + ": " + why);
  const fs::path dir = csv.parent_path(), stem = csv.stem();
  return {csv.string(), fs::path(csv).replace_extension(".json").string(), (dir / ("timeline-" + stem.string() + ".csv")).string(),
          (dir / ("cas-hist-" + stem.string() + ".csv")).string()};
}

namespace {

std::string join_ints(const std::vector<int>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out.append(i ? sep : "").append(std::to_string(v[i]));
  return out;
}

// A round whose canary ran 10% slower than the median canary: the machine slowed.
std::vector<bool> slow_rounds(const std::vector<Record>& records) {
  std::vector<double> canaries;
  int rounds = 0;
  for (const Record& r : records) {
    canaries.push_back(r.canary_s);
    rounds = std::max(rounds, r.rep);
  }
  const double typical = median_of(canaries);
  std::vector<bool> slow(static_cast<size_t>(rounds) + 1, false);
  for (const Record& r : records) slow[static_cast<size_t>(r.rep)] = r.canary_s > 1.10 * typical;
  return slow;
}

void set_counters(CsvTable::Row& row, const Point& p, const Record& rec, int check_interval) {
  const RunResult& r = rec.result;
  const bool model = p.implementation == "gillab";  // CPython rows have times and answers only
  if (p.strategy->uses_gil) {
    row.set("gil_mode", p.gil_mode);
    if (p.gil_mode == "new") row.set("switch_interval_us", p.switch_interval_us);
    else row.set("check_interval", check_interval);
    if (model && rec.delivered) {
      row.set("gil_switches", r.gil_switches).set("gil_wait_s", r.gil_wait_s)
          .set("lock_acquires", r.lock_acquires).set("lock_contended", r.lock_contended);
      // Per worker, and how evenly the lock went round (Jain's index of the acquisitions).
      std::string acq, wait;
      std::vector<double> shares;
      for (size_t w = 0; w < r.gil_worker_acquires.size(); ++w) {
        acq.append(w ? ";" : "").append(std::to_string(r.gil_worker_acquires[w]));
        char b[32];
        std::snprintf(b, sizeof b, "%.6g", r.gil_worker_wait_s[w]);
        wait.append(w ? ";" : "").append(b);
        shares.push_back(static_cast<double>(r.gil_worker_acquires[w]));
      }
      row.set("gil_worker_acquires", acq).set("gil_worker_wait_s", wait).set("gil_fairness", jain_index(shares), 4);
    }
  }
  if (p.strategy->uses_lock_kind)
    row.set("lock_kind", p.lock_kind).set("lock_acquires", r.lock_acquires).set("lock_contended", r.lock_contended);
  if (p.strategy->locks_containers && model && rec.delivered) row.set("container_contended", r.container_contended);
  if (p.strategy->counts_cas && rec.delivered) {
    uint64_t long_ops = 0;
    for (int b = OpStats::kLongBucket; b < OpStats::kHistBuckets; ++b) long_ops += r.cas_hist[static_cast<size_t>(b)];
    row.set("cas_retries", r.cas_retries).set("cas_retries_max", r.cas_retries_max)
        .set("cas_ops_retried", r.cas_ops_retried).set("cas_ops_long", long_ops);
    if (r.refcount_ops) row.set("cas_retries_per_op", static_cast<double>(r.cas_retries) / static_cast<double>(r.refcount_ops));
  }
  if (p.strategy->counts_biased && model) row.set("biased_merges", r.biased_merges).set("biased_queued", r.biased_queued);
  if (rec.delivered && model) row.set("lost_updates", r.lost_updates).set("premature_zero", r.premature_zero);
}

void set_times(CsvTable::Row& row, const Point& p, const Record& rec) {
  const RunResult& r = rec.result;
  if (!r.ok) return;
  row.set("wall_s", r.wall_s).set("cpu_s", r.cpu_s).set("cpu_util", r.cpu_s / r.wall_s, 4);
  if (p.strategy->times_startup) row.set("startup_s", r.startup_s, 6);
  if (p.implementation == "gillab")
    row.set("bytecodes", r.bytecodes).set("refcount_ops", r.refcount_ops).set("mbytecodes_per_s", r.bytecodes / r.wall_s / 1e6);
  if (std::isfinite(rec.speedup)) row.set("speedup", rec.speedup).set("efficiency", rec.speedup / p.workers);
  if (std::isfinite(rec.scaling)) row.set("scaling", rec.scaling);
  if (std::isfinite(rec.ideal) && p.workers > 1) row.set("ideal_speedup", rec.ideal, 4);
  std::string cpus;
  for (size_t i = 0; i < r.worker_cpus.size(); ++i) cpus.append(i ? ";" : "").append(join_ints(r.worker_cpus[i], " "));
  row.set("cpus", cpus).set("bound_pus", join_ints(r.bound_pus, ";"));
  row.set("bound_packages", join_ints(r.bound_packages, ";")).set("bound_numa", join_ints(r.bound_numa, ";"));
}

// Rows by round, then in the plan's order (the rounds ran shuffled): a reader, and the summary
// that lists points as they first appear, see the points in the order the config names them.
std::vector<const Record*> in_plan_order(const std::vector<Record>& records) {
  std::vector<const Record*> out;
  for (const Record& r : records) out.push_back(&r);
  std::stable_sort(out.begin(), out.end(), [](const Record* a, const Record* b) {
    return std::make_pair(a->rep, a->point) < std::make_pair(b->rep, b->point);
  });
  return out;
}

std::string hex_seed(uint64_t s) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(s));
  return buf;
}

}  // namespace

const std::vector<std::string>& result_columns() {
  static const std::vector<std::string> cols{
      // the design's columns
      "experiment", "strategy", "workload", "workers", "tasks", "rep", "wall_s", "cpu_s", "speedup",
      "efficiency", "bytecodes", "refcount_ops", "lock_acquires", "lock_contended", "cas_retries",
      "cas_retries_max", "gil_switches", "lost_updates", "result_ok", "oversubscribed", "cpus",
      // what else a reader needs to tell rows apart and explain them
      "implementation", "python", "gil_enabled", "immortal", "deferred", "lock_kind", "gil_mode", "switch_interval_us", "check_interval",
      "difficulty", "blocks", "pin", "bound_pus", "bound_packages", "bound_numa", "baseline", "cpu_util", "cas_ops_retried",
      "cas_retries_per_op", "cas_ops_long", "premature_zero", "gil_wait_s", "gil_fairness", "gil_worker_acquires",
      "gil_worker_wait_s", "biased_merges", "biased_queued", "container_contended", "scaling",
      "mbytecodes_per_s", "ideal_speedup", "startup_s", "canary_s", "slow_round", "role", "aa_pair", "layout_group", "layout_seed", "build", "error"};
  return cols;
}

std::string results_csv(const WriteInput& in) {
  CsvTable csv(result_columns());
  const std::vector<bool> slow = slow_rounds(in.outcome.records);
  for (const Record* recp : in_plan_order(in.outcome.records)) {
    const Record& rec = *recp;
    const Point& p = in.plan.points[rec.point];
    auto& row = csv.add_row();
    row.set("experiment", in.plan.experiment->name).set("strategy", p.strategy->name).set("workload", p.workload)
        .set("workers", p.workers).set("tasks", in.cfg.tasks).set("rep", rec.rep)
        .set("result_ok", rec.result.ok ? 1 : 0).set("oversubscribed", p.workers > in.capacity_workers ? 1 : 0)
        .set("implementation", p.implementation).set("immortal", p.immortal ? 1 : 0).set("deferred", p.deferred ? 1 : 0)
        .set("difficulty", in.plan.workload.difficulty).set("blocks", in.plan.workload.blocks)
        .set("pin", pin_name(in.cfg.pin)).set("baseline", in.plan.points[p.baseline].label())
        .set("canary_s", rec.canary_s, 6).set("slow_round", slow[static_cast<size_t>(rec.rep)] ? 1 : 0)
        .set("role", p.role).set("error", rec.result.error);
    if (p.aa_pair) row.set("aa_pair", 1);
    if (rec.layout_group >= 0) row.set("layout_group", rec.layout_group);
    if (rec.build >= 0) row.set("build", rec.build);
    if (rec.layout_seed) row.set("layout_seed", hex_seed(rec.layout_seed));
    if (p.python >= 0) {
      const PythonBuild& py = in.plan.pythons[static_cast<size_t>(p.python)];
      row.set("python", py.label).set("gil_enabled", py.gil_enabled ? 1 : 0);
    }
    set_counters(row, p, rec, in.cfg.check_interval);
    set_times(row, p, rec);
  }
  return csv.str();
}

namespace {

std::string timeline_csv(const WriteInput& in) {
  CsvTable tl({"experiment", "strategy", "workload", "workers", "immortal", "gil_mode", "switch_interval_us", "lock_kind",
               "rep", "worker", "kind", "task", "cpu", "t0_s", "t1_s"});
  for (const Record& rec : in.outcome.records) {
    const Point& p = in.plan.points[rec.point];
    for (const Interval& iv : rec.result.timeline) {
      auto& row = tl.add_row();
      row.set("experiment", in.plan.experiment->name).set("strategy", p.strategy->name).set("workload", p.workload)
          .set("workers", p.workers).set("immortal", p.immortal ? 1 : 0).set("gil_mode", p.gil_mode)
          .set("lock_kind", p.lock_kind).set("rep", rec.rep).set("worker", iv.worker).set("kind", kind_name(iv.kind))
          .set("cpu", iv.cpu).set("t0_s", iv.t0, 9).set("t1_s", iv.t1, 9);
      if (p.switch_interval_us) row.set("switch_interval_us", p.switch_interval_us);
      if (iv.task >= 0) row.set("task", iv.task);
    }
  }
  return tl.str();
}

// Long form: one row per (run, bucket). Bucket 0 is the operations that never retried.
std::string cas_hist_csv(const WriteInput& in) {
  CsvTable h({"experiment", "strategy", "workload", "workers", "immortal", "rep", "bucket", "retries_min", "retries_max", "ops"});
  for (const Record& rec : in.outcome.records) {
    const Point& p = in.plan.points[rec.point];
    const RunResult& r = rec.result;
    if (!p.strategy->counts_cas || !rec.delivered) continue;
    for (int b = 0; b < OpStats::kHistBuckets; ++b) {
      auto& row = h.add_row();
      row.set("experiment", in.plan.experiment->name).set("strategy", p.strategy->name).set("workload", p.workload)
          .set("workers", p.workers).set("immortal", p.immortal ? 1 : 0).set("rep", rec.rep).set("bucket", b)
          .set("retries_min", b == 0 ? 0ULL : 1ULL << (b - 1))
          .set("ops", b == 0 ? r.refcount_ops - r.cas_ops_retried : r.cas_hist[static_cast<size_t>(b)]);
      if (b + 1 < OpStats::kHistBuckets) row.set("retries_max", b == 0 ? 0ULL : (1ULL << b) - 1);
    }
  }
  return h.str();
}

// The summary's rows on stdout, and its warnings on stderr.
void print_summary(const CsvFile& s, bool quiet) {
  if (!quiet) std::printf("\n%-56s %5s %10s %22s %7s\n", "point", "runs", "median_s", "speedup [95% CI]", "cv%");
  int warned = 0;
  for (size_t r = 0; r < s.size(); ++r) {
    std::string label = s.at(r, "strategy") + " " + s.at(r, "workload") + " workers=" + s.at(r, "workers");
    for (const char* k : {"implementation", "immortal", "gil_mode", "switch_interval_us", "lock_kind"})
      if (s.has(k) && !s.at(r, k).empty() && s.at(r, k) != "0" && s.at(r, k) != "gillab")
        label += std::string(" ") + (std::string(k) == "immortal" ? "immortal" : s.at(r, k));
    char ci[64] = "";
    if (std::isfinite(s.number(r, "speedup_ci_low")))
      std::snprintf(ci, sizeof ci, "%.3f [%.3f, %.3f]", s.number(r, "speedup_median"), s.number(r, "speedup_ci_low"),
                    s.number(r, "speedup_ci_high"));
    if (!quiet)
      std::printf("%-56s %5s %10.4f %22s %7.2f\n", label.c_str(), s.at(r, "runs_ok").c_str(), s.number(r, "wall_s_median"), ci,
                  s.number(r, "wall_s_cv") * 100);
    if (s.at(r, "warnings").empty()) continue;
    ++warned;
    if (!quiet) std::fprintf(stderr, "gillab: warning: %s: %s\n", label.c_str(), s.at(r, "warnings").c_str());
  }
  if (quiet && warned)
    std::fprintf(stderr, "gillab: warning: %d of %zu points raised warnings (the summary's `warnings` column)\n", warned, s.size());
}

}  // namespace

int write_results(const OutputPaths& paths, WriteInput in, bool quiet) {
  int failures = 0;
  for (const Record& r : in.outcome.records) failures += !r.result.ok;
  nlohmann::json& m = in.manifest;
  m["statistics"] = {{"method", "percentile bootstrap of the median of the paired per-round ratios"},
                     {"resamples", 10000}, {"confidence", 0.95}, {"seed", in.cfg.seed},
                     {"round_order", "shuffled each round with splitmix64 seeded by `seed`"},
                     {"target_precision", in.cfg.precision}, {"rounds", in.outcome.rounds},
                     {"min_rounds", in.cfg.repetitions}, {"max_rounds", in.cfg.max_repetitions},
                     {"budget_s", in.cfg.budget_s}, {"stopped_because", in.outcome.stopped_because}};
  m["results"] = {{"csv", paths.csv}, {"rows", in.outcome.records.size()}, {"failures", failures},
                  {"warmup_runs_per_point", in.cfg.warmup},
                  {"workload", {{"names", in.plan.workloads}, {"difficulty", in.plan.workload.difficulty},
                                {"blocks", in.plan.workload.blocks}}},
                  {"seeds", in.plan.seeds}, {"reference_answers", in.plan.reference}};
  AtomicWriter writer;
  nlohmann::json files = nlohmann::json::object();  // the set, each file by its hash
  auto add = [&](const std::string& path, const std::string& text) {
    writer.stage(path, text);
    files[fs::path(path).filename().string()] = content_hash(text);
  };
  const std::string csv = results_csv(in);
  add(paths.csv, csv);
  if (in.cfg.timeline) {
    add(paths.timeline, timeline_csv(in));
    m["results"]["timeline_csv"] = paths.timeline;
  } else {
    writer.drop(paths.timeline);  // an older set's timeline is not this set's
  }
  bool any_cas = false;
  for (const Record& r : in.outcome.records) any_cas |= in.plan.points[r.point].strategy->counts_cas && r.delivered;
  if (any_cas) {
    add(paths.cas_hist, cas_hist_csv(in));
    m["results"]["cas_hist_csv"] = paths.cas_hist;
  } else {
    writer.drop(paths.cas_hist);
  }
  m["files"] = files;
  const std::string manifest_text = m.dump(2) + "\n";
  writer.stage(paths.json, manifest_text);
  const std::string summary = summarize(CsvFile::parse(csv, paths.csv), manifest_text);
  writer.stage(summary_path_for(paths.csv), summary);
  writer.commit();
  print_summary(CsvFile::parse(summary, "summary"), quiet);
  if (!quiet)
    std::printf("\n%d rounds (%s); wrote %s, %s and its summary (%zu rows, %d failed)\n", in.outcome.rounds,
                in.outcome.stopped_because.c_str(), paths.csv.c_str(), paths.json.c_str(), in.outcome.records.size(), failures);
  return failures;
}

}  // namespace gillab
