#include "cpython_runner.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>

#ifndef GILLAB_SOURCE_DIR
#define GILLAB_SOURCE_DIR "."
#endif

namespace gillab {

namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string script() { return std::string(GILLAB_SOURCE_DIR) + "/experiments/cpython/run_tasks.py"; }

// Runs a command, returns its standard output; throws with its exit status on failure.
std::string capture(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("cannot start: " + cmd);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int st = pclose(p);
  if (st != 0) {
    std::string tail = out.size() > 400 ? out.substr(out.size() - 400) : out;
    throw std::runtime_error("exited with status " + std::to_string(WIFEXITED(st) ? WEXITSTATUS(st) : -1) + ": " + tail);
  }
  return out;
}

}  // namespace

std::string cpython_mode(const std::string& strategy, const nlohmann::json& probe) {
  const bool free_threaded = probe.value("build", "gil") == "free-threaded" && !probe.value("gil_enabled_at_run_time", true);
  if (strategy == "serial") return "serial";
  if (strategy == "processes") return "processes";
  if (strategy == "gil" && !free_threaded) return "threads";
  if (strategy == "biased" && free_threaded) return "threads";
  return "";
}

nlohmann::json probe_python(const std::string& python) {
  std::string out;
  try {
    out = capture(quote(python) + " " + quote(script()) + " --probe");
    return nlohmann::json::parse(out).at("python");
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot run '" + python + "' " + e.what());
  }
}

RunResult run_cpython(const RunSpec& spec, const std::string& python, const std::string& mode) {
  std::string seeds;
  for (int64_t s : spec.seeds) {
    if (!seeds.empty()) seeds += ',';
    seeds += std::to_string(s);
  }
  std::string cmd = quote(python) + " " + quote(script()) + " --mode " + mode + " --workers " +
                    std::to_string(spec.workers) + " --seeds " + seeds + " --difficulty " +
                    std::to_string(spec.workload.difficulty) + " --blocks " + std::to_string(spec.workload.blocks);
  if (mode == "threads") cmd += " --switch-interval-us " + std::to_string(spec.gil.switch_interval_us);
  nlohmann::json j = nlohmann::json::parse(capture(cmd));
  RunResult r;
  r.ok = true;
  r.answers = j.at("answers").get<std::vector<int64_t>>();
  r.wall_s = j.at("wall_s").get<double>();
  r.cpu_s = j.at("cpu_s").get<double>();
  return r;
}

}  // namespace gillab
