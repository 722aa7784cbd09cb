#pragma once
// The provenance written beside every CSV: what was run, how, where, by which build.
#include <nlohmann/json.hpp>

#include "config.hpp"
#include "experiment.hpp"
#include "topology.hpp"

namespace gillab {

nlohmann::json manifest_json(const Config& cfg, const Experiment& exp, const Topology& topo);

}  // namespace gillab
