#include "program.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "isolate.hpp"

namespace gillab {

namespace {

using Clock = std::chrono::steady_clock;

// The child: a group of its own (so the watchdog's kill reaches what it starts), stdin from
// /dev/null, then exec. An exec failure is reported through a close-on-exec pipe.
[[noreturn]] void exec_child(const std::vector<std::string>& argv, const std::vector<std::string>& env, int out_fd,
                             int err_fd, int report_fd, pid_t parent) {
  die_with_parent(parent);  // survives the exec: a killed gillab takes its programs with it
  setpgid(0, 0);
  for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));  // this child's copy: never freed
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
  const int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) dup2(null_fd, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  const int e = errno;
  (void)!write(report_fd, &e, sizeof e);
  _exit(127);
}

// Reads both streams until both close or the deadline passes; false when it passed.
bool drain(int out_fd, int err_fd, Clock::time_point deadline, ProgramRun& r) {
  pollfd p[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sink[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0 || interrupted()) return false;
    const int rc = poll(p, 2, static_cast<int>(std::min<long long>(left, 200)));
    if (rc < 0 && errno != EINTR) return false;
    for (int i = 0; i < 2 && rc > 0; ++i) {
      if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(p[i].fd, buf, sizeof buf);
      if (n > 0) {
        sink[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        p[i].fd = -1;
        --open_fds;
      }
    }
  }
  return true;
}

std::string last_line(const std::string& s) {
  size_t end = s.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "";
  size_t begin = s.rfind('\n', end);
  std::string line = s.substr(begin == std::string::npos ? 0 : begin + 1, end + 1 - (begin == std::string::npos ? 0 : begin + 1));
  return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s == std::floor(s) ? "%.0f" : "%.1f", s);
  return buf;
}

}  // namespace

ProgramRun run_program(const std::vector<std::string>& argv, double limit_s, const std::vector<std::string>& env) {
  ProgramRun r;
  int out[2], err[2], report[2];
  if (argv.empty() || pipe(out) != 0 || pipe(err) != 0 || pipe2(report, O_CLOEXEC) != 0) {
    r.started = false;
    return r;
  }
  const auto t0 = Clock::now();
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) exec_child(argv, env, out[1], err[1], report[1], parent);
  close(out[1]);
  close(err[1]);
  close(report[1]);
  if (pid < 0) {
    r.started = false;
  } else {
    setpgid(pid, pid);  // also from here, so the group exists before any kill
    int exec_errno = 0;
    if (read(report[0], &exec_errno, sizeof exec_errno) == sizeof exec_errno) r.started = false;
    const auto deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limit_s));
    if (r.started && !drain(out[0], err[0], deadline, r)) r.timed_out = true;
    if (r.timed_out) kill(-pid, SIGKILL);
    r.status = reap_child(pid);
    kill(-pid, SIGKILL);  // whatever it left behind goes with its group
  }
  close(out[0]);
  close(err[0]);
  close(report[0]);
  r.elapsed_s = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

std::string program_failure(const ProgramRun& r, const std::string& program, const std::string& doing, double limit_s) {
  const std::string who = "'" + program + "' (" + doing + ")";
  if (!r.started) return who + " could not be started: no such program, or not executable";
  if (interrupted()) return who + " was interrupted";
  if (r.timed_out) return who + " ran past " + seconds(limit_s) + " s: killed";
  if (WIFSIGNALED(r.status)) return who + " " + describe_status(r.status);
  if (WIFEXITED(r.status) && WEXITSTATUS(r.status) != 0) {
    std::string said = last_line(r.err.empty() ? r.out : r.err);
    return who + " exited with status " + std::to_string(WEXITSTATUS(r.status)) + (said.empty() ? "" : ": " + said);
  }
  return "";
}

double git_limit_s() {
  const char* v = std::getenv("GILLAB_GIT_LIMIT_S");
  char* end = nullptr;
  const double s = v ? std::strtod(v, &end) : 0;
  return v && end != v && *end == '\0' && s > 0 ? s : kGitLimitS;
}

std::string program_output(const std::vector<std::string>& argv, double limit_s, const std::string& doing) {
  const ProgramRun r = run_program(argv, limit_s);
  std::string why = program_failure(r, argv.empty() ? "" : argv[0], doing, limit_s);
  if (!r.started) throw ProgramNotStarted(why);
  if (!why.empty()) throw ProgramError(why);
  return r.out;
}

}  // namespace gillab
