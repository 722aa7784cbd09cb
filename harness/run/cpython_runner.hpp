#pragma once
// The same tasks in real CPython (experiments/cpython/run_tasks.py): serial, threads or
// processes, timed by the Python program itself, answers checked by the harness like any run.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run_result.hpp"

namespace gillab {

// One Python of the config's `python` list, probed.
struct PythonBuild {
  std::string path;      // as the config names it (a glob's match)
  std::string label;     // version and build: "3.13.15", "3.13.15t" (free-threaded)
  bool free_threaded = false;
  bool gil_enabled = true;  // at run time: a free-threaded build may re-enable it
  nlohmann::json probe;     // all that --probe said, for the manifest
};

// The CPython mode that stands for a gillab strategy (serial, threads, processes), or "" when
// CPython has no counterpart. Threads stand for `gil` on a GIL build and for `biased` on a
// free-threaded one with the GIL disabled (PEP 703 is what such a build does); they are rows of
// their own (strategy `threads`), with the build in the `python` and `gil_enabled` columns.
std::string cpython_mode(const std::string& strategy, const PythonBuild& py);

// The interpreter's version and build (runs the script with --probe, for at most limit_s or
// kProbeLimitS, whichever is less; once per path in a gillab process). Throws ProgramError, one line saying why, when
// the interpreter hangs, fails or prints anything but a probe.
nlohmann::json probe_python(const std::string& python, double limit_s);

// The `python` list with its globs expanded (sorted; a glob that matches nothing adds none),
// each probed. Throws std::runtime_error naming the Python that cannot be run.
std::vector<PythonBuild> probe_pythons(const std::vector<std::string>& pythons, double limit_s);

// The tasks in CPython, killed (with all it started) after limit_s; a hang, a crash or output
// of the wrong shape is a ProgramError.
RunResult run_cpython(const RunSpec& spec, const std::string& python, const std::string& mode, double limit_s);

}  // namespace gillab
