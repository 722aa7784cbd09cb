#include "cpython_runner.hpp"

#include <glob.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
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

// Runs a command and returns its standard output, which carries the JSON; standard error
// (Python's warnings, say) goes to a file of its own and is read only to explain a failure.
std::string capture(const std::string& cmd) {
  char err_path[] = "/tmp/gillab-python-stderr-XXXXXX";
  const int fd = mkstemp(err_path);
  if (fd < 0) throw std::runtime_error("cannot make a file for the interpreter's standard error");
  close(fd);
  FILE* p = popen((cmd + " 2>" + quote(err_path)).c_str(), "r");
  if (!p) {
    unlink(err_path);
    throw std::runtime_error("cannot start: " + cmd);
  }
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int st = pclose(p);
  std::string err;
  if (FILE* e = fopen(err_path, "r")) {
    while (size_t n = fread(buf, 1, sizeof buf, e)) err.append(buf, n);
    fclose(e);
  }
  unlink(err_path);
  if (st != 0) {
    const std::string& said = err.empty() ? out : err;
    std::string tail = said.size() > 400 ? said.substr(said.size() - 400) : said;
    throw std::runtime_error("exited with status " + std::to_string(WIFEXITED(st) ? WEXITSTATUS(st) : -1) + ": " + tail);
  }
  return out;
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

nlohmann::json probe_python(const std::string& python) {
  std::string out;
  try {
    out = capture(quote(python) + " " + quote(script()) + " --probe");
    return nlohmann::json::parse(out).at("python");
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot run '" + python + "' " + e.what());
  }
}

std::vector<PythonBuild> probe_pythons(const std::vector<std::string>& pythons) {
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
    b.probe = probe_python(path);
    b.free_threaded = b.probe.value("build", "gil") == "free-threaded";
    b.gil_enabled = b.probe.value("gil_enabled_at_run_time", true);
    b.label = b.probe.value("version", "?") + (b.free_threaded ? "t" : "");
    if (std::any_of(out.begin(), out.end(), [&](const PythonBuild& o) { return o.label == b.label; }))
      throw std::runtime_error("'" + path + "' is Python " + b.label + " again: name each build once");
    out.push_back(b);
  }
  return out;
}

RunResult run_cpython(const RunSpec& spec, const std::string& python, const std::string& mode) {
  std::string seeds;
  for (int64_t s : spec.seeds) {
    if (!seeds.empty()) seeds += ',';
    seeds += std::to_string(s);
  }
  std::string cmd = quote(python) + " " + quote(script()) + " --mode " + mode + " --workers " +
                    std::to_string(spec.workers) + " --seeds " + seeds + " --difficulty " +
                    std::to_string(spec.workload.difficulty) + " --blocks " + std::to_string(spec.workload.blocks) +
                    " --workload " + spec.workload.name;
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
