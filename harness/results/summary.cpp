#include "summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "atomic_file.hpp"
#include "bootstrap.hpp"
#include "csv_writer.hpp"
#include "manifest_reader.hpp"
#include "statistics.hpp"
#include "usl.hpp"

namespace gillab {

const std::vector<std::string>& summary_key_columns() {
  static const std::vector<std::string> keys{
      "experiment", "implementation", "python", "gil_enabled", "strategy", "workload", "workers", "immortal", "deferred",
      // shared_fraction: results written before the shared loads moved into workload files
      "lock_kind", "gil_mode", "switch_interval_us", "check_interval", "shared_fraction", "role",
      // micro-benchmarks
      "benchmark", "group", "policy", "object", "threads", "arg"};
  return keys;
}

namespace {

// Each with a median and a 95% bootstrap interval, where the raw CSV has the column.
const std::vector<std::string> kIntervals{"wall_s", "speedup", "scaling", "efficiency", "cpu_util", "lost_updates",
                                          "cas_retries_per_op", "cas_ops_long", "biased_queued", "gil_fairness", "mbytecodes_per_s", "ns_per_op"};
// Medians only.
const std::vector<std::string> kMedians{"cpu_s", "ideal_speedup", "startup_s", "premature_zero", "gil_switches", "lock_contended", "container_contended", "refcount_ops",
                                        "bytecodes", "biased_merges", "cycles_per_op"};
// Counted whether or not the run's answers were right: a lost update is the race's result.
bool counts_failed_runs(const std::string& m) { return m == "lost_updates" || m == "premature_zero"; }

struct Context {
  std::string machine, date;
  int cores = 0;
  double capacity = NAN;   // the machine's measured parallel speedup at `capacity_workers`
  int capacity_workers = 0;
  double precision = NAN;  // the config's target
  BootstrapParams boot;
};

Context read_manifest(const std::string& text, const std::string& name) {
  Context c;
  if (text.empty()) return c;
  const nlohmann::json m = parse_manifest(text, name);  // the fields read below are checked there
  c.cores = m["machine"]["cores"].get<int>();
  // No commas: gnuplot splits quoted CSV fields at them.
  c.machine = m["machine"]["cpu_model"].get<std::string>() + " (" + std::to_string(c.cores) + " cores)";
  std::replace(c.machine.begin(), c.machine.end(), ',', ';');
  c.date = m["date"].get<std::string>().substr(0, 10);
  if (m.contains("capacity")) {
    c.capacity = m["capacity"].value("speedup", NAN);
    c.capacity_workers = m["capacity"].value("workers", 0);
  }
  if (m.contains("statistics")) {
    const auto& s = m["statistics"];
    c.boot.seed = s.value("seed", uint64_t{1});
    c.boot.resamples = s.value("resamples", 10000);
    c.boot.confidence = s.value("confidence", 0.95);
    c.precision = s.value("target_precision", NAN);
  }
  return c;
}

std::vector<std::string> summary_columns(const CsvFile& raw, const std::vector<std::string>& keys) {
  std::vector<std::string> cols = keys;
  for (const char* c : {"runs", "runs_ok", "tasks", "oversubscribed", "cores", "capacity", "machine", "date"}) cols.push_back(c);
  if (raw.has("aa_pair")) cols.push_back("aa_pair");
  for (const std::string& m : kIntervals) {
    if (!raw.has(m)) continue;
    for (const char* s : {"_median", "_ci_low", "_ci_high"}) cols.push_back(m + s);
    if (m == "wall_s" || m == "speedup")
      for (const char* s : {"_q1", "_q3", "_min", "_max"}) cols.push_back(m + s);
  }
  if (raw.has("speedup")) {
    for (const char* s : {"_median", "_ci_low", "_ci_high"}) cols.push_back(std::string("efficiency_vs_capacity") + s);
  }
  if (raw.has("layout_group") || raw.has("build")) cols.push_back("layout_share");
  for (const char* c : {"precision", "target_precision", "wall_s_cv", "outliers", "short_runs", "slow_rounds",
                        "tasks_per_s_median", "warnings"})
    cols.push_back(c);
  for (const std::string& m : kMedians)
    if (raw.has(m)) cols.push_back(m + "_median");
  for (const char* m : {"lost_updates", "cas_retries_max"})
    if (raw.has(m)) cols.push_back(std::string(m) + "_max");
  if (raw.has("speedup") && raw.has("workers"))
    for (const char* c : {"usl_a", "usl_sigma", "usl_sigma_ci_low", "usl_sigma_ci_high", "usl_kappa", "usl_kappa_ci_low",
                          "usl_kappa_ci_high", "usl_note"})
      cols.push_back(c);
  return cols;
}

// The USL fit of each series (the points that differ only in workers), written into every
// row of the series: the figure draws the curve and prints the parameters from these columns.
void fit_series(const CsvFile& raw, const std::vector<std::string>& keys, const std::vector<std::vector<std::string>>& order,
                const std::map<std::vector<std::string>, std::vector<size_t>>& groups, const Context& ctx, CsvTable& out) {
  const size_t wi = static_cast<size_t>(std::find(keys.begin(), keys.end(), "workers") - keys.begin());
  std::map<std::vector<std::string>, std::map<int, std::vector<double>>> series;
  for (const auto& key : order) {
    std::vector<std::string> skey = key;
    skey.erase(skey.begin() + static_cast<long>(wi));
    char* end = nullptr;
    const long workers = std::strtol(key[wi].c_str(), &end, 10);
    if (key[wi].empty() || *end != '\0') continue;  // no worker count: not a point of any series
    auto& runs = series[skey][static_cast<int>(workers)];
    for (size_t r : groups.at(key))
      if (raw.at(r, "result_ok") == "1")
        if (const double x = raw.number(r, "speedup"); std::isfinite(x)) runs.push_back(x);
  }
  std::map<std::vector<std::string>, UslFit> fits;
  for (const auto& [skey, runs] : series) {
    std::string name = "usl";
    for (const std::string& k : skey) name += ";" + k;
    BootstrapParams b = ctx.boot;
    b.seed = stream_seed(ctx.boot.seed, name);
    fits[skey] = ctx.cores ? fit_usl(runs, ctx.cores, b) : UslFit{NAN, {}, {}, "no manifest: the cores are not known"};
  }
  for (size_t i = 0; i < order.size(); ++i) {
    std::vector<std::string> skey = order[i];
    skey.erase(skey.begin() + static_cast<long>(wi));
    const UslFit& f = fits[skey];
    auto& row = out.rows()[i];
    row.set("usl_note", f.note);
    if (!std::isfinite(f.a)) continue;
    row.set("usl_a", f.a, 4).set("usl_sigma", f.sigma.estimate, 4).set("usl_sigma_ci_low", f.sigma.low, 4)
        .set("usl_sigma_ci_high", f.sigma.high, 4).set("usl_kappa", f.kappa.estimate, 4)
        .set("usl_kappa_ci_low", f.kappa.low, 4).set("usl_kappa_ci_high", f.kappa.high, 4);
  }
}

// One point's statistics into its summary row.
void summarize_point(const CsvFile& raw, const std::vector<size_t>& rows, const Context& ctx, const std::string& name,
                     CsvTable::Row& row) {
  std::vector<size_t> ok;
  for (size_t r : rows)
    if (!raw.has("result_ok") || raw.at(r, "result_ok") == "1") ok.push_back(r);
  auto values = [&](const std::string& col, const std::vector<size_t>& which) {
    std::vector<double> v;
    for (size_t r : which)
      if (double x = raw.number(r, col); std::isfinite(x)) v.push_back(x);
    return v;
  };
  row.set("runs", static_cast<long long>(rows.size())).set("runs_ok", static_cast<long long>(ok.size()));
  for (const char* c : {"tasks", "oversubscribed", "aa_pair"})
    if (raw.has(c)) row.set(c, raw.at(rows[0], c));
  if (ctx.cores) row.set("cores", ctx.cores);
  row.set("machine", ctx.machine).set("date", ctx.date);
  const double workers = raw.has("workers") ? raw.number(rows[0], "workers") : NAN;
  // The most this point could gain on this machine: its workers, the measured capacity, or
  // what its tasks allow on its workers (the ideal: makespan.hpp), whichever is least.
  double cap = std::isfinite(workers) && std::isfinite(ctx.capacity) ? std::min(workers, ctx.capacity) : NAN;
  if (raw.has("ideal_speedup"))
    if (const std::vector<double> ideal = values("ideal_speedup", ok); !ideal.empty() && std::isfinite(cap))
      cap = std::min(cap, quantile(ideal, 0.5));
  row.set("capacity", cap, 4);

  // Runs measured by one build (where several builds measured), else runs that shared a layout
  // draw, are one group: the interval resamples groups, then runs.
  auto group_of = [&](size_t r) {
    if (raw.has("build") && !raw.at(r, "build").empty()) return "build" + raw.at(r, "build");
    if (raw.has("layout_group") && !raw.at(r, "layout_group").empty()) return "layout" + raw.at(r, "layout_group");
    return "run" + std::to_string(r);
  };
  auto grouped = [&](const std::string& col, const std::vector<size_t>& which) {
    std::map<std::string, std::vector<double>> by;
    for (size_t r : which)
      if (double x = raw.number(r, col); std::isfinite(x)) by[group_of(r)].push_back(x);
    std::vector<std::vector<double>> out;
    for (auto& [g, v] : by) out.push_back(std::move(v));
    return out;
  };
  std::map<std::string, Estimate> ci;
  for (const std::string& m : kIntervals) {
    if (!raw.has(m)) continue;
    std::vector<double> v = values(m, counts_failed_runs(m) ? rows : ok);
    BootstrapParams b = ctx.boot;
    b.seed = stream_seed(ctx.boot.seed, name + "/" + m);
    Estimate e = bootstrap_median_grouped(grouped(m, counts_failed_runs(m) ? rows : ok), b);
    ci[m] = e;
    row.set(m + "_median", e.estimate).set(m + "_ci_low", e.low).set(m + "_ci_high", e.high);
    if ((m == "wall_s" || m == "speedup") && !v.empty())
      row.set(m + "_q1", quantile(v, 0.25)).set(m + "_q3", quantile(v, 0.75))
          .set(m + "_min", *std::min_element(v.begin(), v.end())).set(m + "_max", *std::max_element(v.begin(), v.end()));
  }
  if (ci.count("speedup") && std::isfinite(cap))
    row.set("efficiency_vs_capacity_median", ci["speedup"].estimate / cap)
        .set("efficiency_vs_capacity_ci_low", ci["speedup"].low / cap)
        .set("efficiency_vs_capacity_ci_high", ci["speedup"].high / cap);

  // Precision reached: of the ratio where there is one to a baseline, else of the time.
  const bool is_own_baseline = ci.count("speedup") && ci["speedup"].low == 1 && ci["speedup"].high == 1;
  const std::string prec_metric = ci.count("speedup") && !is_own_baseline ? "speedup" : ci.count("wall_s") ? "wall_s" : "ns_per_op";
  const Estimate prec = ci.count(prec_metric) ? ci[prec_metric] : Estimate{};
  row.set("precision", prec.relative_half_width(), 4).set("target_precision", ctx.precision);
  if ((raw.has("layout_group") || raw.has("build")) && raw.has(prec_metric)) {  // of the log, so that the share is of relative spread
    std::vector<std::vector<double>> logs = grouped(prec_metric, ok);
    for (auto& g : logs)
      for (double& x : g) x = std::log(x);
    row.set("layout_share", between_group_share(logs), 3);
  }

  std::vector<std::string> warnings;
  std::vector<double> walls = raw.has("wall_s") ? values("wall_s", ok) : std::vector<double>{};
  Summary s = summarize_values(walls);
  const int outliers = tukey_outliers(walls);
  const auto short_runs = std::count_if(walls.begin(), walls.end(), [](double w) { return w < 0.05; });
  row.set("wall_s_cv", s.cv, 4).set("outliers", outliers).set("short_runs", static_cast<long long>(short_runs));
  if (raw.has("slow_round")) {
    long long slow = 0;
    for (size_t r : rows) slow += raw.at(r, "slow_round") == "1";
    row.set("slow_rounds", slow);
    if (slow) warnings.push_back(std::to_string(slow) + " run(s) in rounds where the machine slowed");
  }
  if (s.cv >= 0.10) warnings.push_back("CV " + std::to_string(static_cast<int>(std::lround(s.cv * 100))) + "%");
  if (outliers) warnings.push_back(std::to_string(outliers) + " outlier(s) by Tukey's fences (kept)");
  if (short_runs) warnings.push_back(std::to_string(short_runs) + " run(s) under 50 ms");
  // From n runs the widest interval a median's bootstrap can give, [min, max], covers the true
  // median with probability 1 - 2^(1-n): under 95% up to 5 runs (93.75%), whatever it says.
  const int n = static_cast<int>(walls.size());
  if (const double widest_covers = 1 - std::ldexp(1.0, 1 - n); n >= 2 && widest_covers < 0.95) {
    char pct[16];
    std::snprintf(pct, sizeof pct, "%g", 100 * widest_covers);
    warnings.push_back("only " + std::to_string(n) + " runs: the 95% interval of a median covers at most " + pct + "% from so few");
  }
  if (std::isfinite(ctx.precision) && ctx.precision > 0 && prec.relative_half_width() > ctx.precision)
    warnings.push_back("interval wider than the target precision");
  // One worker may beat serial (immortal objects skip writes); parallel gains beyond the
  // machine's capacity are a measurement fault.
  if (ci.count("speedup") && std::isfinite(cap) && workers > 1 && ci["speedup"].low > cap)
    warnings.push_back("speedup above the machine's measured capacity");
  std::string w;
  for (auto& x : warnings) w += (w.empty() ? "" : "; ") + x;
  row.set("warnings", w);
  if (!walls.empty() && raw.has("tasks")) row.set("tasks_per_s_median", raw.number(rows[0], "tasks") / s.median);
  for (const std::string& m : kMedians)
    if (raw.has(m)) row.set(m + "_median", quantile(values(m, counts_failed_runs(m) ? rows : ok), 0.5));
  for (const char* m : {"lost_updates", "cas_retries_max"}) {
    if (!raw.has(m)) continue;
    std::vector<double> v = values(m, rows);
    if (!v.empty()) row.set(std::string(m) + "_max", *std::max_element(v.begin(), v.end()), 12);
  }
}

}  // namespace

std::string summarize(const CsvFile& raw, const std::string& manifest_text, const std::string& manifest_name) {
  const Context ctx = read_manifest(manifest_text, manifest_name);
  std::vector<std::string> keys;
  for (const std::string& k : summary_key_columns())
    if (raw.has(k)) keys.push_back(k);
  CsvTable out(summary_columns(raw, keys));

  // Points in the order they first appear.
  std::vector<std::vector<std::string>> order;
  std::map<std::vector<std::string>, std::vector<size_t>> groups;
  for (size_t r = 0; r < raw.size(); ++r) {
    std::vector<std::string> key;
    for (const std::string& k : keys) key.push_back(raw.at(r, k));
    if (!groups.count(key)) order.push_back(key);
    groups[key].push_back(r);
  }
  for (const auto& key : order) {
    auto& row = out.add_row();
    std::string name;
    for (size_t i = 0; i < keys.size(); ++i) {
      row.set(keys[i], key[i]);
      name += keys[i] + "=" + key[i] + ";";
    }
    summarize_point(raw, groups[key], ctx, name, row);
  }
  if (raw.has("speedup") && raw.has("workers") && raw.has("result_ok")) fit_series(raw, keys, order, groups, ctx, out);
  return out.str();
}

std::string summary_path_for(const std::string& csv_path) {
  std::filesystem::path p(csv_path);
  return (p.parent_path() / ("summary-" + p.filename().string())).string();
}

std::string summary_of(const std::string& csv_path) {
  const std::string dir = std::filesystem::path(csv_path).parent_path().string();
  std::string manifest;
  const std::string json = std::filesystem::path(csv_path).replace_extension(".json").string();
  if (std::ifstream in(json, std::ios::binary); in) {
    std::stringstream s;
    s << in.rdbuf();
    manifest = s.str();
    if (std::string bad = check_result_set(parse_manifest(manifest, json), dir.empty() ? "." : dir); !bad.empty())
      throw InputError(csv_path + ": " + bad);
  }
  return summarize(CsvFile::read(csv_path), manifest, json);
}

std::string write_summary(const std::string& csv_path) {
  recover_commits(std::filesystem::path(csv_path).parent_path().string());  // a set a kill left half-renamed is finished first
  const std::string text = summary_of(csv_path);
  std::string out_path = summary_path_for(csv_path);
  AtomicWriter w;
  w.stage(out_path, text);
  w.commit();
  return out_path;
}

}  // namespace gillab
