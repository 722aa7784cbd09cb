#include "manifest_reader.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "atomic_file.hpp"
#include "json_input.hpp"

namespace gillab {

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

}  // namespace gillab
