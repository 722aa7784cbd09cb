#include "process_table.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>
#include <thread>

#include "cpu_clock.hpp"
#include "isolate.hpp"

namespace gillab {

namespace {

size_t cache_align(size_t n) { return (n + 63) / 64 * 64; }

std::string exit_failure(int w, int st) {
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return "";
  return "worker process " + std::to_string(w) + " " + describe_status(st);
}

// The workers' slots into the run's result: answers, per-worker counts and CPUs, and the
// timeline moved from the table's epoch to the run's start (offset seconds later).
void gather_slots(RunResult& res, ProcessTable& table, double offset) {
  res.answers.assign(table.answers(), table.answers() + table.tasks());
  for (int w = 0; w < table.workers(); ++w) {
    const ProcessWorkerSlot& slot = table.slot(w);
    res.cpu_s += slot.cpu_s;
    add_worker(res, slot.counts, slot.error);
    res.bound_pus.push_back(slot.bound);
    res.worker_cpus.emplace_back();
    for (int c = 0; c < ProcessWorkerSlot::kMaxCpus; ++c)
      if (slot.cpus[c]) res.worker_cpus.back().push_back(c);
    for (int i = 0; i < slot.n_intervals; ++i) {
      Interval iv = slot.intervals[i];  // from the table's epoch to the run's start
      iv.t0 -= offset;
      iv.t1 -= offset;
      res.timeline.push_back(iv);
    }
  }
}

}  // namespace

void ProcessWorkerSlot::set_error(const std::string& e) {
  if (!e.empty() && error[0] == 0) std::snprintf(error, sizeof error, "%s", e.c_str());
}

ProcessTable::ProcessTable(int workers, int tasks) : workers_(workers), tasks_(tasks) {
  answers_at_ = cache_align(sizeof(ProcessShared));
  slots_at_ = cache_align(answers_at_ + sizeof(int64_t) * static_cast<size_t>(tasks));
  bytes_ = slots_at_ + sizeof(ProcessWorkerSlot) * static_cast<size_t>(workers);
  mem_ = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem_ == MAP_FAILED) throw std::runtime_error("mmap of the shared task table failed");
  new (mem_) ProcessShared{};
  for (int w = 0; w < workers; ++w) new (&slot(w)) ProcessWorkerSlot{};  // constructed, not memset: it holds an atomic
  epoch_ = std::chrono::steady_clock::now();
}

ProcessTable::~ProcessTable() { munmap(mem_, bytes_); }

double ProcessTable::since_epoch(std::chrono::steady_clock::time_point t) const {
  return std::chrono::duration<double>(t - epoch_).count();
}

StartGate::StartGate() {
  if (pipe(fd_) != 0) throw std::runtime_error("pipe for the start gate failed");
}

StartGate::~StartGate() {
  for (int fd : fd_)
    if (fd >= 0) close(fd);
}

void StartGate::wait_in_child(ProcessWorkerSlot& slot) {
  close(fd_[1]);  // only the parent's write end may hold the gate shut
  slot.ready.store(1, std::memory_order_release);
  char c;
  while (read(fd_[0], &c, 1) < 0 && errno == EINTR) {
  }
}

void StartGate::abandon(const std::vector<pid_t>& pids, const std::string& why) {
  for (pid_t p : pids) kill(p, SIGKILL);
  for (pid_t p : pids) reap_child(p);
  throw std::runtime_error(why);
}

void StartGate::wait_ready(const std::vector<pid_t>& pids, ProcessTable& table) {
  for (size_t w = 0; w < pids.size(); ++w) {
    while (!table.slot(static_cast<int>(w)).ready.load(std::memory_order_acquire)) {
      int st;
      if (waitpid(pids[w], &st, WNOHANG) == pids[w]) {
        std::vector<pid_t> others(pids);
        others.erase(others.begin() + static_cast<long>(w));
        abandon(others, "worker process " + std::to_string(w) + " died before it started");
      }
      std::this_thread::yield();
    }
  }
}

RunResult StartGate::run_and_collect(const std::vector<pid_t>& pids, ProcessTable& table) {
  using Clock = std::chrono::steady_clock;
  close(fd_[0]);
  fd_[0] = -1;
  wait_ready(pids, table);
  RunResult res;
  const Clock::time_point start = Clock::now();
  close(fd_[1]);  // the gate opens: every worker's read returns
  fd_[1] = -1;
  for (size_t w = 0; w < pids.size(); ++w)
    if (std::string e = exit_failure(static_cast<int>(w), reap_child(pids[w])); !e.empty() && res.error.empty()) res.error = e;
  res.wall_s = seconds_between(start, Clock::now());
  gather_slots(res, table, table.since_epoch(start));
  res.ok = res.error.empty();
  return res;
}

}  // namespace gillab
