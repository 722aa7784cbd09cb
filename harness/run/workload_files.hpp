#pragma once
// Workloads are Python files: workloads/<name>.py, or any .py path a config names, each with a
// task(seed, difficulty, blocks) that CPython runs as it is. interpreter/compile.py compiles a
// file to the model's bytecode (JSON); this loads that into a Program, checked as the assembler
// checks its own, and asks CPython for the answers every run of the file must give.
//
// The model runs what CPython 3.11 would (tests/dis_compare.py), so a workload is written once.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "code.hpp"
#include "workloads.hpp"

namespace gillab {

struct WorkloadFile {
  std::string name;  // the stem
  std::string path;
  std::string doc;   // the docstring's first line
};

std::string workloads_dir();                  // <source>/workloads
std::string cpython_task_script();           // <source>/experiments/cpython/run_tasks.py: runs tasks in a CPython
std::vector<WorkloadFile> workload_files();   // the folder's .py files, by name
bool workload_exists(const std::string& name);  // a stem there, or a .py path that exists
std::string workload_path(const std::string& name);  // throws InputError if neither

// The compiled program of a workload, compiled once per process. A file the compiler refuses
// is an InputError with the compiler's line (file:line:col: <construct> is not supported).
const Program& workload_program(const std::string& name);
// An exec'd measuring process takes the parent's compiled program instead of compiling again.
void remember_program(const std::string& name, const Program& program);

// The program for a run; throws std::invalid_argument for a difficulty or blocks out of range.
Program build_workload(const WorkloadParams& w);

nlohmann::json program_to_json(const Program& p);
// Throws InputError naming `file` and the fault (an unknown op, a bad index, a stack that
// under- or overflows, no task of three arguments).
Program program_from_json(const nlohmann::json& j, const std::string& file);

// What task(seed, difficulty, blocks) returns in CPython (python3 on PATH, running
// experiments/cpython/run_tasks.py over the same file) for each seed: the reference every run is
// checked against. Cached by the file's content and the parameters, in the process and under
// $XDG_CACHE_HOME/gillab (else ~/.cache/gillab), so that each is computed once.
// CPython runs every seed serially within limit_s (a run's timeout_s: what one run may take).
std::vector<int64_t> reference_answers(const WorkloadParams& w, const std::vector<int64_t>& seeds, double limit_s);

}  // namespace gillab
