#pragma once
// Every outside program gillab starts (a Python's probe and its tasks, git, a benchmark's
// Python) runs through run_program: exec'd without a shell in a process group of its own,
// stdout and stderr read apart, and a watchdog that kills the whole group (grandchildren too:
// a `processes` run's workers) once the stated limit has passed. A failure is one line naming
// the program, what it was doing and why: a ProgramError, which the CLI prints and exits 2 on.
#include <string>
#include <vector>

#include "input_error.hpp"

namespace gillab {

// A fault in something outside gillab (a program that hangs, crashes or prints the wrong
// thing): bad input as a config's fault is, exit 2, nothing written.
struct ProgramError : InputError {
  using InputError::InputError;
};
// The program is not there to run (exec failed): a caller for which the program is optional
// (gillab_bench's Python) skips it; for every other caller it is a ProgramError like the rest.
struct ProgramNotStarted : ProgramError {
  using ProgramError::ProgramError;
};

struct ProgramRun {
  std::string out, err;      // what it printed on each stream
  int status = 0;            // waitpid's status
  bool timed_out = false;    // killed by the watchdog
  bool started = true;       // false: exec failed (no such program, not executable)
  double elapsed_s = 0;
};

// Runs argv[0] (looked up in PATH when it has no '/') with argv, standard input from
// /dev/null, for at most limit_s seconds. Never throws for the program's own faults.
// `env` ("KEY=VALUE") is added to the program's environment.
ProgramRun run_program(const std::vector<std::string>& argv, double limit_s, const std::vector<std::string>& env = {});

// run_program, then the program's standard output, or a ProgramError: "'<program>' (<doing>)
// ran past <limit> s: killed", "... was killed by signal 11 (Segmentation fault)", "... exited
// with status 3: <the last line it printed on stderr>", "... could not be started" (thrown as
// ProgramNotStarted).
std::string program_output(const std::vector<std::string>& argv, double limit_s, const std::string& doing);

// The one line above, for a finished run that failed ("" when it exited 0).
std::string program_failure(const ProgramRun& r, const std::string& program, const std::string& doing, double limit_s);

// How long a probe of a Python (its version, its build) and a git query may take; a task's
// limit is the run's timeout_s. Set here, named in --help.
constexpr double kProbeLimitS = 30;
constexpr double kGitLimitS = 30;
double git_limit_s();  // kGitLimitS, or GILLAB_GIT_LIMIT_S where set (a positive number)

}  // namespace gillab
