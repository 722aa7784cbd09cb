#include "manifest.hpp"

#include "build_info.hpp"
#include "machine_facts.hpp"

namespace gillab {

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
