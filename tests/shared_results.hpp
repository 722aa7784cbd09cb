#pragma once
// Results folders that several test processes read: the smoke run and every shipped config
// shrunk to seconds. Protocol: a folder is made once under its lock file, into `<name>.partial`
// renamed into place, so no reader sees half of one; it is reused while it is newer than the
// gillab binary, every config and every workload file (a rebuild or an edited config makes a
// new one). CTest's fixture test (gillab_shared_results, tests/CMakeLists.txt) makes both before
// the tests that read them, so their cost falls once per ctest run and inside that test's own
// time limit; a test binary run by hand makes them on first use.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace gillab::test {

struct SharedResults {
  std::string name;                            // folder name under the build's test-results/
  std::vector<std::vector<std::string>> runs;  // gillab arguments; "{out}" is the folder
};

// The smoke config as shipped: every strategy end to end.
inline SharedResults smoke_recipe() { return {"smoke", {{"run", "configs/smoke.yaml", "--out", "{out}", "--quiet"}}}; }

// Every shipped config but smoke, shrunk to seconds, into one folder: what the report reads.
inline SharedResults tiny_suite_recipe() {
  SharedResults r{"tiny-suite", {}};
  std::vector<std::filesystem::path> configs;
  for (auto& e : std::filesystem::directory_iterator(std::filesystem::path(GILLAB_SOURCE_DIR) / "configs"))
    if (e.path().extension() == ".yaml" && e.path().stem() != "smoke") configs.push_back(e.path());
  std::sort(configs.begin(), configs.end());
  for (const auto& c : configs)
    r.runs.push_back({"run", "configs/" + c.filename().string(), "--out", "{out}", "--quiet", "--set", "tasks=2", "--set",
                      "blocks=4", "--set", "difficulty=4", "--set", "repetitions=3", "--set", "max_repetitions=3", "--set",
                      "warmup=0"});
  return r;
}

// Newest modification among what a run's results depend on.
inline std::filesystem::file_time_type newest_input() {
  namespace fs = std::filesystem;
  fs::file_time_type t = fs::last_write_time(GILLAB_BIN);
  for (const char* dir : {"configs", "workloads", "interpreter", "experiments/cpython"})  // compile.py, run_tasks.py
    for (auto& e : fs::recursive_directory_iterator(fs::path(GILLAB_SOURCE_DIR) / dir))
      if (e.is_regular_file()) t = std::max(t, e.last_write_time());
  return t;
}

// The recipe's folder, made now if missing, stale or `fresh`; "" and *error on a failed run.
inline std::filesystem::path shared_results(const SharedResults& recipe, bool fresh, std::string* error) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(GILLAB_BINARY_DIR) / "test-results";
  fs::create_directories(root);
  const fs::path dir = root / recipe.name, stamp = root / (recipe.name + ".done"), partial = root / (recipe.name + ".partial");
  const int lock = open((root / (recipe.name + ".lock")).c_str(), O_RDWR | O_CREAT, 0644);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) {
    *error = "cannot lock " + (root / (recipe.name + ".lock")).string();
    if (lock >= 0) close(lock);
    return {};
  }  // released when the descriptor closes, or the process dies
  struct Unlock {
    int fd;
    ~Unlock() { close(fd); }
  } unlock{lock};
  if (!fresh && fs::exists(stamp) && fs::last_write_time(stamp) > newest_input()) return dir;
  fs::remove(stamp);
  fs::remove_all(dir);
  fs::remove_all(partial);
  fs::create_directories(partial);
  for (std::vector<std::string> args : recipe.runs) {
    for (std::string& a : args)
      if (a == "{out}") a = partial.string();
    Proc p = run_gillab(args);
    if (p.status != 0) {
      *error = "gillab " + args[1] + " exited " + std::to_string(p.status) + ": " + p.err;
      return {};
    }
  }
  fs::rename(partial, dir);
  std::ofstream(stamp) << "made from " << recipe.runs.size() << " runs\n";
  return dir;
}

}  // namespace gillab::test
