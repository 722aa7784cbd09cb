#include "micro_results.hpp"

#include "json_input.hpp"

#include <filesystem>
#include <map>
#include <fstream>
#include <cctype>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "atomic_file.hpp"
#include "csv_reader.hpp"
#include "csv_writer.hpp"
#include "build_info.hpp"
#include "machine_facts.hpp"
#include "manifest.hpp"
#include "summary.hpp"
#include "topology.hpp"

namespace gillab {

namespace {

// A value that is a bare nan / inf word (after a colon and spaces) becomes null.
std::string nonfinite_to_null(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    out += in[i];
    if (in[i++] != ':') continue;
    size_t j = i;
    while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
    size_t k = j + (j < in.size() && in[j] == '-');
    for (const char* word : {"nan", "NaN", "inf", "Infinity"}) {
      size_t n = std::strlen(word);
      if (in.compare(k, n, word) == 0 && (k + n >= in.size() || !std::isalnum(static_cast<unsigned char>(in[k + n])))) {
        out += " null";
        i = k + n;
        break;
      }
    }
  }
  return out;
}

}  // namespace

// What convert_micro reads of each benchmark, checked before any row is made.
static void check_gbench_shape(const nlohmann::json& j, const std::string& name) {
  check_json_shape(j, {{"context", JsonKind::Object}, {"context.mhz_per_cpu", JsonKind::Number, false},
                       {"benchmarks", JsonKind::Array}},
                   name);
  const std::vector<JsonField> one{{"run_name", JsonKind::String}, {"real_time", JsonKind::Number},
                                   {"cpu_time", JsonKind::Number}, {"run_type", JsonKind::String, false}, {"label", JsonKind::String, false},
                                   {"threads", JsonKind::Integer, false}, {"time_unit", JsonKind::String, false},
                                   {"repetition_index", JsonKind::Integer, false}, {"iterations", JsonKind::Integer, false}};
  size_t i = 0;
  for (const nlohmann::json& b : j["benchmarks"]) check_json_shape(b, one, name + ": benchmarks[" + std::to_string(i++) + "]");
  if (j["benchmarks"].empty()) throw InputError(name + ": key 'benchmarks': empty, expected at least one benchmark");
}

namespace {

// The benchmark JSON, read, NaN-tolerant and shape-checked.
nlohmann::json read_gbench(const std::string& gbench_json) {
  std::ifstream in(gbench_json, std::ios::binary);
  if (!in) throw InputError(gbench_json + ": cannot read it, expected Google Benchmark JSON");
  std::stringstream raw;
  raw << in.rdbuf();
  // Google Benchmark writes NaN and inf as bare words (its stddev of a constant counter),
  // which JSON does not allow: read them as null.
  const nlohmann::json j = parse_json(nonfinite_to_null(raw.str()), gbench_json, "Google Benchmark JSON (--benchmark_out_format=json)");
  check_gbench_shape(j, gbench_json);
  return j;
}

// A benchmark's row fields, from the label experiments/micro gives it (micro_row.hpp there):
// "key=value" words. The harness knows the label's grammar, never what a benchmark's name means.
std::map<std::string, std::string> row_fields(const nlohmann::json& b, const std::string& where) {
  std::map<std::string, std::string> fields;
  std::stringstream words(b.value("label", ""));
  for (std::string word; words >> word;) {
    const size_t eq = word.find('=');
    if (eq == std::string::npos || eq == 0) throw InputError(where + ": key 'label': expected key=value words, got '" + word + "'");
    fields[word.substr(0, eq)] = word.substr(eq + 1);
  }
  if (!fields.count("group"))
    throw InputError(where + ": key 'label': expected gillab's 'group=... per_op=...' (a benchmark of experiments/micro)");
  const std::string per_op = fields.count("per_op") ? fields["per_op"] : "cpu";
  if (per_op != "cpu" && per_op != "real" && per_op != "cpu/2")
    throw InputError(where + ": key 'label': per_op: expected cpu, real or cpu/2, got '" + per_op + "'");
  fields["per_op"] = per_op;
  return fields;
}

double number_or(const nlohmann::json& b, const char* key, double fallback) {
  return b.contains(key) && b[key].is_number() ? b[key].get<double>() : fallback;
}

// The CSV: one row per raw repetition, with the fields its label gives.
std::string micro_csv(const nlohmann::json& j, const std::string& name_of_file) {
  // Cycles are estimated from the clock the benchmark library read (no cycle counters here).
  const double mhz = j["context"].value("mhz_per_cpu", 0.0);
  CsvTable csv({"experiment", "benchmark", "group", "policy", "object", "threads", "repetition", "iterations",
                "real_ns", "cpu_ns", "ns_per_op", "cycles_per_op", "cas_retries_per_op", "arg"});
  size_t index = 0;
  for (const auto& b : j.at("benchmarks")) {
    const std::string where = name_of_file + ": benchmarks[" + std::to_string(index++) + "]";
    if (b.value("run_type", "iteration") != "iteration") continue;  // raw repetitions only
    const std::string name = b.at("run_name").get<std::string>();
    std::map<std::string, std::string> f = row_fields(b, where);
    const double unit = b.value("time_unit", "ns") == "us" ? 1e3 : b.value("time_unit", "ns") == "ms" ? 1e6 : 1.0;
    const double real = b.at("real_time").get<double>() * unit, cpu = b.at("cpu_time").get<double>() * unit;
    const double per_op = b.contains("s_per_op") && b["s_per_op"].is_number() ? b["s_per_op"].get<double>() * 1e9
                          : f["per_op"] == "real" ? real : f["per_op"] == "cpu/2" ? cpu / 2 : cpu;
    auto& row = csv.add_row();
    row.set("experiment", "micro").set("benchmark", name).set("group", f["group"]).set("policy", f["policy"])
        .set("object", f["object"]).set("threads", b.value("threads", 1)).set("repetition", b.value("repetition_index", 0))
        .set("iterations", b.value("iterations", 0LL)).set("real_ns", real).set("cpu_ns", cpu)
        .set("ns_per_op", per_op).set("arg", f["arg"]);
    if (mhz > 0) row.set("cycles_per_op", per_op * mhz / 1000.0);
    if (double r = number_or(b, "cas_retries_per_op", -1); r >= 0) row.set("cas_retries_per_op", r);
  }
  return csv.str();
}

}  // namespace

std::string convert_micro(const std::string& gbench_json, const std::string& out_dir) {
  const nlohmann::json j = read_gbench(gbench_json);
  const std::string csv_text = micro_csv(j, gbench_json);
  namespace fs = std::filesystem;
  fs::create_directories(out_dir);
  const std::string csv_path = (fs::path(out_dir) / "micro.csv").string();
  Topology topo;
  nlohmann::json manifest = {{"gillab", {{"version", build_info().version}, {"git_commit", git_commit()}}},
                             {"date", utc_now_iso()},
                             {"machine", machine_json(topo)},
                             {"build", {{"compiler", build_info().compiler}, {"flags", build_info().flags},
                                        {"build_type", build_info().build_type}}},
                             {"google_benchmark", {{"json", gbench_json}, {"context", j["context"]}}},
                             {"notes", "ns_per_op: CPU time per refcount operation per thread (a pair is two); "
                                       "cycles_per_op: ns_per_op at the clock the benchmark library read (mhz_per_cpu)"}};
  const std::string manifest_text = manifest.dump(2) + "\n";
  AtomicWriter w;
  w.stage(csv_path, csv_text);
  w.stage(fs::path(csv_path).replace_extension(".json").string(), manifest_text);
  w.stage(summary_path_for(csv_path), summarize(CsvFile::parse(csv_text, csv_path), manifest_text));
  w.commit();
  return csv_path;
}

}  // namespace gillab
