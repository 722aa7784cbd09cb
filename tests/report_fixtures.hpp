#pragma once
// What the figure, report and machines tests share: a shell command's output, copies of the
// shared results folders (the smoke run, every shipped config shrunk), and a clean gnuplot render.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "shared_results.hpp"
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

// This process's own copy of a shared results folder (shared_results.hpp): tests write into it.
inline const TempDir& copy_of(const SharedResults& recipe, TempDir& d) {
  std::string error;
  const std::filesystem::path from = shared_results(recipe, false, &error);
  EXPECT_EQ(error, "");
  if (!from.empty()) std::filesystem::copy(from, d.path, std::filesystem::copy_options::recursive);
  return d;
}

// Every shipped config, shrunk to seconds, in one directory: what the report reads.
inline const TempDir& tiny_suite() {
  static TempDir d;
  static const TempDir& done = copy_of(tiny_suite_recipe(), d);
  return done;
}

// The smoke config's results: every strategy end to end.
inline const TempDir& smoke_results() {
  static TempDir d;
  static const TempDir& done = copy_of(smoke_recipe(), d);
  return done;
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
