#pragma once
// A manifest read back (summarize, report, compare): parsed, and every field a reader relies
// on checked for its kind, so a truncated or reshaped file is one line of InputError naming it.
#include <nlohmann/json.hpp>
#include <string>

namespace gillab {

nlohmann::json read_manifest_file(const std::string& path);
nlohmann::json parse_manifest(const std::string& text, const std::string& name);
// Whether the files a manifest names (its "files": name -> content_hash) are the ones beside
// it: "" when they are (or it names none: older results), else which is not.
std::string check_result_set(const nlohmann::json& manifest, const std::string& dir);

}  // namespace gillab
