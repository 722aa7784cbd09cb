#include "summary.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "atomic_file.hpp"
#include "csv_writer.hpp"
#include "statistics.hpp"

namespace gillab {

namespace {

// What tells one point from another, where the raw CSV has the column.
const std::vector<std::string> kKeys{"experiment", "implementation", "strategy", "workload", "workers", "immortal",
                                     "lock_kind", "gil_mode", "switch_interval_us", "check_interval", "shared_fraction",
                                     "benchmark", "group", "policy", "object", "threads", "arg"};

// Medians (and for some, the max) of these, over the repetitions.
const std::vector<std::string> kMedians{"cpu_s", "efficiency", "lost_updates", "premature_zero", "cas_retries_per_op",
                                        "gil_switches", "lock_contended", "refcount_ops", "bytecodes",
                                        "mbytecodes_per_s", "ns_per_op", "cycles_per_op"};

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace

std::string summarize(const CsvFile& raw, const std::string& manifest_text) {
  std::string machine, date;
  int cores = 0;
  if (!manifest_text.empty()) {
    auto m = nlohmann::json::parse(manifest_text);
    cores = m["machine"]["cores"].get<int>();
    // No commas: gnuplot splits quoted CSV fields at them.
    machine = m["machine"]["cpu_model"].get<std::string>() + " (" + std::to_string(cores) + " cores)";
    std::replace(machine.begin(), machine.end(), ',', ';');
    date = m["date"].get<std::string>().substr(0, 10);
  }
  std::vector<std::string> keys;
  for (const std::string& k : kKeys)
    if (raw.has(k)) keys.push_back(k);

  std::vector<std::string> cols = keys;
  for (const char* c : {"runs", "runs_ok", "tasks", "oversubscribed", "cores", "machine", "date"}) cols.push_back(c);
  for (const char* m : {"wall_s", "speedup"})
    for (const char* s : {"_median", "_q1", "_q3", "_min", "_max"}) cols.push_back(std::string(m) + s);
  cols.push_back("wall_s_cv");
  cols.push_back("tasks_per_s_median");
  for (const std::string& m : kMedians)
    if (raw.has(m)) cols.push_back(m + "_median");
  for (const char* m : {"lost_updates", "cas_retries_max"})
    if (raw.has(m)) cols.push_back(std::string(m) + "_max");
  CsvTable out(cols);

  // Points in the order they first appear, which is the order they ran.
  std::vector<std::vector<std::string>> order;
  std::map<std::vector<std::string>, std::vector<size_t>> groups;
  for (size_t r = 0; r < raw.size(); ++r) {
    std::vector<std::string> key;
    for (const std::string& k : keys) key.push_back(raw.at(r, k));
    if (!groups.count(key)) order.push_back(key);
    groups[key].push_back(r);
  }
  for (const auto& key : order) {
    const auto& rows = groups[key];
    auto& row = out.add_row();
    for (size_t i = 0; i < keys.size(); ++i) row.set(keys[i], key[i]);
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
    if (raw.has("tasks")) row.set("tasks", raw.at(rows[0], "tasks"));
    if (raw.has("oversubscribed")) row.set("oversubscribed", raw.at(rows[0], "oversubscribed"));
    if (cores) row.set("cores", cores);
    row.set("machine", machine).set("date", date);
    for (const char* m : {"wall_s", "speedup"}) {
      if (!raw.has(m)) continue;
      std::vector<double> v = values(m, ok);
      std::string b = m;
      row.set(b + "_median", quantile(v, 0.5)).set(b + "_q1", quantile(v, 0.25)).set(b + "_q3", quantile(v, 0.75));
      if (!v.empty()) {
        row.set(b + "_min", *std::min_element(v.begin(), v.end()))
            .set(b + "_max", *std::max_element(v.begin(), v.end()));
      }
    }
    std::vector<double> walls = raw.has("wall_s") ? values("wall_s", ok) : std::vector<double>{};
    if (!walls.empty()) {
      row.set("wall_s_cv", summarize_values(walls).cv);
      if (raw.has("tasks")) row.set("tasks_per_s_median", raw.number(rows[0], "tasks") / quantile(walls, 0.5));
    }
    for (const std::string& m : kMedians) {
      if (!raw.has(m)) continue;
      // Lost updates are measured whether or not the run's answers were right.
      row.set(m + "_median", quantile(values(m, m == "lost_updates" || m == "premature_zero" ? rows : ok), 0.5));
    }
    for (const char* m : {"lost_updates", "cas_retries_max"}) {
      if (!raw.has(m)) continue;
      std::vector<double> v = values(m, rows);
      if (!v.empty()) row.set(std::string(m) + "_max", *std::max_element(v.begin(), v.end()), 12);
    }
  }
  return out.str();
}

std::string summary_path_for(const std::string& csv_path) {
  std::filesystem::path p(csv_path);
  return (p.parent_path() / ("summary-" + p.filename().string())).string();
}

std::string write_summary(const std::string& csv_path) {
  CsvFile raw = CsvFile::read(csv_path);
  std::string manifest;
  std::filesystem::path json = std::filesystem::path(csv_path).replace_extension(".json");
  if (std::ifstream in(json); in) {
    std::stringstream s;
    s << in.rdbuf();
    manifest = s.str();
  }
  std::string out_path = summary_path_for(csv_path);
  AtomicWriter w;
  w.stage(out_path, summarize(raw, manifest));
  w.commit();
  return out_path;
}

}  // namespace gillab
