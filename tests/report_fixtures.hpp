#pragma once
// What the figure, report and machines tests share: a shell command's output, every shipped
// config shrunk to seconds in one folder (run once per test binary), and a clean gnuplot render.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace gillab::test {

// A shell command's standard output and error together; its status in *status.
inline std::string sh(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  *status = pclose(p);
  return out;
}

// Every shipped config, shrunk to seconds, into one directory: what the report reads.
inline const TempDir& tiny_suite() {
  static TempDir d;
  static bool done = [] {
    for (auto& e : std::filesystem::directory_iterator(std::filesystem::path(GILLAB_SOURCE_DIR) / "configs")) {
      if (e.path().extension() != ".yaml" || e.path().stem() == "smoke") continue;
      auto p = run_gillab({"run", "configs/" + e.path().filename().string(), "--out", d.path.string(), "--quiet", "--set",
                           "tasks=2", "--set", "blocks=4", "--set", "difficulty=4", "--set", "repetitions=3", "--set",
                           "max_repetitions=3", "--set", "warmup=0"});
      EXPECT_EQ(p.status, 0) << e.path() << p.err;
    }
    return true;
  }();
  (void)done;
  return d;
}

// Renders plots/<script>.gp from `in` into `out`.{png,svg,pdf}: no word from gnuplot, a real PNG.
inline void expect_clean_render(const std::string& script, const std::string& in, const std::string& out) {
  int status = 0;
  const std::string log =
      sh("cd " GILLAB_SOURCE_DIR " && gnuplot -e \"in='" + in + "'; out='" + out + "'\" plots/" + script + ".gp", &status);
  EXPECT_EQ(status, 0) << script << ": " << log;
  EXPECT_EQ(log, "") << script;
  EXPECT_GT(slurp(out + ".png").size(), 10000u) << script;
}

}  // namespace gillab::test
