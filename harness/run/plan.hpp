#pragma once
// A config becomes a plan: the points to measure, each with the serial point it is measured
// against, the tasks and their reference answers, and a time estimate.
//
// Matched baselines: a point's ratio is against the serial point that matches it in every
// dimension but strategy and workers (workload, implementation, immortal, ...), so that a
// ratio measures the strategy and nothing else. A serial point with a mechanism switched on
// (immortal) is itself measured against plain serial: its ratio is that mechanism's own cost on
// one thread. Only plain serial is its own baseline (ratio 1 by construction).
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config.hpp"
#include "cpython_runner.hpp"
#include "experiment.hpp"
#include "strategy.hpp"

namespace gillab {

struct Point {
  const Strategy* strategy = nullptr;
  std::string workload;
  int workers = 1;
  bool immortal = false;
  bool deferred = false;
  std::string gil_mode, lock_kind;
  int switch_interval_us = 0;
  std::string implementation = "gillab";  // or cpython: the same tasks in real Python
  std::string cpython_mode;                // serial, threads or processes, for cpython points
  int python = -1;                         // cpython points: index in Plan::pythons
  std::string python_label;                // and its version and build ("3.13.15t")
  size_t baseline = 0;                     // index in the plan of its matched serial point
  // The same point at one worker, where the plan has it (index; npos otherwise): a run's
  // scaling is that point's wall in the same round over this one's (the mechanism's own
  // t1 / tN, as ftscalingbench measures it, paired).
  size_t one_worker = static_cast<size_t>(-1);
  std::string role;                        // "aa": a point added as an A/A pair; "" otherwise
  bool aa_pair = false;                    // runs serial's code by another route at one worker (plan.cpp)

  std::string label() const;
  bool is_serial() const { return strategy->name == "serial"; }
  bool is_plain_serial() const { return is_serial() && !immortal && !deferred; }
};

struct Plan {
  const Experiment* experiment = nullptr;
  std::vector<std::string> workloads;
  std::vector<Point> points;
  std::vector<int64_t> seeds;             // per task
  std::map<std::string, std::vector<int64_t>> reference;  // per workload, per task: the answers every run must give
  WorkloadParams workload;                // difficulty, blocks
  std::vector<PythonBuild> pythons;       // the cpython points' interpreters
};

// The points of a config (gillab's, and CPython's counterparts in each of `pythons`), each with
// its matched baseline set. A free-threaded build's serial point is measured against the GIL
// build of the same version where the plan has one (its ratio: free-threading's own cost on one
// thread), as serial with immortal objects is against plain serial. Throws ConfigError for an
// unknown experiment or strategy.
Plan make_plan(const Config& cfg, const std::vector<PythonBuild>& pythons);

// Rough cost of a point relative to serial on one thread: only for the time estimate.
double cost_factor(const Point& p);

// The workload the config names first (its experiment's own if it names none).
std::string first_workload(const Config& cfg);

}  // namespace gillab
