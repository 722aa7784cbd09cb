#include "progress.hpp"

#include <cmath>

namespace gillab {

std::string format_duration(double s) {
  char buf[32];
  if (!std::isfinite(s) || s < 0) return "?";
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, static_cast<int>(s) % 3600 / 60);
  }
  return buf;
}

double Progress::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::step(const std::string& what, double took_s, double expected_s, const std::string& note) {
  ++done_;
  expected_done_s_ += expected_s;
  if (quiet_) return;
  // Scale what is left of the estimate by how the estimate has fared so far.
  double ratio = expected_done_s_ > 0 ? elapsed_s() / expected_done_s_ : 1;
  double eta = std::max(0.0, (estimate_s_ - expected_done_s_) * ratio);
  std::string suite;
  if (!suite_label_.empty()) suite.append(", suite ").append(format_duration(eta + suite_after_s_));
  std::fprintf(stderr, "%s%s%s[%d/%d] %s%s%s  %.3f s  eta %s%s%s%s\n", suite_label_.empty() ? "" : "[config ",
               suite_label_.c_str(), suite_label_.empty() ? "" : "] ", done_, total_, label_.c_str(),
               label_.empty() ? "" : ": ", what.c_str(), took_s, format_duration(eta).c_str(), suite.c_str(),
               note.empty() ? "" : "  ", note.c_str());
}

}  // namespace gillab
