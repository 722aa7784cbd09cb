#pragma once
// Runs a function in a forked child under a watchdog, so that a crash, an abort or a deadlock
// in one run (the race experiment may do any of them) costs that run and nothing else.
#include <functional>
#include <string>

namespace gillab {

struct Isolated {
  bool ok = false;         // the child exited 0 and sent its payload
  bool timed_out = false;  // killed by the watchdog
  bool program_failed = false;  // body threw ProgramError: an outside program failed, not the run
  std::string payload;     // what the child's function returned
  std::string error;       // why not ok, in words
};

// The child runs body() and sends back its string; it runs in a process group of its own, and
// the watchdog kills the whole group (grandchildren included) after timeout_s.
Isolated run_isolated(const std::function<std::string()>& body, double timeout_s);

// In a child just forked by `parent`: it is killed when the forking thread dies (gillab killed
// by SIGKILL runs no watchdog, so without this its children would run on, orphaned), and exits
// at once if the parent is already gone.
void die_with_parent(int parent);

// How a child ended, in words: "exited with status 3", "was killed by signal 11 (Segmentation
// fault)". Every runner's and watchdog's message about a process says it this way.
std::string describe_status(int status);
// waitpid(pid) until it answers (EINTR retried); the child's status.
int reap_child(int pid);

// "timed out after N s: killed by the watchdog": a run's error when its watchdog fired.
std::string watchdog_message(double timeout_s);

// Set by SIGINT/SIGTERM (after the running child's group has been killed): the caller stops,
// writing nothing, and exits non-zero.
bool interrupted();
void install_interrupt_handlers();

}  // namespace gillab
