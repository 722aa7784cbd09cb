#pragma once
// The provenance written beside every CSV: what was run, how, where, by which build.
#include <nlohmann/json.hpp>
#include <string>

#include "config.hpp"
#include "experiment.hpp"
#include "topology.hpp"

namespace gillab {

struct BuildInfo {
  std::string version, compiler, flags, build_type, source_dir;
};
BuildInfo build_info();

// git commit of the source tree the binary was built from, "+dirty" when it has changes;
// "unknown" outside a git checkout.
std::string git_commit();

nlohmann::json machine_json(const Topology& topo);
nlohmann::json manifest_json(const Config& cfg, const Experiment& exp, const Topology& topo);

std::string utc_now_iso();

}  // namespace gillab
