#pragma once
// Helpers for the end-to-end tests: temporary directories, running the gillab binary, reading
// the CSV it writes by column name.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "csv_reader.hpp"

namespace gillab::test {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "gillab-test-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(file(name)) << text; }
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (auto& e : std::filesystem::directory_iterator(path)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Proc {
  int status = -1;  // exit code, or 128 + signal
  std::string out, err;
};

// Runs a program with args (from the source tree, as a user would), capturing output, with
// `env` ("KEY=VALUE") added. If interrupt_after_s > 0, sends SIGINT that long after the start,
// and, where `interrupt_once` is given, not before its stderr holds that text (on a busy machine
// a fixed delay can fall before the program has begun what the test interrupts). One still
// running after kill_after_s is killed (status 128 + 9): a hang fails its test.
inline Proc run_program_in_tree(const std::string& bin, const std::vector<std::string>& args, double interrupt_after_s = 0,
                                const std::vector<std::string>& env = {}, double kill_after_s = 600,
                                const std::string& interrupt_once = "") {
  TempDir io;
  std::string out = io.file("out"), err = io.file("err");
  std::fflush(nullptr);  // else the child's freopen writes our unflushed output a second time
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(GILLAB_SOURCE_DIR) != 0) _exit(99);
    freopen(out.c_str(), "w", stdout);
    freopen(err.c_str(), "w", stderr);
    for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv{const_cast<char*>(bin.c_str())};
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(98);
  }
  const auto t0 = std::chrono::steady_clock::now();
  bool interrupted = interrupt_after_s <= 0;
  int st = 0;
  while (waitpid(pid, &st, WNOHANG) == 0) {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!interrupted && s >= interrupt_after_s && (interrupt_once.empty() || slurp(err).find(interrupt_once) != std::string::npos)) {
      kill(pid, SIGINT);
      interrupted = true;
    }
    if (s >= kill_after_s) kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Proc p;
  p.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  p.out = slurp(out);
  p.err = slurp(err);
  return p;
}

// A config of seconds: speedup's experiment, 2 tasks of 4 short proofs on 2 workers, 2 rounds.
inline constexpr const char* kTiny =
    "experiment: speedup\ntasks: 2\nworkers: 2\nrepetitions: 2\nmax_repetitions: 2\nwarmup: 0\n"
    "difficulty: 4\nblocks: 4\n";

inline Proc run_gillab(const std::vector<std::string>& args, double interrupt_after_s = 0,
                       const std::vector<std::string>& env = {}, double kill_after_s = 600,
                       const std::string& interrupt_once = "") {
  return run_program_in_tree(GILLAB_BIN, args, interrupt_after_s, env, kill_after_s, interrupt_once);
}

// A CSV as rows of column -> value, read by the harness's own reader (which also checks that
// every row has as many fields as the header). "#fields" holds that count.
inline std::vector<std::map<std::string, std::string>> read_csv(const std::string& path,
                                                                std::vector<std::string>* header = nullptr) {
  CsvFile f = CsvFile::read(path);
  if (header) *header = f.columns();
  std::vector<std::map<std::string, std::string>> rows;
  for (size_t r = 0; r < f.size(); ++r) {
    std::map<std::string, std::string> row;
    for (const std::string& c : f.columns()) row[c] = f.at(r, c);
    row["#fields"] = std::to_string(f.columns().size());
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace gillab::test
