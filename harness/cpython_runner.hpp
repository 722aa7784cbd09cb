#pragma once
// The same tasks in real CPython (experiments/cpython/run_tasks.py): serial, threads or
// processes, timed by the Python program itself, answers checked by the harness like any run.
#include <nlohmann/json.hpp>
#include <string>

#include "run_result.hpp"

namespace gillab {

// The CPython mode that stands for a gillab strategy (serial, threads, processes), or "" when
// CPython has no counterpart. Threads stand for `gil` on a GIL build and for `biased` on a
// free-threaded one with the GIL disabled (PEP 703 is what such a build does).
std::string cpython_mode(const std::string& strategy, const nlohmann::json& probe);

// The interpreter's version and build (runs the script with --probe). Throws
// std::runtime_error saying why when the interpreter cannot be run.
nlohmann::json probe_python(const std::string& python);

RunResult run_cpython(const RunSpec& spec, const std::string& python, const std::string& mode);

}  // namespace gillab
