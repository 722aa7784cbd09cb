#include "isolate.hpp"

#include <poll.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>

#include "program.hpp"

namespace gillab {

namespace {

volatile sig_atomic_t g_interrupted = 0;
volatile pid_t g_child = 0;

void on_signal(int) {
  g_interrupted = 1;
  if (g_child > 0) kill(-g_child, SIGKILL);
}

void write_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

}  // namespace

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return "was killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "ended oddly (status " + std::to_string(status) + ")";
}

int reap_child(int pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

bool interrupted() { return g_interrupted != 0; }

std::string watchdog_message(double timeout_s) {
  return "timed out after " + std::to_string(timeout_s) + " s: killed by the watchdog";
}

void install_interrupt_handlers() {
  struct sigaction sa{};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

void die_with_parent(int parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(137);  // it died between the fork and the prctl
}

namespace {

// The child: its own process group, default signals, body() run and its payload sent back
// tagged R (a result), P (an outside program failed) or E (an exception).
[[noreturn]] void run_child(const std::function<std::string()>& body, int out_fd, pid_t parent) {
  die_with_parent(parent);
  setpgid(0, 0);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  int code = 0;
  std::string payload = "R";  // appended, not "R" + body(): g++ 12 warns falsely on that
  try {
    payload.append(body());
  } catch (const ProgramError& e) {
    payload = std::string("P") + e.what();
    code = 3;
  } catch (const std::exception& e) {
    payload = std::string("E") + e.what();
    code = 3;
  }
  write_all(out_fd, payload);
  close(out_fd);
  std::fflush(stdout);
  std::fflush(stderr);
  _exit(code);
}

// Everything the child sends until it closes its end, the deadline passes (timed_out) or an
// interrupt arrives.
std::string read_until(int fd, double timeout_s, bool& timed_out) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s);
  std::string data;
  char buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      return data;
    }
    pollfd p{fd, POLLIN, 0};
    int rc = poll(&p, 1, static_cast<int>(std::min<long long>(left, 200)));
    if (g_interrupted) return data;
    if (rc <= 0) continue;  // EINTR or the 200 ms tick: look at the clock and the flag again
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return data;  // EOF: the child closed its end or died
    data.append(buf, static_cast<size_t>(n));
  }
}

// What the child's bytes and exit status say, in the order that decides: an interrupt, the
// watchdog, a tagged failure, a clean result, else how the process ended.
void decode(Isolated& out, const std::string& data, int status, double timeout_s) {
  if (g_interrupted) {
    out.error = "interrupted";
  } else if (out.timed_out) {
    out.error = watchdog_message(timeout_s);
  } else if (!data.empty() && data[0] == 'P') {
    out.program_failed = true;
    out.error = data.substr(1);
  } else if (!data.empty() && data[0] == 'E') {
    out.error = "failed: " + data.substr(1);
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !data.empty() && data[0] == 'R') {
    out.ok = true;
    out.payload = data.substr(1);
  } else {
    out.error = "the run's process " + describe_status(status);
  }
}

}  // namespace

Isolated run_isolated(const std::function<std::string()>& body, double timeout_s) {
  Isolated out;
  int fds[2];
  if (pipe(fds) != 0) {
    out.error = std::string("pipe: ") + std::strerror(errno);
    return out;
  }
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    out.error = std::string("fork: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return out;
  }
  if (pid == 0) {
    close(fds[0]);
    run_child(body, fds[1], parent);
  }
  setpgid(pid, pid);  // also from here, so the group exists before any kill
  g_child = pid;
  close(fds[1]);
  const std::string data = read_until(fds[0], timeout_s, out.timed_out);
  close(fds[0]);
  if (out.timed_out || g_interrupted) kill(-pid, SIGKILL);
  const int status = reap_child(pid);
  kill(-pid, SIGKILL);  // a grandchild left behind (the child died mid-run) goes with the group
  g_child = 0;
  decode(out, data, status, timeout_s);
  return out;
}

}  // namespace gillab
