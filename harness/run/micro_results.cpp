#include "micro_results.hpp"

#include "json_input.hpp"

#include <filesystem>
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

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, sep);) out.push_back(part);
  return out;
}

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
                                   {"cpu_time", JsonKind::Number}, {"run_type", JsonKind::String, false},
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

// The CSV: one row per raw repetition, its name decoded into group, policy, object and argument.
std::string micro_csv(const nlohmann::json& j) {
  // Cycles are estimated from the clock the benchmark library read (no cycle counters here).
  const double mhz = j["context"].value("mhz_per_cpu", 0.0);
  CsvTable csv({"experiment", "benchmark", "group", "policy", "object", "threads", "repetition", "iterations",
                "real_ns", "cpu_ns", "ns_per_op", "cycles_per_op", "cas_retries_per_op", "arg"});
  for (const auto& b : j.at("benchmarks")) {
    if (b.value("run_type", "iteration") != "iteration") continue;  // raw repetitions only
    const std::string name = b.at("run_name").get<std::string>();
    // pair/<policy>/<object>[/real_time][/threads:N], hw/<what>, eval/<what>, gil/handoff/<arg>
    std::vector<std::string> parts = split(name, '/');
    auto& row = csv.add_row();
    const std::string group = parts[0];
    std::string policy = parts.size() > 1 ? parts[1] : "", object, arg;
    if (group == "pair" && parts.size() > 2) object = parts[2];
    if (group == "gil" && parts.size() > 2) arg = parts[2];
    const int threads = b.value("threads", 1);
    const double unit = b.value("time_unit", "ns") == "us" ? 1e3 : b.value("time_unit", "ns") == "ms" ? 1e6 : 1.0;
    const double real = b.at("real_time").get<double>() * unit, cpu = b.at("cpu_time").get<double>() * unit;
    // A pair is two refcount operations; the per-thread cost is the CPU time of one iteration.
    // Manual-time benchmarks (hand-offs) report their own time per event in real_time.
    double per_op = group == "pair" ? cpu / 2 : group == "hw" && policy == "cache-line-handoff" ? real
                    : group == "gil" ? real : cpu;
    if (group == "eval" && b.contains("ns_per_bytecode") && b["ns_per_bytecode"].is_number())
      per_op = b["ns_per_bytecode"].get<double>() * 1e9;  // an inverted rate: seconds per bytecode
    row.set("experiment", "micro").set("benchmark", name).set("group", group).set("policy", policy)
        .set("object", object).set("threads", threads).set("repetition", b.value("repetition_index", 0))
        .set("iterations", b.value("iterations", 0LL)).set("real_ns", real).set("cpu_ns", cpu)
        .set("ns_per_op", per_op).set("arg", arg);
    if (mhz > 0) row.set("cycles_per_op", per_op * mhz / 1000.0);
    if (b.contains("cas_retries_per_pair") && b["cas_retries_per_pair"].is_number()) row.set("cas_retries_per_op", b["cas_retries_per_pair"].get<double>() / 2);
  }
  return csv.str();
}

}  // namespace

std::string convert_micro(const std::string& gbench_json, const std::string& out_dir) {
  const nlohmann::json j = read_gbench(gbench_json);
  const std::string csv_text = micro_csv(j);
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
