#include "manifest.hpp"

#include "machine_name.hpp"

#include <hwloc.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "atomic_file.hpp"
#include "build_stamp.hpp"
#include "json_input.hpp"
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

// The hypervisor, if any: the CPUID hypervisor bit as /proc/cpuinfo shows it, and its vendor
// where /sys says.
std::string virtualization() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  bool hv = false;
  while (std::getline(in, line))
    if (line.rfind("flags", 0) == 0) {
      hv = line.find(" hypervisor") != std::string::npos;
      break;
    }
  if (!hv) return "none detected";
  std::string type = read_first_line("/sys/hypervisor/type");
  std::string vendor = read_first_line("/sys/class/dmi/id/sys_vendor");
  return "virtual machine" + (type.empty() ? "" : " (" + type + ")") + (vendor.empty() ? "" : ", " + vendor);
}

}  // namespace

std::string git_commit_hash() { return GILLAB_GIT_COMMIT; }
bool git_dirty() { return GILLAB_GIT_DIRTY; }
std::string git_commit() { return git_commit_hash() + (git_dirty() ? "+dirty" : ""); }

namespace {

// What summarize, report and compare read of a manifest.
const std::vector<JsonField> kManifestShape{
    {"date", JsonKind::String},
    {"machine", JsonKind::Object},
    {"machine.cpu_model", JsonKind::String},
    {"machine.cores", JsonKind::Integer},
    {"machine.pus", JsonKind::Integer, false},
    {"machine.kernel", JsonKind::String, false},
    {"machine.host", JsonKind::String, false},
    {"machine.virtualization", JsonKind::String, false},
    {"gillab", JsonKind::Object, false},
    {"gillab.git_commit", JsonKind::String, false},
    {"gillab.dirty", JsonKind::Boolean, false},
    {"build", JsonKind::Object, false},
    {"build.compiler", JsonKind::String, false},
    {"build.build_type", JsonKind::String, false},
    {"build.flags", JsonKind::String, false},
    {"capacity", JsonKind::Object, false},
    {"capacity.speedup", JsonKind::Number, false},
    {"capacity.workers", JsonKind::Integer, false},
    {"statistics", JsonKind::Object, false},
    {"statistics.seed", JsonKind::Integer, false},
    {"statistics.resamples", JsonKind::Integer, false},
    {"statistics.confidence", JsonKind::Number, false},
    {"statistics.target_precision", JsonKind::Number, false},
    {"python", JsonKind::Object, false},
    {"python.version", JsonKind::String, false},
    {"python.build", JsonKind::String, false},
    {"python.gil_enabled_at_run_time", JsonKind::Boolean, false},
    {"files", JsonKind::Object, false},
};

}  // namespace

nlohmann::json parse_manifest(const std::string& text, const std::string& name) {
  nlohmann::json m = parse_json(text, name, "a gillab manifest");
  check_json_shape(m, kManifestShape, name);
  if (m.contains("files"))
    for (auto& [file, hash] : m["files"].items())
      if (!hash.is_string()) throw InputError(name + ": key 'files." + file + "': expected a content hash (a string)");
  return m;
}

nlohmann::json read_manifest_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read it, expected a gillab manifest");
  std::stringstream s;
  s << in.rdbuf();
  return parse_manifest(s.str(), path);
}

std::string check_result_set(const nlohmann::json& manifest, const std::string& dir) {
  if (!manifest.contains("files")) return "";
  for (auto& [name, hash] : manifest["files"].items()) {
    std::ifstream in(std::filesystem::path(dir) / name, std::ios::binary);
    if (!in) return name + " is missing from its set";
    std::stringstream s;
    s << in.rdbuf();
    if (content_hash(s.str()) != hash.get<std::string>()) return name + " does not match its manifest";
  }
  return "";
}

nlohmann::json load_average() {
  std::ifstream in("/proc/loadavg");
  double a = 0, b = 0, c = 0;
  if (!(in >> a >> b >> c)) return nlohmann::json::array();
  return {a, b, c};
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
  std::string smt = read_first_line("/sys/devices/system/cpu/smt/active");
  std::string aslr = read_first_line("/proc/sys/kernel/randomize_va_space");
  return {{"name", machine_name(topo)},
          {"host", host},
          {"kernel", std::string(u.sysname) + " " + u.release},
          {"arch", u.machine},
          {"cpu_model", topo.cpu_model()},
          {"packages", topo.packages()},
          {"cores", topo.cores()},
          {"pus", topo.pus()},
          {"hwloc", hwloc_version()},
          {"smt", {{"active", smt.empty() ? "not readable" : smt}, {"pus_per_core", topo.cores() ? topo.pus() / topo.cores() : 0}}},
          {"aslr", aslr.empty() ? "not readable" : aslr + (aslr == "0" ? " (off)" : aslr == "2" ? " (full)" : "")},
          {"virtualization", virtualization()},
          {"caches", topo.caches()},
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
  return {{"gillab", {{"version", b.version}, {"git_commit", git_commit_hash()}, {"dirty", git_dirty()}}},
          {"date", utc_now_iso()},
          {"machine", machine_json(topo)},
          {"binding", {{"pin", pin_name(cfg.pin)}, {"worker_to_pu", bindings}}},
          {"build", {{"compiler", b.compiler}, {"flags", b.flags}, {"build_type", b.build_type}}},
          {"experiment", {{"name", exp.name}, {"claim", exp.claim}}},
          {"config", {{"path", cfg.path}, {"text", cfg.text}, {"overrides", cfg.overrides}}}};
}

}  // namespace gillab
