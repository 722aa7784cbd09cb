#pragma once
// A run's configuration: every key, its default, its range, and the parser that reads YAML
// config files (yaml-cpp: `key: value`, sections as mappings, lists in flow, block or comma
// form, `#` comments, quoted scalars) into the Boost.Program_options key registry, the one
// place for keys, defaults and ranges. Any fault reads file:line:column: key: what was expected.
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "gil.hpp"
#include "input_error.hpp"
#include "pin_mode.hpp"
#include "workloads.hpp"

namespace gillab {

// A fault in the user's config: the CLI prints it and exits 2, having written nothing.
struct ConfigError : InputError {
  using InputError::InputError;
};

struct Config {
  // Where it came from.
  std::string path;  // the config file
  std::string name;  // its stem: results/<name>.csv
  std::string text;  // its full text, for the manifest
  std::vector<std::string> overrides;  // the --set key=value items, in order
  std::map<std::string, std::string> origin;  // key -> "file:line:column" or "--set"
  // "file:line:column: key 'k'" for a message about a key checked after parsing (names of
  // experiments and strategies, which the parser cannot know).
  std::string where(const std::string& key) const;

  // [run]
  std::string experiment = "speedup";
  std::vector<std::string> strategies;  // empty: the experiment's own list
  int tasks = 4;
  std::vector<int> workers{1, 2, 4};
  bool workers_auto = false;  // `workers: auto`: resolve_workers() fills `workers` for a machine
  int repetitions = 5;       // rounds at least
  int max_repetitions = 30;  // rounds at most
  double precision = 0.03;   // target relative half-width of each point's 95% interval
  double budget_s = 120;     // no new round starts after this long
  int warmup = 1;
  PinMode pin = PinMode::Cores;
  double timeout_s = 60;
  int64_t seed = 1;
  bool aa = true;  // A/A points (plan.cpp)
  // [layout] (layout.hpp)
  bool layout_randomized = true;
  unsigned layout_factors = 15;  // every factor: exec, env, arena, stacks
  int runs_per_layout = 1;
  int64_t layout_seed = 0;  // 0 in the file: `seed` (the parser resolves it)
  std::vector<bool> immortal{false};
  std::vector<bool> deferred{false};
  std::vector<std::string> implementations{"gillab"};
  // Points the sweep leaves out: each filter names values per column (strategy, workload,
  // workers, immortal, deferred, implementation; booleans as 1/0), and a point matching every
  // column of one filter is not planned. Serial and A/A points always stay: they are baselines.
  std::vector<std::map<std::string, std::vector<std::string>>> exclude;
  // [workload]
  std::vector<std::string> workloads;  // empty: the experiment's own
  WorkloadParams workload;  // difficulty, blocks (its name comes from workloads)
  double run_s = 0;         // >0: blocks calibrated so a serial run lasts about this (run_length.hpp)
  // [gil]
  std::vector<std::string> gil_mode{"new"};
  std::vector<int> switch_interval_us{kDefaultSwitchIntervalUs};
  int check_interval = 100;
  // [locks]
  std::vector<std::string> lock_kind{"mutex"};
  // [output]
  std::string output;  // CSV path; empty: results/<name>.csv
  bool timeline = false;
  std::vector<std::string> pythons{"python3"};  // globs expanded by the planner (cpython_runner)
};

// One documented key, for --help and for the parser.
// One key: its section, default, what a value must be, and help, declared once. A numeric
// key's range is lo..hi, and its `expected` prose is written from them (ranged()).
struct KeyDoc {
  std::string section, key, default_value, expected, help;
  double lo = 0, hi = 0;  // a numeric key's range; lo == hi: not numeric
};
const std::vector<KeyDoc>& config_keys();
std::string config_help();  // every key, its default and its range

// s with control bytes and bytes that are not well-formed UTF-8 written as \xNN: every
// message that echoes the user's input goes through it.
std::string escape_bytes(const std::string& s);

// Reads and validates a config file (a regular, non-empty text file of at most 1 MiB and
// 10,000 lines), then applies `--set key=value` overrides (which win).
// Throws ConfigError naming file, line and key.
Config load_config(const std::string& path, const std::vector<std::string>& overrides);
// The same from text already in memory (tests); `path` is used in messages only.
Config parse_config(const std::string& text, const std::string& path,
                    const std::vector<std::string>& overrides);

// `workers: auto` on a machine of `cores` cores: 1, 2, 4, ... below the cores, the cores, then
// twice the cores once (e.g. 1, 2, 4, 8, 16, 32 for 16 cores; 1, 2, 4 for 2).
std::vector<int> auto_workers(int cores);
// The config with `workers: auto` resolved for `cores` (unchanged otherwise).
Config resolve_workers(Config c, int cores);

}  // namespace gillab
