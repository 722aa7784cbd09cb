#pragma once
// Progress of a long run on stderr: `[12/48] round 3: gil pow workers=4  1.23 s  eta 1m10s`;
// in a suite, `[config 2/10] [12/48] ... eta 1m10s, suite 9m30s`.
#include <chrono>
#include <cstdio>
#include <string>

namespace gillab {

std::string format_duration(double seconds);  // 1m10s, 2.5s, 1h02m

class Progress {
 public:
  Progress(int total, double estimate_s, bool quiet)
      : total_(total), estimate_s_(estimate_s), quiet_(quiet), start_(std::chrono::steady_clock::now()) {}

  // One run done; expected_s is what the estimate allotted it, so the eta corrects itself.
  void step(const std::string& what, double took_s, double expected_s, const std::string& note);
  double elapsed_s() const;
  // More runs than planned (another round): they join the total and the estimate.
  void extend(int runs, double expected_s) {
    total_ += runs;
    estimate_s_ += expected_s;
  }
  void set_label(std::string label) { label_ = std::move(label); }
  // Part of a suite: "2/3", and the estimated seconds of the configs still to come.
  void set_suite(std::string label, double after_s) {
    suite_label_ = std::move(label);
    suite_after_s_ = after_s;
  }

 private:
  int total_, done_ = 0;
  double estimate_s_, expected_done_s_ = 0;
  bool quiet_;
  std::string label_;  // e.g. "round 7": shown before each line
  std::string suite_label_;
  double suite_after_s_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace gillab
