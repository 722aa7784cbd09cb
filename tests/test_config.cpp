// Every class of config fault gives one clear message naming file, line and key.
#include <gtest/gtest.h>

#include <cmath>

#include "config.hpp"
#include "csv_reader.hpp"

using namespace gillab;

namespace {

std::string error_of(const std::string& text, std::vector<std::string> sets = {}) {
  try {
    parse_config(text, "x.yaml", sets);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Config, SectionsTopLevelKeysAndDefaults) {
  Config c = parse_config("workers: 1, 2, 8\nworkload:\n  difficulty: 9 # comment\n", "configs/demo.yaml", {});
  EXPECT_EQ(c.name, "demo");
  EXPECT_EQ(c.workers, (std::vector<int>{1, 2, 8}));
  EXPECT_EQ(c.workload.difficulty, 9);
  EXPECT_EQ(c.tasks, 4);
  EXPECT_EQ(c.repetitions, 5);
  EXPECT_EQ(c.pin, PinMode::Cores);
  EXPECT_TRUE(c.workloads.empty());
  EXPECT_EQ(c.where("difficulty"), "configs/demo.yaml:3:3: key 'difficulty'");
}

TEST(Config, ListsFlowBlockAndCommaReadAlike) {
  const char* forms[] = {"run:\n  workers: [1, 2, 8]\n", "run:\n  workers:\n    - 1\n    - 2\n    - 8\n",
                         "run:\n  workers: 1, 2, 8\n", "run:\n  workers: \"1, 2, 8\"\n"};
  for (const char* text : forms) EXPECT_EQ(parse_config(text, "x.yaml", {}).workers, (std::vector<int>{1, 2, 8})) << text;
  // A YAML user's first edits, each of which the INI parser refused.
  Config c = parse_config("run:\n  experiment: \"gil\"\n  immortal: [false, true]\n", "x.yaml", {});
  EXPECT_EQ(c.experiment, "gil");
  EXPECT_EQ(c.immortal, (std::vector<bool>{false, true}));
  Config w = parse_config("workload: shared\n", "x.yaml", {});  // `workload` is a key and a section
  EXPECT_EQ(w.workloads, (std::vector<std::string>{"shared"}));
  Config s = parse_config("output:\n  output: 'r/a#b.csv'\n", "x.yaml", {});  // '#' quoted is no comment
  EXPECT_EQ(s.output, "r/a#b.csv");
}

TEST(Config, ListsAndEnums) {
  Config c = parse_config(
      "immortal: [false, true]\ngil_mode: [new, old]\nswitch_interval_us: [1000, 5000]\n"
      "lock_kind: [mutex, striped-spinlock]\npin: none\nworkload: [shared, " GILLAB_SOURCE_DIR "/tests/python/shapes.py]\n",
      "x.yaml", {});
  EXPECT_EQ(c.immortal, (std::vector<bool>{false, true}));
  EXPECT_EQ(c.gil_mode, (std::vector<std::string>{"new", "old"}));
  EXPECT_EQ(c.switch_interval_us, (std::vector<int>{1000, 5000}));
  EXPECT_EQ(c.lock_kind, (std::vector<std::string>{"mutex", "striped-spinlock"}));
  EXPECT_EQ(c.pin, PinMode::None);
  EXPECT_EQ(c.workloads, (std::vector<std::string>{"shared", GILLAB_SOURCE_DIR "/tests/python/shapes.py"}));
}

TEST(Config, SetOverridesTheFile) {
  Config c = parse_config("tasks: 4\nworkers: 1\n", "x.yaml", {"tasks=8", "seed = 7", "immortal=[true, false]"});
  EXPECT_EQ(c.tasks, 8);
  EXPECT_EQ(c.seed, 7);
  EXPECT_EQ(c.workers, (std::vector<int>{1}));
  EXPECT_EQ(c.immortal, (std::vector<bool>{true, false}));
  EXPECT_EQ(c.where("tasks"), "--set: key 'tasks'");
}

TEST(Config, EveryFaultNamesFileLineColumnAndKey) {
  EXPECT_EQ(error_of("tasks: 4\n\nwokers: 2\n"),
            "x.yaml:3:1: unknown key 'wokers' (did you mean 'workers'?); `gillab --help` lists every key");
  EXPECT_EQ(error_of("# c\nrun:\n  tasks: four\n"), "x.yaml:3:3: key 'tasks': expected integer 1..100000, got 'four'");
  EXPECT_EQ(error_of("difficulty: 40\n"), "x.yaml:1:1: key 'difficulty': expected integer 0..30, got '40'");
  EXPECT_EQ(error_of("workers: [1, two]\n"),
            "x.yaml:1:1: key 'workers': expected list of integers 1..1024, or auto, got 'two'");
  EXPECT_EQ(error_of("workers: 1,,2\n"), "x.yaml:1:1: key 'workers': an empty item in the list '1,,2'");
  EXPECT_EQ(error_of("workers: [2, 2]\n"), "x.yaml:1:1: key 'workers': '2' listed twice");
  EXPECT_EQ(error_of("workload: [pow, heavy]\n"),
            "x.yaml:1:1: key 'workload': expected list of workload files: a stem in workloads/ (gillab list) or a path to a .py "
            "file, got 'heavy'");
  EXPECT_EQ(error_of("pin: sockets\n"), "x.yaml:1:1: key 'pin': expected cores | pus | none, got 'sockets'");
  EXPECT_EQ(error_of("immortal: maybe\n"), "x.yaml:1:1: key 'immortal': expected list of true | false, got 'maybe'");
  EXPECT_EQ(error_of("shared_fraction: 0.5\n"),
            "x.yaml:1:1: key 'shared_fraction' is gone: the shared loads are in the workload's file now (workload: shared "
            "reads 5 of mix()'s 9 constants from globals, shared_all all 9)");
  EXPECT_EQ(error_of("workload: nope\n"),
            "x.yaml:1:1: key 'workload': expected list of workload files: a stem in workloads/ (gillab list) or a path to a .py "
            "file, got 'nope'");
  EXPECT_EQ(error_of("workload: /no/such/file.py\n").find("x.yaml:1:1: key 'workload': expected"), 0u);
  EXPECT_EQ(error_of("timeout_s: .nan\n"), "x.yaml:1:1: key 'timeout_s': expected number 0.1..86400, got '.nan'");
  EXPECT_EQ(error_of("tasks: 4\nrun:\n  tasks: 5\n"), "x.yaml:3:3: key 'tasks' given twice (first at x.yaml:1:1)");
  EXPECT_EQ(error_of("nope:\n  tasks: 3\n"), "x.yaml:1:1: unknown key 'nope'; `gillab --help` lists every key");
  EXPECT_EQ(error_of("gil:\n  difficulty: 3\n"), "x.yaml:2:3: key 'difficulty' belongs in section 'workload', not 'gil'");
  EXPECT_EQ(error_of("run: 5\n"), "x.yaml:1:1: section 'run' expects its keys indented under it (`key: value`)");
  EXPECT_EQ(error_of("tasks:\n"), "x.yaml:1:1: key 'tasks': no value (expected integer 1..100000)");
  EXPECT_EQ(error_of("tasks: [4\n"), "x.yaml:2:1: not valid YAML: end of sequence flow not found");
  EXPECT_EQ(error_of("workers: [[1, 2]]\n"),
            "x.yaml:1:11: key 'workers': a list of plain values, not of lists or mappings (expected list of integers 1..1024, or auto)");
  EXPECT_EQ(error_of("tasks: {a: 1}\n"), "x.yaml:1:1: key 'tasks': a mapping, not a value (expected integer 1..100000)");
  // The old INI form: a clear pointer to the YAML one, not a parse of half of it.
  EXPECT_EQ(error_of("[run]\ntasks = 4\n"),
            "x.yaml:1:1: expected a YAML mapping of `key: value` lines (sections as `run:` with the keys indented "
            "under it); `gillab --help` lists every key");
  EXPECT_EQ(error_of("", {"tasks=0"}), "--set: key 'tasks': expected integer 1..100000, got '0'");
  EXPECT_EQ(error_of("", {"bogus=1"}), "--set bogus=1: unknown key 'bogus'");
  EXPECT_EQ(error_of("", {"tasks"}), "--set tasks: expected key=value");
}

TEST(Config, MissingFile) {
  try {
    load_config("/nonexistent/dir/x.yaml", {});
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read config '/nonexistent/dir/x.yaml': No such file or directory");
  }
}

TEST(Config, HelpDocumentsEveryKey) {
  std::string help = config_help();
  for (const KeyDoc& k : config_keys()) {
    EXPECT_NE(help.find("  " + k.key + ": " + k.default_value), std::string::npos) << k.key;
    EXPECT_NE(help.find(k.expected), std::string::npos) << k.key;
  }
}

// A default has one home, the Config struct's initialisers; --help reads it from there.
TEST(Config, EveryShownDefaultIsTheStructsOwn) {
  const Config d;
  std::map<std::string, std::string> shown;
  for (const KeyDoc& k : config_keys()) shown[k.key] = k.default_value;
  EXPECT_EQ(shown["tasks"], std::to_string(d.tasks));
  EXPECT_EQ(shown["repetitions"], std::to_string(d.repetitions));
  EXPECT_EQ(shown["timeout_s"], "60");
  EXPECT_EQ(d.timeout_s, 60);
  EXPECT_EQ(shown["difficulty"], std::to_string(d.workload.difficulty));
  EXPECT_EQ(shown["blocks"], std::to_string(d.workload.blocks));
  EXPECT_EQ(shown["switch_interval_us"], std::to_string(gillab::kDefaultSwitchIntervalUs));
  EXPECT_EQ(shown["check_interval"], std::to_string(d.check_interval));
  EXPECT_EQ(shown["pin"], gillab::pin_name(d.pin));
  EXPECT_EQ(shown["experiment"], d.experiment);
  std::string workers = "[";
  for (size_t i = 0; i < d.workers.size(); ++i) workers += (i ? ", " : "") + std::to_string(d.workers[i]);
  EXPECT_EQ(shown["workers"], d.workers.size() == 1 ? std::to_string(d.workers[0]) : workers + "]");
}

TEST(CsvReader, ANumberIsAllNumberOrAnErrorNamingTheCell) {
  CsvFile f = CsvFile::parse("a,b\n1.5,1.5abc\n,2e400\n", "f.csv");
  EXPECT_EQ(f.number(0, "a"), 1.5);
  EXPECT_TRUE(std::isnan(f.number(1, "a")));  // empty: not measured
  try {
    f.number(0, "b");
    ADD_FAILURE() << "1.5abc read as a number";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "f.csv:2: column 'b': expected a number, got '1.5abc'");
  }
  EXPECT_THROW(f.number(1, "b"), std::runtime_error);
}

// A numeric key's range is declared once: the value just past either end is refused with the
// prose its declaration writes, and each end itself is accepted.
TEST(Config, EveryNumericKeyIsCheckedAgainstItsDeclaredRange) {
  int numeric = 0;
  for (const KeyDoc& k : config_keys()) {
    if (k.lo == k.hi) continue;
    ++numeric;
    const bool integral = k.expected.find("integer") != std::string::npos;
    const double step = integral ? 1 : std::max(1e-3, (k.hi - k.lo) * 1e-3);
    auto text = [&](double v) {
      char b[48];
      std::snprintf(b, sizeof b, integral ? "%.0f" : "%.6g", v);
      return k.key + ": " + b + "\n" + (k.key == "max_repetitions" ? "repetitions: 1\n" : "");
    };
    for (double bad : {k.lo - step, k.hi + step}) {
      const std::string e = error_of(text(bad));
      EXPECT_NE(e.find("key '" + k.key + "': expected " + k.expected + ", got"), std::string::npos) << k.key << ": " << e;
    }
    for (double good : {k.lo, k.hi}) EXPECT_EQ(error_of(text(good)), "") << k.key << " = " << good;
  }
  EXPECT_GE(numeric, 15);
}
