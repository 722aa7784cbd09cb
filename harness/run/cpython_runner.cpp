#include "cpython_runner.hpp"

#include <glob.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <map>
#include <stdexcept>

#include "build_info.hpp"
#include "json_input.hpp"
#include "program.hpp"
#include "topology.hpp"
#include "workload_files.hpp"

namespace gillab {

namespace {

const std::vector<JsonField> kProbeShape{{"python", JsonKind::Object},
                                         {"python.version", JsonKind::String},
                                         {"python.build", JsonKind::String},
                                         {"python.gil_enabled_at_run_time", JsonKind::Boolean}};
const std::vector<JsonField> kTasksShape{
    {"answers", JsonKind::Array}, {"wall_s", JsonKind::Number}, {"cpu_s", JsonKind::Number}};

// What the program printed, as JSON of the shape expected; else a ProgramError naming it.
nlohmann::json json_from(const std::string& python, const std::string& doing, const std::string& out,
                         const std::vector<JsonField>& shape) {
  const std::string who = "'" + python + "' (" + doing + ")";
  try {
    nlohmann::json j = parse_json(out, who + " printed", "run_tasks.py's JSON");
    check_json_shape(j, shape, who + " printed");
    return j;
  } catch (const InputError& e) {
    throw ProgramError(e.what());
  }
}

// Probes are made once per path and gillab process: a suite plans each config twice (its
// estimate, then its run) and several configs name the same Pythons.
std::map<std::string, nlohmann::json>& probe_cache() {
  static std::map<std::string, nlohmann::json> cache;
  return cache;
}

}  // namespace

std::string cpython_mode(const std::string& strategy, const PythonBuild& py) {
  const bool free_threaded = py.free_threaded && !py.gil_enabled;
  if (strategy == "serial") return "serial";
  if (strategy == "processes") return "processes";
  if (strategy == "gil" && !free_threaded) return "threads";
  if (strategy == "biased" && free_threaded) return "threads";
  return "";
}

nlohmann::json probe_python(const std::string& python, double limit_s) {
  if (auto it = probe_cache().find(python); it != probe_cache().end()) return it->second;
  const std::string doing = "probing its version and build";
  const std::string out = program_output({python, cpython_task_script(), "--probe"}, std::min(limit_s, kProbeLimitS), doing);
  nlohmann::json probe = json_from(python, doing, out, kProbeShape).at("python");
  return probe_cache()[python] = probe;
}

std::vector<PythonBuild> probe_pythons(const std::vector<std::string>& pythons, double limit_s) {
  std::vector<std::string> paths;
  for (const std::string& p : pythons) {
    if (p.find_first_of("*?[") == std::string::npos) {
      paths.push_back(p);
      continue;
    }
    glob_t g{};
    if (glob(p.c_str(), 0, nullptr, &g) == 0)
      for (size_t i = 0; i < g.gl_pathc; ++i) paths.push_back(g.gl_pathv[i]);  // glob sorts them
    globfree(&g);
  }
  std::vector<PythonBuild> out;
  for (const std::string& path : paths) {
    PythonBuild b;
    b.path = path;
    b.probe = probe_python(path, limit_s);
    b.free_threaded = b.probe.value("build", "gil") == "free-threaded";
    b.gil_enabled = b.probe.value("gil_enabled_at_run_time", true);
    b.label = b.probe.value("version", "?") + (b.free_threaded ? "t" : "");
    if (std::any_of(out.begin(), out.end(), [&](const PythonBuild& o) { return o.label == b.label; }))
      throw std::runtime_error("'" + path + "' is Python " + b.label + " again: name each build once");
    out.push_back(b);
  }
  return out;
}

namespace {

// Per worker (serial's one), the PU run_tasks.py pins it to: pu_for(i), as the model's worker i;
// all -1 for a pool's processes or without pinning.
std::vector<int> cpython_pus(const RunSpec& spec, const std::string& mode) {
  std::vector<int> pus(static_cast<size_t>(mode == "serial" ? 1 : spec.workers), -1);
  if (!spec.topo || spec.topo->synthetic() || spec.pin == PinMode::None || mode == "processes") return pus;
  for (size_t w = 0; w < pus.size(); ++w) pus[w] = spec.topo->pu_for(static_cast<int>(w), spec.pin);
  if (std::find(pus.begin(), pus.end(), -1) != pus.end()) std::fill(pus.begin(), pus.end(), -1);
  return pus;
}

}  // namespace

RunResult run_cpython(const RunSpec& spec, const std::string& python, const std::string& mode, double limit_s) {
  std::string seeds;
  for (int64_t s : spec.seeds) {
    if (!seeds.empty()) seeds += ',';
    seeds += std::to_string(s);
  }
  std::vector<std::string> argv{python, cpython_task_script(), "--mode", mode, "--workers", std::to_string(spec.workers), "--seeds", seeds,
                                "--difficulty", std::to_string(spec.workload.difficulty), "--blocks",
                                std::to_string(spec.workload.blocks), "--workload-file",
                                workload_path(spec.workload.name)};
  if (mode == "threads") {
    argv.push_back("--switch-interval-us");
    argv.push_back(std::to_string(spec.gil.switch_interval_us));
  }
  const std::vector<int> pus = cpython_pus(spec, mode);
  if (!pus.empty() && pus.front() >= 0) {
    std::string list;
    for (int pu : pus) {
      if (!list.empty()) list += ',';
      list += std::to_string(pu);
    }
    argv.insert(argv.end(), {"--cpus", list});
  }
  const std::string doing = "running " + spec.workload.name + " in " + mode + " at " + std::to_string(spec.workers) +
                            (spec.workers == 1 ? " worker" : " workers");
  const nlohmann::json j = json_from(python, doing, program_output(argv, limit_s, doing), kTasksShape);
  RunResult r;
  r.ok = true;
  for (const nlohmann::json& a : j["answers"]) {
    if (!a.is_number_integer()) throw ProgramError("'" + python + "' (" + doing + ") printed: key 'answers': expected integers");
    r.answers.push_back(a.get<int64_t>());
  }
  r.wall_s = j["wall_s"].is_number() ? j["wall_s"].get<double>() : NAN;
  r.cpu_s = j["cpu_s"].is_number() ? j["cpu_s"].get<double>() : NAN;
  if (!(r.wall_s > 0)) throw ProgramError("'" + python + "' (" + doing + ") printed: key 'wall_s': expected a positive time");
  // Where the workers ran, as run_tasks.py found its threads bound (a Python file older than
  // --cpus prints none: unbound).
  r.bound_pus.assign(pus.size(), -1);
  if (j.contains("bound_cpus") && j["bound_cpus"].is_array() && j["bound_cpus"].size() == pus.size())
    for (size_t w = 0; w < pus.size(); ++w)
      if (j["bound_cpus"][w].is_number_integer()) r.bound_pus[w] = j["bound_cpus"][w].get<int>();
  return r;
}

}  // namespace gillab
