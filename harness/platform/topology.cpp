#include "topology.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace gillab {

namespace {

// hwloc's plugins find I/O devices (PCI, OpenCL, GL) and read XML, none of which gillab asks
// for; dlopening them (with libxml2's ICU and X11) was half of a measuring process's start, which
// every run of every point pays (`perf stat gillab __measure SPEC` on the f26m2 VM: 28 ms of
// task-clock with them, 13-14 ms without). Set before the first init; a user's own blacklist wins.
void skip_unused_hwloc_plugins() {
  static const bool once = setenv("HWLOC_PLUGINS_BLACKLIST", "hwloc_pci,hwloc_opencl,hwloc_gl,hwloc_xml_libxml", 0) == 0;
  (void)once;
}

}  // namespace

Topology::Topology(const std::string& description) : synthetic_desc_(description) {
  skip_unused_hwloc_plugins();
  if (hwloc_topology_init(&topo_) != 0) throw std::runtime_error("hwloc could not initialise a topology");
  if (!synthetic_desc_.empty() && hwloc_topology_set_synthetic(topo_, synthetic_desc_.c_str()) != 0) {
    hwloc_topology_destroy(topo_);
    throw std::invalid_argument("topology '" + synthetic_desc_ +
                                "': not an hwloc synthetic description (e.g. \"package:2 core:16 pu:2\")");
  }
  if (hwloc_topology_load(topo_) != 0) {
    hwloc_topology_destroy(topo_);
    throw std::runtime_error("hwloc could not load the machine's topology");
  }
  packages_ = std::max(1, hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_PACKAGE));
  numa_nodes_ = std::max(1, hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_NUMANODE));
  const int ncores = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_CORE);
  std::vector<std::vector<int>> per_core;  // each core's PUs, in logical order
  for (int i = 0; i < ncores; ++i) {
    hwloc_obj_t core = hwloc_get_obj_by_type(topo_, HWLOC_OBJ_CORE, static_cast<unsigned>(i));
    std::vector<int> pus;
    for (int pu = hwloc_bitmap_first(core->cpuset); pu >= 0; pu = hwloc_bitmap_next(core->cpuset, static_cast<unsigned>(pu)))
      pus.push_back(pu);
    if (!pus.empty()) per_core.push_back(pus);
  }
  if (per_core.empty())  // some virtual machines report no cores: each PU its own
    for (int i = 0; i < hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_PU); ++i)
      per_core.push_back({static_cast<int>(hwloc_get_obj_by_type(topo_, HWLOC_OBJ_PU, static_cast<unsigned>(i))->os_index)});
  size_t most = 0;
  for (const auto& c : per_core) {
    core_pus_.push_back(c.front());
    most = std::max(most, c.size());
  }
  for (size_t k = 0; k < most; ++k)  // every core's k-th PU before any core's (k+1)-th
    for (const auto& c : per_core)
      if (k < c.size()) pus_.push_back(c[k]);
  if (synthetic()) {
    cpu_model_ = "synthetic (" + synthetic_desc_ + ")";
    return;
  }
  if (hwloc_obj_t pkg = hwloc_get_obj_by_type(topo_, HWLOC_OBJ_PACKAGE, 0))
    if (const char* m = hwloc_obj_get_info_by_name(pkg, "CPUModel")) cpu_model_ = m;
  if (cpu_model_.empty()) {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("model name", 0) == 0) {
        cpu_model_ = line.substr(line.find(':') + 2);
        break;
      }
  }
}

Topology::Place Topology::place_of(int pu) const {
  Place p;
  if (pu < 0) return p;
  hwloc_obj_t obj = hwloc_get_pu_obj_by_os_index(topo_, static_cast<unsigned>(pu));
  if (!obj) return p;
  if (hwloc_obj_t c = hwloc_get_ancestor_obj_by_type(topo_, HWLOC_OBJ_CORE, obj)) p.core = static_cast<int>(c->logical_index);
  hwloc_obj_t pkg = hwloc_get_ancestor_obj_by_type(topo_, HWLOC_OBJ_PACKAGE, obj);
  p.package = pkg ? static_cast<int>(pkg->logical_index) : 0;
  p.numa = 0;
  for (int i = 0; i < hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_NUMANODE); ++i) {
    hwloc_obj_t node = hwloc_get_obj_by_type(topo_, HWLOC_OBJ_NUMANODE, static_cast<unsigned>(i));
    if (hwloc_bitmap_isset(node->cpuset, static_cast<unsigned>(pu))) {
      p.numa = static_cast<int>(node->logical_index);
      break;
    }
  }
  return p;
}

Topology::~Topology() { hwloc_topology_destroy(topo_); }

std::string Topology::error() const {
  std::lock_guard lk(error_mutex_);
  return error_;
}

std::vector<std::string> Topology::caches() const {
  std::vector<std::string> out;
  const std::pair<hwloc_obj_type_t, const char*> levels[] = {
      {HWLOC_OBJ_L1CACHE, "L1d"}, {HWLOC_OBJ_L2CACHE, "L2"}, {HWLOC_OBJ_L3CACHE, "L3"}};
  for (auto [type, name] : levels) {
    const int n = hwloc_get_nbobjs_by_type(topo_, type);
    if (n <= 0) continue;
    hwloc_obj_t c = hwloc_get_obj_by_type(topo_, type, 0);
    if (!c->attr || c->attr->cache.type == HWLOC_OBJ_CACHE_INSTRUCTION) continue;
    out.push_back(std::string(name) + " " + std::to_string(c->attr->cache.size / 1024) + " KiB x " + std::to_string(n));
  }
  return out;
}

int Topology::pu_for(int worker, PinMode pin) const {
  if (pin == PinMode::None) return -1;
  const std::vector<int>& slots = pin == PinMode::Cores ? core_pus_ : pus_;
  return slots[static_cast<size_t>(worker) % slots.size()];
}

int Topology::bind(int worker, PinMode pin, int flags) {
  int pu = pu_for(worker, pin);
  if (pu < 0) return -1;
  if (synthetic()) {  // a machine on paper: binding would act on this one
    std::lock_guard lk(error_mutex_);
    error_ = "a synthetic topology is planned, never bound to";
    return -1;
  }
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  hwloc_bitmap_only(set, static_cast<unsigned>(pu));
  int rc = hwloc_set_cpubind(topo_, set, flags | HWLOC_CPUBIND_STRICT);
  if (rc != 0) rc = hwloc_set_cpubind(topo_, set, flags);  // STRICT is refused on some kernels
  hwloc_bitmap_free(set);
  if (rc != 0) {
    std::string why = std::string("binding to PU ") + std::to_string(pu) + " failed: " + std::strerror(errno);
    std::lock_guard lk(error_mutex_);
    error_ = std::move(why);
    return -1;
  }
  return pu;
}

int Topology::bind_thread(int worker, PinMode pin) { return bind(worker, pin, HWLOC_CPUBIND_THREAD); }
int Topology::bind_process(int worker, PinMode pin) { return bind(worker, pin, HWLOC_CPUBIND_PROCESS); }

}  // namespace gillab
