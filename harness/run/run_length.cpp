#include "run_length.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "eval.hpp"
#include "plan.hpp"
#include "workload_files.hpp"

namespace gillab {

namespace {

constexpr int kMaxBlocks = 10000000;  // the `blocks` key's range (config.cpp)

// Seconds for the config's tasks in a row on the plain model, in this process: what the
// serial point's run does, less the start-up of its measuring process.
double serial_run_s(const WorkloadParams& w, int64_t seed, int tasks) {
  Runtime<rc::Plain> rt(build_workload(w), false);
  ThreadState<rc::Plain> ts(rt);
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < tasks; ++i) {
    const int64_t args[3] = {seed + i, w.difficulty, w.blocks};
    Interpreter<rc::Plain, false>::call(ts, rt.global(kTaskGlobal), args);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

RunLength calibrate_run_length(const Config& cfg) {
  RunLength out{cfg, nullptr, ""};
  if (cfg.run_s <= 0) return out;
  WorkloadParams w = cfg.workload;
  w.name = first_workload(cfg);
  w.blocks = std::min(cfg.workload.blocks, 8);
  const double enough_s = std::min(0.02, cfg.run_s / 4);
  double t = serial_run_s(w, cfg.seed, cfg.tasks);
  while (t < enough_s && w.blocks <= kMaxBlocks / 2) {
    w.blocks *= 2;
    t = serial_run_s(w, cfg.seed, cfg.tasks);
  }
  const double scaled = static_cast<double>(w.blocks) * cfg.run_s / std::max(t, 1e-9);
  out.cfg.workload.blocks = static_cast<int>(std::clamp<double>(std::llround(scaled), 1, kMaxBlocks));
  out.record = {{"run_s", cfg.run_s}, {"workload", w.name}, {"blocks_given", cfg.workload.blocks},
                {"pilot_blocks", w.blocks}, {"pilot_s", t}, {"blocks", out.cfg.workload.blocks}};
  char buf[256];
  std::snprintf(buf, sizeof buf, "calibrated: blocks %d (was %d): %d tasks of %s at %d blocks took %.1f ms; run_s %g s",
                out.cfg.workload.blocks, cfg.workload.blocks, cfg.tasks, w.name.c_str(), w.blocks, t * 1e3, cfg.run_s);
  out.line = buf;
  return out;
}

}  // namespace gillab
