#pragma once
// A stable name for a machine, the folder its results live in (results/<name>/): the CPU model,
// its family and model numbers (two EPYC generations share the brand string "AMD EPYC" and
// differ threefold in `lock xadd`), the physical cores and the host name, e.g.
// "amd-epyc-f25m17-2c-vm". GILLAB_MACHINE, if set, names the machine instead.
#include <string>

#include "topology.hpp"

namespace gillab {

// Lower case, every run of other characters one '-', none at either end: "AMD EPYC 7B13" ->
// "amd-epyc-7b13".
std::string slug(const std::string& text);

// "f25m17" from /proc/cpuinfo's `cpu family` and `model` (x86), "" where it has none.
std::string cpu_family_model();

// Throws std::invalid_argument when GILLAB_MACHINE is set to something that is not a slug.
std::string machine_name(const Topology& topo);

}  // namespace gillab
