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

// The git commit of the source tree the binary was built from, baked in at build time, with
// "+dirty" when a tracked source differed (results/ and plots/out/ do not count); "unknown"
// outside a git checkout.
std::string git_commit();
std::string git_commit_hash();  // without "+dirty"
bool git_dirty();

// /proc/loadavg's 1, 5 and 15 minute figures (empty where unreadable).
nlohmann::json load_average();

nlohmann::json machine_json(const Topology& topo);
nlohmann::json manifest_json(const Config& cfg, const Experiment& exp, const Topology& topo);

std::string utc_now_iso();

// A manifest read back (summarize, report, compare): parsed, and every field a reader relies
// on checked for its kind, so a truncated or reshaped file is one line of InputError naming it.
nlohmann::json read_manifest_file(const std::string& path);
nlohmann::json parse_manifest(const std::string& text, const std::string& name);

// Whether the files a manifest names (its "files": name -> content_hash) are the ones beside
// it: "" when they are (or it names none: older results), else which is not.
std::string check_result_set(const nlohmann::json& manifest, const std::string& dir);

}  // namespace gillab
