#pragma once
// Each strategy's runner: an instantiation of the eval loop with its refcount policy, one file
// each here. These files are the measured code, compiled once per code alignment (gillab,
// gillab-align32, gillab-align64: harness/CMakeLists.txt), so a build that samples code layout
// recompiles only them; the registry in ../strategy.cpp names these functions.
#include "run_result.hpp"

namespace gillab::runs {

RunResult serial(const RunSpec& s);
RunResult gil(const RunSpec& s);
RunResult race(const RunSpec& s);
RunResult refcount_lock(const RunSpec& s);
RunResult atomic(const RunSpec& s);
RunResult cas(const RunSpec& s);
RunResult biased(const RunSpec& s);
RunResult biased_unlocked(const RunSpec& s);
RunResult processes(const RunSpec& s);
RunResult interpreters(const RunSpec& s);

}  // namespace gillab::runs
