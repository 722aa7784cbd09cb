#include "config.hpp"

#include <functional>

#include "layout.hpp"
#include "workload_files.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <yaml-cpp/yaml.h>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <type_traits>
#include <functional>
#include <fstream>
#include <set>
#include <sstream>

namespace po = boost::program_options;

namespace gillab {

namespace {
// A numeric key: its range once, the prose of what it expects written from it.
KeyDoc ranged(const char* section, const char* key, std::string default_value, const char* kind, double lo, double hi,
              const char* help, const char* suffix = "") {
  auto num = [](double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.10g", v);
    return std::string(b);
  };
  return {section, key, std::move(default_value), std::string(kind) + " " + num(lo) + ".." + num(hi) + suffix, help, lo, hi};
}

// A default as --help shows it, read from a default-constructed Config: the struct's
// initialisers are the one home of every default.
std::string shown(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}
std::string shown(int v) { return std::to_string(v); }
std::string shown(int64_t v) { return std::to_string(v); }
std::string shown(bool b) { return b ? "true" : "false"; }
std::string shown(const std::string& s) { return s; }
// A list as a file would write it: "a, b"; one value bare; integers in brackets when several.
template <class T>
std::string shown(const std::vector<T>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s.append(i ? ", " : "").append(shown(static_cast<T>(v[i])));
  return std::is_same_v<T, int> && v.size() > 1 ? std::string("[").append(s).append("]") : s;
}
}  // namespace

const std::vector<KeyDoc>& config_keys() {
  static const Config d;  // the defaults
  static const std::vector<KeyDoc> keys{
      {"run", "experiment", d.experiment, "a registered experiment (gillab list)", "what is measured: names the claim, default strategies and workload"},
      {"run", "strategies", "(the experiment's)", "list of strategies (gillab list)", "strategies to run; serial always runs as the baseline"},
      ranged("run", "tasks", shown(d.tasks), "integer", 1, 100000, "calls of the slow function per run (the essay's 4)"),
      ranged("run", "workers", shown(d.workers), "list of integers", 1, 1024, "threads or processes per run; more than the cores is allowed and flagged. auto: 1, 2, 4, ... up to the cores, the cores, and twice the cores once", ", or auto"),
      ranged("run", "repetitions", shown(d.repetitions), "integer", 1, 1000, "measured rounds at least: every point runs once a round; every run is a CSV row"),
      ranged("run", "max_repetitions", shown(d.max_repetitions), "integer", 1, 1000, "rounds at most: rounds go on while a point's interval is wider than `precision`"),
      ranged("run", "precision", shown(d.precision), "number", 0, 1, "target half-width of each point's 95% interval, relative to its median (0: always max_repetitions)"),
      ranged("run", "budget_s", shown(d.budget_s), "number", 0, 86400, "no new round starts after this many seconds; the summary says which points fell short"),
      ranged("run", "warmup", shown(d.warmup), "integer", 0, 100, "unrecorded runs of every point before the measured ones"),
      {"run", "pin", pin_name(d.pin), "cores | pus | none", "bind worker i to physical core i (its first PU), to PU i, or not at all (hwloc)"},
      ranged("run", "timeout_s", shown(d.timeout_s), "number", 0.1, 86400, "watchdog: a model run still going after this is killed and recorded as failed; a CPython run past it stops the config (exit 2)"),
      ranged("run", "seed", shown(d.seed), "integer", 0, static_cast<double>(kMaxSeed), "task i works on seed + i; also seeds the shuffled round order and the bootstrap"),
      {"run", "immortal", shown(d.immortal), "list of true | false", "make shared objects immortal (PEP 683); `false, true` runs both"},
      {"run", "deferred", shown(d.deferred), "list of true | false", "defer the eval stack's references to functions and module globals (CPython 3.14t's deferred refcounting); `false, true` runs both"},
      {"run", "implementation", shown(d.implementations), "list of gillab | cpython", "gillab's interpreter, and/or the same tasks in real CPython (`python`): serial, threads, processes"},
      {"run", "exclude", "[]", "list of filters 'column=value[|value...] ...' over strategy, workload, workers, immortal, deferred, implementation", "points the sweep leaves out (those no claim or figure reads): a point matching every column of a filter is not planned; serial and A/A points stay"},
      {"run", "aa", shown(d.aa), "true | false", "A/A points: the same code by two routes at one worker (serial again, gil, processes, interpreters against serial), whose ratios must be 1; REPORT.md's noise floor"},
      {"layout", "layout", d.layout_randomized ? "randomized" : "fixed", "randomized | fixed", "randomized: each run draws its memory layout (harness/layout.hpp), so layout is variance, not a bias; fixed: every run inherits the parent's"},
      {"layout", "layout_factors", "[exec, env, arena, stacks]", "list of exec | env | arena | stacks", "what a randomized layout draws: a fresh exec'd process (ASLR), environment padding, the object arena's offset, the stacks' offsets"},
      ranged("layout", "layout_seed", shown(d.layout_seed), "integer", 0, static_cast<double>(kMaxSeed), "seeds the layout draws (0: `seed`); another value draws other layouts for the same tasks (make reproduce)"),
      ranged("layout", "runs_per_layout", shown(d.runs_per_layout), "integer", 1, 1000, "consecutive rounds that share one layout draw. 1: every run its own layout (the intervals carry layout variance at no cost in precision); 2+: the summary's levels are layouts, then runs, and layout_share says how much of the spread is the layout's"),
      {"workload", "workload", "(the experiment's)", "list of workload files: a stem in workloads/ (gillab list) or a path to a .py file", "the Python files whose task(seed, difficulty, blocks) each run runs, on the model and in CPython alike: pow, the proof-of-work chain; shared and shared_all, the same with loads of shared globals; handoff, pow with each block's tuple swapped through a shared mailbox; the ftscalingbench loops"},
      ranged("workload", "difficulty", shown(d.workload.difficulty), "integer", 0, 30, "low zero bits each block's hash must have (2^difficulty tries a block)"),
      ranged("workload", "blocks", shown(d.workload.blocks), "integer", 1, 10000000, "proofs chained in one task: the task's length"),
      ranged("workload", "run_s", shown(d.run_s), "number", 0, 3600, "0: blocks as given. Above 0: before anything runs, blocks is calibrated so that the first workload's serial run on the model (all tasks in a row) lasts about this many seconds; every point then does that work (the manifest's `calibration` says what was measured)"),
      {"gil", "gil_mode", shown(d.gil_mode), "list of new | old", "new: CPython 3.2+ (switch interval, drop request, forced switching); old: pre-3.2 ticks"},
      ranged("gil", "switch_interval_us", shown(d.switch_interval_us), "list of integers", 1, 10000000, "new GIL: how long a waiter waits before it asks for the lock (sys.setswitchinterval)"),
      ranged("gil", "check_interval", shown(d.check_interval), "integer", 1, 1000000, "old GIL: bytecodes between releases (sys.setcheckinterval)"),
      {"locks", "lock_kind", shown(d.lock_kind), "list of mutex | spinlock | striped-mutex | striped-spinlock", "refcount-lock: the lock in each object header, or a striped table of them"},
      {"output", "output", "results/<machine>/<config>.csv", "a file path", "the CSV; its manifest is the same path with .json (<machine>: `gillab machine`)"},
      {"output", "timeline", shown(d.timeline), "true | false", "also write timeline-<config>.csv beside the CSV: who ran on which CPU when"},
      {"output", "python", shown(d.pythons), "list of executables (globs allowed)", "the Pythons that experiments/cpython runs, each a sweep value (e.g. [python3, \"build/cpython/*/bin/python3\"] after `make cpython`; a glob that matches nothing adds none)"},
  };
  return keys;
}

std::string config_help() {
  std::ostringstream out;
  std::string section;
  for (const KeyDoc& k : config_keys()) {
    if (k.section != section) {
      section = k.section;
      out << "\n" << section << ":\n";
    }
    out << "  " << k.key << ": " << k.default_value << "\n      " << k.help << "\n      expects: "
        << k.expected << "\n";
  }
  return out.str();
}

namespace {

std::string trim(std::string s) {
  auto sp = [](unsigned char c) { return std::isspace(c); };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), sp));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), sp).base(), s.end());
  return s;
}

std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  std::stringstream ss(v);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(trim(item));
  return out;
}

const KeyDoc* find_key(const std::string& key) {
  for (const KeyDoc& k : config_keys())
    if (k.key == key) return &k;
  return nullptr;
}

// The closest known key, for "did you mean".
std::string suggest(const std::string& key) {
  std::string best;
  size_t best_d = 3;
  for (const KeyDoc& k : config_keys()) {
    const std::string& a = key;
    const std::string& b = k.key;
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      std::swap(prev, cur);
    }
    if (prev[b.size()] < best_d) best_d = prev[b.size()], best = b;
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

// One `key: value` of the config, with where it was written ("file:line:column" or "--set").
struct Entry {
  std::string key, value, where;
};

struct Parser {
  std::string path;
  std::map<std::string, std::string> origin;  // key -> "file:line:column" or "--set"

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    auto it = origin.find(key);
    std::string where = it == origin.end() ? path : it->second;
    throw ConfigError(where + ": key '" + key + "': " + what);
  }
  [[noreturn]] void expected(const std::string& key, const std::string& got) const {
    fail(key, "expected " + find_key(key)->expected + ", got '" + got + "'");
  }

  std::string where(const YAML::Node& n) const {
    return path + ":" + std::to_string(n.Mark().line + 1) + ":" + std::to_string(n.Mark().column + 1);
  }

  // A key's YAML value as the registry's string: a scalar as written, a list (flow or block)
  // as its items joined with commas, so that `[1, 2]`, a block list and `1, 2` read alike.
  std::string value_of(const std::string& key, const YAML::Node& v, const std::string& at) const {
    const std::string expect = " (expected " + find_key(key)->expected + ")";
    if (v.IsScalar()) return trim(v.Scalar());
    if (v.IsMap()) throw ConfigError(at + ": key '" + key + "': a mapping, not a value" + expect);
    if (!v.IsSequence()) return "";
    std::string joined;
    for (const YAML::Node& item : v) {
      if (!item.IsScalar())
        throw ConfigError(where(item) + ": key '" + key + "': a list of plain values, not of lists or mappings" + expect);
      if (item.Scalar().find(',') != std::string::npos)
        throw ConfigError(where(item) + ": key '" + key + "': a list item may not contain ',', got '" + item.Scalar() + "'");
      joined += (joined.empty() ? "" : ", ") + trim(item.Scalar());
    }
    return joined;
  }

  void add(std::vector<Entry>& out, const std::string& key, const std::string& section, const YAML::Node& k,
           const YAML::Node& v) {
    const std::string at = where(k);
    const KeyDoc* doc = find_key(key);
    if (!doc && key == "shared_fraction")
      throw ConfigError(at + ": key 'shared_fraction' is gone: the shared loads are in the workload's file now "
                             "(workload: shared reads 5 of mix()'s 9 constants from globals, shared_all all 9)");
    if (!doc) throw ConfigError(at + ": unknown key '" + key + "'" + suggest(key) + "; `gillab --help` lists every key");
    if (!section.empty() && doc->section != section)
      throw ConfigError(at + ": key '" + key + "' belongs in section '" + doc->section + "', not '" + section + "'");
    std::string value = value_of(key, v, at);
    if (value.empty()) throw ConfigError(at + ": key '" + key + "': no value (expected " + doc->expected + ")");
    if (auto prev = origin.find(key); prev != origin.end() && prev->second != "--set")
      throw ConfigError(at + ": key '" + key + "' given twice (first at " + prev->second + ")");
    if (!origin.count(key)) origin[key] = at;
    out.push_back({key, value, at});
  }

  // The YAML text -> its entries, every key checked. Keys sit at the top level or under a
  // section mapping (`run:`, `workload:`, ...), as `gillab --help` groups them.
  std::vector<Entry> entries(const std::string& text) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      throw ConfigError(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                        ": not valid YAML: " + e.msg);
    }
    std::vector<Entry> out;
    if (root.IsNull()) return out;  // only comments: every default
    if (!root.IsMap())
      throw ConfigError(where(root) + ": expected a YAML mapping of `key: value` lines (sections as `run:` "
                        "with the keys indented under it); `gillab --help` lists every key");
    std::set<std::string> sections;
    for (const KeyDoc& k : config_keys()) sections.insert(k.section);
    for (const auto& kv : root) {
      const YAML::Node& k = kv.first;
      if (!k.IsScalar()) throw ConfigError(where(k) + ": a key must be a plain name");
      const std::string name = k.Scalar();
      // `workload` names a section and a key: a mapping (or nothing) under it is the section.
      const bool is_section = sections.count(name) && (kv.second.IsMap() || kv.second.IsNull());
      if (sections.count(name) && !is_section && !find_key(name))
        throw ConfigError(where(k) + ": section '" + name + "' expects its keys indented under it (`key: value`)");
      if (!is_section) {
        add(out, name, "", k, kv.second);
        continue;
      }
      for (const auto& inner : kv.second) {
        if (!inner.first.IsScalar()) throw ConfigError(where(inner.first) + ": a key must be a plain name");
        add(out, inner.first.Scalar(), name, inner.first, inner.second);
      }
    }
    return out;
  }
};

po::options_description options() {
  po::options_description desc;
  for (const KeyDoc& k : config_keys()) desc.add_options()(k.key.c_str(), po::value<std::string>(), k.help.c_str());
  return desc;
}

}  // namespace

namespace {

// One `exclude` filter: "strategy=gil|atomic immortal=true" -> {strategy: [gil, atomic], immortal: [1]}
// (`|` between values: a list's items are already split at commas).
std::map<std::string, std::vector<std::string>> exclude_filter(const std::string& text,
                                                               const std::function<void(const std::string&)>& fail) {
  static const std::set<std::string> columns{"strategy", "workload", "workers", "immortal", "deferred", "implementation"};
  std::map<std::string, std::vector<std::string>> f;
  // Appends, not operator+: g++ 12 gives a false -Wrestrict on chains of string + "literal".
  auto bad = [&](const char* what, const std::string& got) {
    fail(std::string("filter '").append(text).append("': ").append(what).append(", got '").append(got).append("'"));
  };
  std::istringstream words(text);
  for (std::string w; words >> w;) {
    const size_t eq = w.find('=');
    const std::string col = w.substr(0, eq);
    if (eq == std::string::npos || eq + 1 == w.size() || !columns.count(col))
      bad("expected column=value[|value...] with a column of strategy, workload, workers, immortal, deferred, implementation", w);
    std::string v;
    for (std::istringstream vs(w.substr(eq + 1)); std::getline(vs, v, '|');) {
      if (col == "immortal" || col == "deferred") {
        if (v != "true" && v != "false") bad("expected true or false", v);
        f[col].emplace_back(1, v == "true" ? '1' : '0');
        continue;
      }
      f[col].push_back(v);
    }
  }
  if (f.empty()) fail("an empty filter");
  return f;
}

}  // namespace

Config parse_config(const std::string& text, const std::string& path,
                    const std::vector<std::string>& overrides) {
  Parser p{path, {}};
  po::options_description desc = options();
  po::variables_map vm;

  // --set first: Boost keeps the first value stored, so overrides win over the file. Of
  // several --set of one key the last wins, as on any command line.
  std::vector<std::string> args;
  std::vector<std::string> last;
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    const std::string key = trim(it->substr(0, it->find('=')));
    if (std::none_of(last.begin(), last.end(), [&](const std::string& o) { return trim(o.substr(0, o.find('='))) == key; }))
      last.insert(last.begin(), *it);
  }
  for (const std::string& o : last) {
    size_t eq = o.find('=');
    if (eq == std::string::npos) throw ConfigError("--set " + o + ": expected key=value");
    std::string key = trim(o.substr(0, eq)), value = trim(o.substr(eq + 1));
    if (!find_key(key)) throw ConfigError("--set " + o + ": unknown key '" + key + "'" + suggest(key));
    if (!value.empty() && value.front() == '[') {  // a YAML flow list, as in the file
      try {
        value = p.value_of(key, YAML::Load(value), "--set");
      } catch (const YAML::Exception& e) {
        throw ConfigError("--set " + o + ": not a YAML list: " + e.msg);
      }
    }
    if (value.empty()) throw ConfigError("--set " + o + ": key '" + key + "': no value");
    p.origin[key] = "--set";
    args.push_back("--" + key + "=" + value);
  }
  std::vector<std::string> file_args;
  for (const Entry& e : p.entries(text)) file_args.push_back("--" + e.key + "=" + e.value);
  try {
    // As long options, not a Boost config file, so that a value may hold '#'.
    const int style = po::command_line_style::long_allow_adjacent | po::command_line_style::allow_long;
    po::store(po::command_line_parser(args).options(desc).style(style).run(), vm);
    po::store(po::command_line_parser(file_args).options(desc).style(style).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw ConfigError(path + ": " + e.what());  // the entries were checked: Boost should agree
  }

  Config c;
  c.path = path;
  c.text = text;
  c.overrides = overrides;
  std::string stem = path.substr(path.find_last_of('/') + 1);
  c.name = stem.substr(0, stem.rfind('.'));

  auto has = [&](const char* k) { return vm.count(k) > 0; };
  auto str = [&](const char* k) { return vm[k].as<std::string>(); };
  // Numeric keys are checked against the range their declaration gives (config_keys()).
  auto integer = [&](const char* k, const std::string& v) -> int64_t {
    const KeyDoc* d = find_key(k);
    const auto lo = static_cast<long long>(d->lo), hi = static_cast<long long>(d->hi);
    errno = 0;
    char* end = nullptr;
    long long x = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE || x < lo || x > hi) p.expected(k, v);
    return x;
  };
  auto number = [&](const char* k, const std::string& v) -> double {
    const KeyDoc* d = find_key(k);
    const double lo = d->lo, hi = d->hi;
    char* end = nullptr;
    double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !std::isfinite(x) || x < lo || x > hi) p.expected(k, v);
    return x;
  };
  auto boolean = [&](const char* k, const std::string& v) -> bool {
    std::string l = v;
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (l == "true" || l == "yes" || l == "on" || l == "1") return true;
    if (l == "false" || l == "no" || l == "off" || l == "0") return false;
    p.expected(k, v);
  };
  auto one_of = [&](const char* k, const std::string& v, std::initializer_list<const char*> allowed) {
    for (const char* a : allowed)
      if (v == a) return v;
    p.expected(k, v);
  };
  auto list = [&](const char* k) {
    std::vector<std::string> items = split_list(str(k));
    for (auto& i : items)
      if (i.empty()) p.fail(k, "an empty item in the list '" + str(k) + "'");
    std::set<std::string> seen;
    for (auto& i : items)
      if (!seen.insert(i).second) p.fail(k, "'" + i + "' listed twice");
    return items;
  };

  if (has("experiment")) c.experiment = str("experiment");
  if (has("strategies")) c.strategies = list("strategies");
  if (has("tasks")) c.tasks = static_cast<int>(integer("tasks", str("tasks")));
  if (has("workers")) {
    c.workers.clear();
    c.workers_auto = str("workers") == "auto";
    if (!c.workers_auto)
      for (auto& w : list("workers")) c.workers.push_back(static_cast<int>(integer("workers", w)));
  }
  if (has("repetitions")) c.repetitions = static_cast<int>(integer("repetitions", str("repetitions")));
  if (has("max_repetitions"))
    c.max_repetitions = static_cast<int>(integer("max_repetitions", str("max_repetitions")));
  if (has("precision")) c.precision = number("precision", str("precision"));
  if (has("budget_s")) c.budget_s = number("budget_s", str("budget_s"));
  if (has("run_s")) c.run_s = number("run_s", str("run_s"));
  if (c.max_repetitions < c.repetitions) {
    if (has("max_repetitions")) p.fail("max_repetitions", "expected at least `repetitions` (" + std::to_string(c.repetitions) + "), got " + std::to_string(c.max_repetitions));
    c.max_repetitions = c.repetitions;
  }
  if (has("warmup")) c.warmup = static_cast<int>(integer("warmup", str("warmup")));
  if (has("pin")) {
    std::string v = one_of("pin", str("pin"), {"cores", "pus", "none"});
    c.pin = v == "cores" ? PinMode::Cores : v == "pus" ? PinMode::Pus : PinMode::None;
  }
  if (has("timeout_s")) c.timeout_s = number("timeout_s", str("timeout_s"));
  if (has("seed")) c.seed = integer("seed", str("seed"));
  if (has("aa")) c.aa = boolean("aa", str("aa"));
  if (has("layout")) c.layout_randomized = one_of("layout", str("layout"), {"randomized", "fixed"}) == "randomized";
  if (has("layout_factors")) {
    std::vector<std::string> names;
    for (auto& v : list("layout_factors")) names.push_back(one_of("layout_factors", v, {"exec", "env", "arena", "stacks"}));
    c.layout_factors = parse_layout_factors(names);
  }
  if (has("layout_seed")) c.layout_seed = integer("layout_seed", str("layout_seed"));
  if (c.layout_seed == 0) c.layout_seed = c.seed;  // 0: the config's seed (after every --set)
  if (has("runs_per_layout")) c.runs_per_layout = static_cast<int>(integer("runs_per_layout", str("runs_per_layout")));
  if (has("immortal")) {
    c.immortal.clear();
    for (auto& v : list("immortal")) c.immortal.push_back(boolean("immortal", v));
  }
  if (has("deferred")) {
    c.deferred.clear();
    for (auto& v : list("deferred")) c.deferred.push_back(boolean("deferred", v));
  }
  if (has("exclude"))
    for (auto& f : list("exclude")) c.exclude.push_back(exclude_filter(f, [&](const std::string& why) { p.fail("exclude", why); }));
  if (has("implementation")) {
    c.implementations.clear();
    for (auto& v : list("implementation")) c.implementations.push_back(one_of("implementation", v, {"gillab", "cpython"}));
  }
  if (has("workload"))
    for (auto& v : list("workload")) {
      if (!workload_exists(v)) p.expected("workload", v);  // the file is compiled (and refused) when planned
      c.workloads.push_back(v);
    }
  if (has("difficulty")) c.workload.difficulty = static_cast<int>(integer("difficulty", str("difficulty")));
  if (has("blocks")) c.workload.blocks = static_cast<int>(integer("blocks", str("blocks")));
  if (has("gil_mode")) {
    c.gil_mode.clear();
    for (auto& v : list("gil_mode")) c.gil_mode.push_back(one_of("gil_mode", v, {"new", "old"}));
  }
  if (has("switch_interval_us")) {
    c.switch_interval_us.clear();
    for (auto& v : list("switch_interval_us"))
      c.switch_interval_us.push_back(static_cast<int>(integer("switch_interval_us", v)));
  }
  if (has("check_interval")) c.check_interval = static_cast<int>(integer("check_interval", str("check_interval")));
  if (has("lock_kind")) {
    c.lock_kind.clear();
    for (auto& v : list("lock_kind"))
      c.lock_kind.push_back(one_of("lock_kind", v, {"mutex", "spinlock", "striped-mutex", "striped-spinlock"}));
  }
  if (has("output")) c.output = str("output");
  if (has("timeline")) c.timeline = boolean("timeline", str("timeline"));
  if (has("python")) c.pythons = list("python");
  c.origin = p.origin;
  return c;
}

namespace {

// A config is a small text file: these catch a directory, a binary, a runaway generator.
constexpr size_t kMaxConfigBytes = 1 << 20, kMaxConfigLines = 10000;

void check_text(const std::string& text, const std::string& path) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw ConfigError(path + ": the config is empty");
  if (text.size() > kMaxConfigBytes)
    throw ConfigError(path + ": " + std::to_string(text.size()) + " bytes; a config is at most " + std::to_string(kMaxConfigBytes));
  const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  if (lines > kMaxConfigLines)
    throw ConfigError(path + ": " + std::to_string(lines) + " lines; a config is at most " + std::to_string(kMaxConfigLines));
  int line = 1;
  for (unsigned char c : text) {
    if (c == '\n') ++line;
    else if (c == 0 || (c < 0x20 && c != '\t' && c != '\r'))
      throw ConfigError(path + ":" + std::to_string(line) + ": not a text config (control byte " + escape_bytes(std::string(1, static_cast<char>(c))) + ")");
  }
}

}  // namespace

std::string escape_bytes(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    // A well-formed UTF-8 sequence stays as it is; any other byte outside printable ASCII
    // is written \xNN, so no message puts raw bytes on a terminal.
    size_t len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (c >= 0x80 && len && i + len <= s.size() &&
        std::all_of(s.begin() + static_cast<long>(i) + 1, s.begin() + static_cast<long>(i + len),
                    [](char b) { return (static_cast<unsigned char>(b) & 0xc0) == 0x80; })) {
      out.append(s, i, len);
      i += len - 1;
      continue;
    }
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      continue;
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
  }
  return out;
}

Config load_config(const std::string& path, const std::vector<std::string>& overrides) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ConfigError(path + ": is a directory, not a config file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("cannot read config '" + path + "': " + std::strerror(errno));
  std::string text;
  text.resize(kMaxConfigBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw ConfigError("cannot read config '" + path + "': " + std::strerror(errno));
  text.resize(static_cast<size_t>(in.gcount()));
  check_text(text, path);
  return parse_config(text, path, overrides);
}

std::vector<int> auto_workers(int cores) {
  std::vector<int> w;
  for (int n = 1; n < cores; n *= 2) w.push_back(n);
  w.push_back(std::max(cores, 1));
  w.push_back(2 * std::max(cores, 1));  // once oversubscribed: what happens past the cores
  return w;
}

Config resolve_workers(Config c, int cores) {
  if (c.workers_auto) c.workers = auto_workers(cores);
  c.workers_auto = false;
  return c;
}

std::string Config::where(const std::string& key) const {
  auto it = origin.find(key);
  return (it == origin.end() ? path : it->second) + ": key '" + key + "'";
}

}  // namespace gillab
