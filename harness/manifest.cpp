#include "manifest.hpp"

#include <hwloc.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <fstream>

#include "strategy.hpp"

#ifndef GILLAB_VERSION
#define GILLAB_VERSION "unknown"
#endif
#ifndef GILLAB_CXX_FLAGS
#define GILLAB_CXX_FLAGS ""
#endif
#ifndef GILLAB_BUILD_TYPE
#define GILLAB_BUILD_TYPE ""
#endif
#ifndef GILLAB_SOURCE_DIR
#define GILLAB_SOURCE_DIR "."
#endif

namespace gillab {

BuildInfo build_info() {
  return BuildInfo{GILLAB_VERSION, std::string("g++ ") + __VERSION__, GILLAB_CXX_FLAGS, GILLAB_BUILD_TYPE,
                   GILLAB_SOURCE_DIR};
}

namespace {

std::string run_command(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    std::array<char, 256> buf{};
    while (fgets(buf.data(), buf.size(), p)) out += buf.data();
    if (pclose(p) != 0) return "";
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  return line;
}

std::string hwloc_version() {
  unsigned v = hwloc_get_api_version();
  return std::to_string(v >> 16) + "." + std::to_string((v >> 8) & 0xff) + "." + std::to_string(v & 0xff);
}

}  // namespace

std::string git_commit() {
  std::string dir = build_info().source_dir;
  std::string head = run_command("git -C '" + dir + "' rev-parse HEAD 2>/dev/null");
  if (head.empty()) return "unknown";
  std::string dirty = run_command("git -C '" + dir + "' status --porcelain --untracked-files=no 2>/dev/null");
  return dirty.empty() ? head : head + "+dirty";
}

std::string utc_now_iso() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

nlohmann::json machine_json(const Topology& topo) {
  utsname u{};
  uname(&u);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string governor = read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  std::string boost = read_first_line("/sys/devices/system/cpu/cpufreq/boost");
  std::string no_turbo = read_first_line("/sys/devices/system/cpu/intel_pstate/no_turbo");
  return {{"host", host},
          {"kernel", std::string(u.sysname) + " " + u.release},
          {"arch", u.machine},
          {"cpu_model", topo.cpu_model()},
          {"packages", topo.packages()},
          {"cores", topo.cores()},
          {"pus", topo.pus()},
          {"hwloc", hwloc_version()},
          {"frequency_scaling",
           {{"governor", governor.empty() ? "not readable" : governor},
            {"boost", boost.empty() ? "not readable" : boost},
            {"intel_no_turbo", no_turbo.empty() ? "not readable" : no_turbo}}}};
}

nlohmann::json manifest_json(const Config& cfg, const Experiment& exp, const Topology& topo) {
  BuildInfo b = build_info();
  nlohmann::json bindings = nlohmann::json::object();
  for (PinMode pin : {PinMode::Cores, PinMode::Pus}) {
    nlohmann::json m = nlohmann::json::array();
    int most = 1;
    for (int w : cfg.workers) most = std::max(most, w);
    for (int w = 0; w < most; ++w) m.push_back(topo.pu_for(w, pin));
    bindings[pin_name(pin)] = m;
  }
  return {{"gillab", {{"version", b.version}, {"git_commit", git_commit()}}},
          {"date", utc_now_iso()},
          {"machine", machine_json(topo)},
          {"binding", {{"pin", pin_name(cfg.pin)}, {"worker_to_pu", bindings}}},
          {"build", {{"compiler", b.compiler}, {"flags", b.flags}, {"build_type", b.build_type}}},
          {"experiment", {{"name", exp.name}, {"claim", exp.claim}}},
          {"config", {{"path", cfg.path}, {"text", cfg.text}, {"overrides", cfg.overrides}}}};
}

}  // namespace gillab
