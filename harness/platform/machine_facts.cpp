#include "machine_facts.hpp"

#include <hwloc.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>

#include "machine_name.hpp"

namespace gillab {

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

nlohmann::json load_average() {
  std::ifstream in("/proc/loadavg");
  double a = 0, b = 0, c = 0;
  if (!(in >> a >> b >> c)) return nlohmann::json::array();
  return {a, b, c};
}

}  // namespace gillab
