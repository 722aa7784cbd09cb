#pragma once
// What a manifest records of the machine: hwloc's view (packages, cores, PUs, caches), the
// kernel, the hypervisor, SMT, ASLR and frequency scaling as /proc and /sys show them, and the
// load at the time.
#include <nlohmann/json.hpp>

#include "topology.hpp"

namespace gillab {

nlohmann::json machine_json(const Topology& topo);
// /proc/loadavg's 1, 5 and 15 minute figures (empty where unreadable).
nlohmann::json load_average();

}  // namespace gillab
