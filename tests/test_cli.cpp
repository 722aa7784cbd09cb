// The command line: help and list, and every kind of bad input (a wrong key or value, a file
// that is no config, a config that does not exist) is one line, exit 2, with nothing written;
// a suite checks every config before it runs any.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "config.hpp"
#include "test_support.hpp"

using namespace gillab;
using gillab::test::kTiny;
using gillab::test::TempDir;

TEST(Cli, HelpListAndUsage) {
  auto help = test::run_gillab({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("switch_interval_us: 5000"), std::string::npos);
  auto list = test::run_gillab({"list"});
  EXPECT_EQ(list.status, 0);
  for (const char* s : {"serial", "gil", "race", "refcount-lock", "atomic", "cas", "biased", "processes"})
    EXPECT_NE(list.out.find(s), std::string::npos) << s;
  EXPECT_EQ(test::run_gillab({}).status, 2);
  EXPECT_EQ(test::run_gillab({"frobnicate"}).status, 2);
  EXPECT_EQ(test::run_gillab({"run"}).status, 2);
  EXPECT_EQ(test::run_gillab({"run", "x.yaml", "--no-such-flag"}).status, 2);
}

// The workload list is the folder: each file with its docstring's first line and its path, and
// any one compiled to the model's bytecode on request.
TEST(Cli, ListShowsEachWorkloadFileAndDisassemblesOne) {
  auto list = test::run_gillab({"list"});
  ASSERT_EQ(list.status, 0) << list.err;
  for (const auto& e : std::filesystem::directory_iterator(GILLAB_SOURCE_DIR "/workloads")) {
    if (e.path().extension() != ".py") continue;
    std::ifstream in(e.path());
    std::string first;
    std::getline(in, first);
    const std::string doc = first.substr(3, first.find("\"\"\"", 3) - 3);  // after the opening quotes
    const size_t at = list.out.find("  " + e.path().stem().string() + " ");
    ASSERT_NE(at, std::string::npos) << e.path();
    EXPECT_EQ(list.out.find(doc, at), list.out.find_first_not_of(' ', at + 2 + e.path().stem().string().size())) << doc;
    EXPECT_NE(list.out.find(e.path().string(), at), std::string::npos) << e.path();
  }
  auto dis = test::run_gillab({"list", "--disassemble", "pow"});
  ASSERT_EQ(dis.status, 0) << dis.err;
  for (const char* s : {"mix (args 2", "task (args 3", "LOAD_GLOBAL", "BINARY_AND", "POP_JUMP_BACKWARD_IF_TRUE", "RETURN_VALUE"})
    EXPECT_NE(dis.out.find(s), std::string::npos) << s;
  auto unknown = test::run_gillab({"list", "--disassemble", "no_such_workload"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("unknown workload 'no_such_workload'"), std::string::npos) << unknown.err;
  TempDir d;
  d.write("bad.py", "def task(seed, difficulty, blocks):\n    yield seed\n");
  auto bad = test::run_gillab({"list", "--disassemble", d.file("bad.py")});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find(d.file("bad.py") + ":2:5: yield is not supported"), std::string::npos) << bad.err;
}

TEST(Cli, BadInputExits2AndLeavesResultsAlone) {
  TempDir d;
  d.write("bad.csv", "old,results\n1,2\n");
  struct Case {
    std::string cfg;
    std::vector<std::string> extra;
    std::string message;
  };
  std::vector<Case> cases{
      {"tasks: 4\nworkers: 1, x\n", {}, "bad.yaml:2:1: key 'workers': expected list of integers 1..1024, or auto, got 'x'"},
      {"experiment: nope\n", {}, "bad.yaml:1:1: key 'experiment': unknown experiment 'nope'"},
      {"# strategies\nstrategies: serial, gill\n", {}, "bad.yaml:2:1: key 'strategies': unknown strategy 'gill'"},
      {"tasks: 2\n", {"--set", "difficulty=99"}, "--set: key 'difficulty': expected integer 0..30, got '99'"},
      {"output: results/x.txt\n", {}, "bad.yaml:1:1: key 'output': expected a path ending in .csv"},
  };
  for (const Case& c : cases) {
    d.write("bad.yaml", c.cfg);
    std::vector<std::string> args{"run", d.file("bad.yaml"), "--out", d.path.string()};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    auto p = test::run_gillab(args);
    EXPECT_EQ(p.status, 2) << c.cfg << p.err;
    EXPECT_NE(p.err.find(c.message), std::string::npos) << "stderr: " << p.err;
    EXPECT_EQ(d.listing(), (std::vector<std::string>{"bad.csv", "bad.yaml"})) << c.cfg;
    EXPECT_EQ(test::slurp(d.file("bad.csv")), "old,results\n1,2\n");
  }
  auto missing = test::run_gillab({"run", d.file("absent.yaml")});
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("cannot read config"), std::string::npos) << missing.err;
}

// Whatever is given as a config: one line naming the file (and line) and what was expected,
// raw bytes escaped, exit 2, nothing written.
TEST(Cli, EveryKindOfBadConfigFileIsOneEscapedLineAndExit2) {
  TempDir d;
  std::string million;
  for (int i = 0; i < 1000000; ++i) million += "# a comment line\n";
  d.write("empty.yaml", "  \n\n");
  d.write("binary.yaml", std::string("experiment: gil\n\x01\x02\xff\xfe\x00rest", 22));
  d.write("huge.yaml", million);
  d.write("key.yaml", "w\xc3\xb6rkers: 2\n");  // a key with a well-formed non-ASCII letter
  d.write("value.yaml", "experiment: g\xffil\n");  // a value with a stray byte
  std::filesystem::create_directory(d.path / "adir");
  struct Case {
    std::string file, message;
  };
  for (const Case& c : std::vector<Case>{{"adir", "adir: is a directory, not a config file"},
                                          {"empty.yaml", "empty.yaml: the config is empty"},
                                          {"binary.yaml", "binary.yaml:2: not a text config (control byte \\x01)"},
                                          {"huge.yaml", "bytes; a config is at most 1048576"},
                                          {"key.yaml", "key.yaml:1:1: unknown key 'w\xc3\xb6rkers' (did you mean 'workers'?)"},
                                          {"value.yaml", "value.yaml:1:1: key 'experiment': unknown experiment 'g\\xffil'"}}) {
    auto before = d.listing();
    auto p = test::run_gillab({"run", d.file(c.file), "--out", d.path.string()});
    EXPECT_EQ(p.status, 2) << c.file << ": " << p.err;
    EXPECT_NE(p.err.find(c.message), std::string::npos) << c.file << ": " << p.err;
    EXPECT_EQ(std::count(p.err.begin(), p.err.end(), '\n'), 1) << c.file << ": one line: " << p.err;
    for (unsigned char ch : p.err) EXPECT_TRUE(ch == '\n' || ch >= 0x20) << c.file << ": raw control byte in " << p.err;
    EXPECT_EQ(p.err.find('\xff'), std::string::npos) << c.file;
    EXPECT_EQ(d.listing(), before) << c.file << ": nothing written";
  }
}

TEST(Cli, OfSeveralSetsOfOneKeyTheLastWins) {
  Config c = parse_config("workers: 4\n", "t.yaml", {"workers=1,2", "tasks=3", "workers=3"});
  EXPECT_EQ(c.workers, std::vector<int>{3});
  EXPECT_EQ(c.tasks, 3);
  EXPECT_NE(test::run_gillab({"--help"}).out.find("the last wins"), std::string::npos);
}

// Several configs in one call are a suite: all are checked before any runs, and the progress
// line carries the suite's ETA.
TEST(Cli, ASuiteChecksEveryConfigFirstAndShowsTheSuitesEta) {
  TempDir d;
  d.write("a.yaml", std::string(kTiny) + "strategies: serial, gil\n");
  d.write("b.yaml", std::string(kTiny) + "strategies: serial, atomic\n");
  d.write("bad.yaml", "workers: none\n");
  auto bad = test::run_gillab({"run", d.file("a.yaml"), d.file("bad.yaml"), "--out", d.path.string()});
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(d.listing(), (std::vector<std::string>{"a.yaml", "b.yaml", "bad.yaml"})) << "nothing ran";
  auto ok = test::run_gillab({"run", d.file("a.yaml"), d.file("b.yaml"), "--out", d.path.string()});
  ASSERT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.err.find("[config 1/2 a] [1/"), std::string::npos) << ok.err.substr(0, 600);
  EXPECT_NE(ok.err.find(", suite "), std::string::npos);
  EXPECT_NE(ok.err.find("[config 2/2 b]"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(d.file("a.csv")) && std::filesystem::exists(d.file("b.csv")));
}
