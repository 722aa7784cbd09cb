// Every class of config fault gives one clear message naming file, line and key.
#include <gtest/gtest.h>

#include <cmath>

#include "config.hpp"
#include "csv_reader.hpp"

using namespace gillab;

namespace {

std::string error_of(const std::string& text, std::vector<std::string> sets = {}) {
  try {
    parse_config(text, "x.cfg", sets);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Config, DefaultsAndBothSyntaxes) {
  Config c = parse_config("workers: 1, 2, 8\n[workload]\ndifficulty = 9 # comment\n", "configs/demo.cfg", {});
  EXPECT_EQ(c.name, "demo");
  EXPECT_EQ(c.workers, (std::vector<int>{1, 2, 8}));
  EXPECT_EQ(c.workload.difficulty, 9);
  EXPECT_EQ(c.tasks, 4);
  EXPECT_EQ(c.repetitions, 5);
  EXPECT_EQ(c.pin, PinMode::Cores);
  EXPECT_TRUE(c.workloads.empty());
  EXPECT_EQ(c.where("difficulty"), "configs/demo.cfg:3: key 'difficulty'");
}

TEST(Config, ListsAndEnums) {
  Config c = parse_config(
      "immortal = false, true\ngil_mode = new, old\nswitch_interval_us = 1000, 5000\n"
      "lock_kind = mutex, striped-spinlock\npin = none\nshared_fraction = 0.25\nworkload = shared\n",
      "x.cfg", {});
  EXPECT_EQ(c.immortal, (std::vector<bool>{false, true}));
  EXPECT_EQ(c.gil_mode, (std::vector<std::string>{"new", "old"}));
  EXPECT_EQ(c.switch_interval_us, (std::vector<int>{1000, 5000}));
  EXPECT_EQ(c.lock_kind, (std::vector<std::string>{"mutex", "striped-spinlock"}));
  EXPECT_EQ(c.pin, PinMode::None);
  EXPECT_DOUBLE_EQ(c.workload.shared_fraction, 0.25);
  EXPECT_EQ(c.workloads, (std::vector<std::string>{"shared"}));
}

TEST(Config, SetOverridesTheFile) {
  Config c = parse_config("tasks = 4\nworkers = 1\n", "x.cfg", {"tasks=8", "seed = 7"});
  EXPECT_EQ(c.tasks, 8);
  EXPECT_EQ(c.seed, 7);
  EXPECT_EQ(c.workers, (std::vector<int>{1}));
  EXPECT_EQ(c.where("tasks"), "--set: key 'tasks'");
}

TEST(Config, EveryFaultNamesFileLineAndKey) {
  EXPECT_EQ(error_of("tasks = 4\n\nwokers = 2\n"),
            "x.cfg:3: unknown key 'wokers' (did you mean 'workers'?); `gillab --help` lists every key");
  EXPECT_EQ(error_of("# c\ntasks = four\n"), "x.cfg:2: key 'tasks': expected integer 1..100000, got 'four'");
  EXPECT_EQ(error_of("difficulty = 40\n"), "x.cfg:1: key 'difficulty': expected integer 0..30, got '40'");
  EXPECT_EQ(error_of("workers = 1, two\n"),
            "x.cfg:1: key 'workers': expected comma list of integers 1..1024, got 'two'");
  EXPECT_EQ(error_of("workers = 1,,2\n"), "x.cfg:1: key 'workers': an empty item in the list '1,,2'");
  EXPECT_EQ(error_of("workers = 2, 2\n"), "x.cfg:1: key 'workers': '2' listed twice");
  EXPECT_EQ(error_of("workload = pow, heavy\n"),
            "x.cfg:1: key 'workload': expected comma list of pow | shared | handoff, got 'heavy'");
  EXPECT_EQ(error_of("pin = sockets\n"), "x.cfg:1: key 'pin': expected cores | pus | none, got 'sockets'");
  EXPECT_EQ(error_of("immortal = maybe\n"),
            "x.cfg:1: key 'immortal': expected comma list of true | false, got 'maybe'");
  EXPECT_EQ(error_of("shared_fraction = 1.5\n"), "x.cfg:1: key 'shared_fraction': expected number 0..1, got '1.5'");
  EXPECT_EQ(error_of("timeout_s = nan\n"), "x.cfg:1: key 'timeout_s': expected number 0.1..86400, got 'nan'");
  EXPECT_EQ(error_of("tasks = 4\ntasks = 5\n"), "x.cfg:2: key 'tasks' given twice (first at x.cfg:1)");
  EXPECT_EQ(error_of("[nope]\n"), "x.cfg:1: unknown section [nope] (sections: gil, locks, output, run, workload)");
  EXPECT_EQ(error_of("[gil]\ndifficulty = 3\n"), "x.cfg:2: key 'difficulty' belongs in [workload], not [gil]");
  EXPECT_EQ(error_of("just words\n"), "x.cfg:1: expected 'key = value' or 'key: value', got 'just words'");
  EXPECT_EQ(error_of("tasks =\n"), "x.cfg:1: key 'tasks': no value (expected integer 1..100000)");
  EXPECT_EQ(error_of("[run\n"), "x.cfg:1: a section header must be [name]");
  EXPECT_EQ(error_of("", {"tasks=0"}), "--set: key 'tasks': expected integer 1..100000, got '0'");
  EXPECT_EQ(error_of("", {"bogus=1"}), "--set bogus=1: unknown key 'bogus'");
  EXPECT_EQ(error_of("", {"tasks"}), "--set tasks: expected key=value");
}

TEST(Config, MissingFile) {
  try {
    load_config("/nonexistent/dir/x.cfg", {});
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read config '/nonexistent/dir/x.cfg': No such file or directory");
  }
}

TEST(Config, HelpDocumentsEveryKey) {
  std::string help = config_help();
  for (const KeyDoc& k : config_keys()) {
    EXPECT_NE(help.find("  " + k.key + " = " + k.default_value), std::string::npos) << k.key;
    EXPECT_NE(help.find(k.expected), std::string::npos) << k.key;
  }
}

TEST(CsvReader, ANumberIsAllNumberOrAnErrorNamingTheCell) {
  CsvFile f = CsvFile::parse("a,b\n1.5,1.5abc\n,2e400\n", "f.csv");
  EXPECT_EQ(f.number(0, "a"), 1.5);
  EXPECT_TRUE(std::isnan(f.number(1, "a")));  // empty: not measured
  try {
    f.number(0, "b");
    ADD_FAILURE() << "1.5abc read as a number";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "f.csv: row 2, column 'b': expected a number, got '1.5abc'");
  }
  EXPECT_THROW(f.number(1, "b"), std::runtime_error);
}
