#pragma once
// How workers are bound to the machine: one per physical core, one per PU (SMT siblings
// after every core's first PU), or not at all. The config names it; the topology obeys it.
namespace gillab {

enum class PinMode { Cores, Pus, None };

inline const char* pin_name(PinMode p) {
  switch (p) {
    case PinMode::Cores: return "cores";
    case PinMode::Pus: return "pus";
    default: return "none";
  }
}

}  // namespace gillab
