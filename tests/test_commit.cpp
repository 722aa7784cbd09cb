// A run's lifetime: a gillab killed outright takes the programs it started with it, and a kill
// at any step of the commit leaves one whole set of results, the old or the new.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "test_support.hpp"

using namespace gillab;
using gillab::test::kTiny;
using gillab::test::TempDir;

namespace {
// Whether a process whose command line holds `needle` is running.
bool process_with(const std::string& needle) {
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmd = test::slurp((e.path() / "cmdline").string());
    std::replace(cmd.begin(), cmd.end(), '\0', ' ');
    if (cmd.find(needle) != std::string::npos) return true;
  }
  return false;
}
}  // namespace

// gillab killed by SIGKILL runs no watchdog: the programs it started die with it, not orphaned.
TEST(EndToEnd, AKilledGillabTakesItsProgramsWithIt) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3 on this machine";
  TempDir d;
  d.write("spin.py", "def task(seed, difficulty, blocks):\n    while seed >= 0:\n        seed = seed + 1\n    return seed\n");
  d.write("spin.yaml", std::string(kTiny) + "strategies: serial\ntimeout_s: 600\nworkload: " + d.file("spin.py") + "\n");
  const std::string bin = GILLAB_BIN, cfg = d.file("spin.yaml"), out = d.path.string();
  const pid_t pid = fork();
  if (pid == 0) {
    execl(bin.c_str(), bin.c_str(), "run", cfg.c_str(), "--out", out.c_str(), "--quiet", static_cast<char*>(nullptr));
    _exit(98);
  }
  bool started = false;  // CPython computing spin.py's reference answers, which never ends
  for (int i = 0; i < 600 && !started; ++i) {
    started = process_with(d.file("spin.py") + " --seeds");
    if (!started) usleep(100000);
  }
  kill(pid, SIGKILL);
  int st = 0;
  waitpid(pid, &st, 0);
  ASSERT_TRUE(started) << "the reference run never started";
  bool gone = false;
  for (int i = 0; i < 300 && !gone; ++i) {
    gone = !process_with(d.file("spin.py"));
    if (!gone) usleep(100000);
  }
  EXPECT_TRUE(gone) << "CPython's reference run outlived gillab";
  if (!gone) std::system(("pkill -9 -f " + d.file("spin.py")).c_str());
}

// A kill at every step of the commit leaves, once any gillab command has looked at the
// directory, the old set or the new one whole: never a new CSV beside an old manifest.
TEST(EndToEnd, AKillAtAnyStepOfTheCommitLeavesOneWholeSet) {
  TempDir d;
  d.write("k.yaml", std::string(kTiny) + "strategies: serial, cas\ntimeline: true\n");
  auto old_run = test::run_gillab({"run", d.file("k.yaml"), "--out", d.path.string(), "--quiet"});
  ASSERT_EQ(old_run.status, 0) << old_run.err;
  const std::string old_json = test::slurp(d.file("k.json"));
  int killed = 0;
  for (int step = -1; step < 12; ++step) {
    // The new set: another seed (other answers), no timeline (so the old one must go).
    setenv("GILLAB_KILL_AT_COMMIT_STEP", std::to_string(step).c_str(), 1);
    auto p = test::run_gillab({"run", d.file("k.yaml"), "--out", d.path.string(), "--quiet", "--set", "seed=" + std::to_string(100 + step),
                               "--set", "timeline=false"});
    unsetenv("GILLAB_KILL_AT_COMMIT_STEP");
    if (p.status != 128 + SIGKILL) {
      EXPECT_EQ(p.status, 0) << step << p.err;
      break;  // past the last step: the run finished
    }
    ++killed;
    auto s = test::run_gillab({"summarize", d.file("k.csv")});  // recovers, then checks the set
    ASSERT_EQ(s.status, 0) << "step " << step << ": " << s.err;
    auto m = nlohmann::json::parse(test::slurp(d.file("k.json")));
    const bool is_new = m["config"]["overrides"].dump().find("seed=" + std::to_string(100 + step)) != std::string::npos;
    EXPECT_EQ(is_new, step >= 0) << "step " << step << ": before the journal the old set stays, after it the new one";
    EXPECT_EQ(std::filesystem::exists(d.file("timeline-k.csv")), !is_new) << step;
    for (auto& e : std::filesystem::directory_iterator(d.path))
      EXPECT_NE(e.path().filename().string()[0], '.') << "left behind: " << e.path();
    auto rows = test::read_csv(d.file("k.csv"));
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(m["results"]["seeds"][0].get<int>(), is_new ? 100 + step : 1) << step;
    if (!is_new) {
      EXPECT_EQ(test::slurp(d.file("k.json")), old_json);
    }
  }
  EXPECT_GE(killed, 7);  // before the journal, after it, each rename and removal, fsync, journal gone
  // And a set tampered with afterwards is refused, not read.
  d.write("k.csv", "experiment,strategy\nx,y\n");
  auto bad = test::run_gillab({"summarize", d.file("k.csv")});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("k.csv does not match its manifest"), std::string::npos) << bad.err;
}
