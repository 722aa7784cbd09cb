#include "workload_files.hpp"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include <sys/wait.h>
#include <unistd.h>

#include "assembler.hpp"
#include "input_error.hpp"
#include "build_info.hpp"
#include "json_input.hpp"
#include "program.hpp"

namespace gillab {

namespace fs = std::filesystem;

namespace {

const char* kPython = "python3";  // the system's: it compiles and gives the reference answers
constexpr double kCompileLimitS = 60;

std::string compiler() { return build_info().source_dir + "/interpreter/compile.py"; }

bool is_py_path(const std::string& name) { return name.size() > 3 && name.ends_with(".py"); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read the workload file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The compiler's own one line when it refuses the file (exit 2), else the failure as a program's.
std::string compile_to_json(const std::string& path) {
  const ProgramRun r = run_program({kPython, compiler(), path}, kCompileLimitS);
  if (r.started && !r.timed_out && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 2 && !r.err.empty()) {
    std::string line = r.err.substr(0, r.err.find('\n'));
    throw InputError(line);
  }
  const std::string failure = program_failure(r, kPython, std::string("compiling ").append(path), kCompileLimitS);
  if (!failure.empty()) throw ProgramError(failure);
  return r.out;
}

struct Cache {
  std::mutex mu;
  std::map<std::string, Program> programs;                     // by name as given
  std::map<std::string, std::vector<int64_t>> answers;         // by key
};
Cache& cache() {
  static Cache c;
  return c;
}

Op op_named(const std::string& name, const std::string& where) {
  for (int i = 0; i < kOpCount; ++i)
    if (op_name(static_cast<Op>(i)) == name) return static_cast<Op>(i);
  throw InputError(where + ": unknown op '" + name + "'");
}

Const const_from_json(const nlohmann::json& c, const std::string& where) {
  if (c.contains("none")) return Const{Const::Kind::None, 0, {}};
  if (c.contains("int")) return Const{Const::Kind::Int, c.at("int").get<int64_t>(), {}};
  if (c.contains("tuple")) return Const{Const::Kind::Tuple, 0, c.at("tuple").get<std::vector<int64_t>>()};
  if (c.contains("str")) return Const{Const::Kind::Str, 0, {}, c.at("str").get<std::string>()};
  if (c.contains("code")) return Const{Const::Kind::Code, c.at("code").get<int64_t>(), {}};
  if (c.contains("float")) return Const{Const::Kind::Float, std::bit_cast<int64_t>(c.at("float").get<double>()), {}};
  throw InputError(where + ": a constant that is not an int, None, a float, a str, a tuple of ints or a function's code");
}

CodeSpec code_from_json(const nlohmann::json& f, const std::string& file) {
  CodeSpec c;
  c.name = f.at("name").get<std::string>();
  const std::string where = file + ": function " + c.name;
  const auto args = f.at("args").get<std::vector<std::string>>();
  c.local_names = f.at("locals").get<std::vector<std::string>>();
  if (c.local_names.size() < args.size() || c.local_names.size() > 0xFFFF ||
      !std::equal(args.begin(), args.end(), c.local_names.begin()))
    throw InputError(where + ": the locals must start with the arguments");
  c.nargs = static_cast<uint16_t>(args.size());
  c.nlocals = static_cast<uint16_t>(c.local_names.size());
  for (const auto& k : f.at("consts")) c.consts.push_back(const_from_json(k, where));
  for (const auto& ins : f.at("code")) {
    const int64_t arg = ins.at(1).get<int64_t>();
    if (arg < 0 || arg > 0xFFFF) throw InputError(where + ": an argument out of 0..65535");
    c.code.push_back(Instr{op_named(ins.at(0).get<std::string>(), where), 0, static_cast<uint16_t>(arg)});
    c.lines.push_back(ins.at(2).get<int>());
  }
  analyse_stack(c);
  return c;
}

GlobalInit global_from_json(const nlohmann::json& g, const std::string& file) {
  GlobalInit out;
  out.name = g.at("name").get<std::string>();
  out.value = g.at("value").get<int64_t>();
  const std::string kind = g.at("kind").get<std::string>();
  if (kind == "int") out.kind = GlobalInit::Kind::Int;
  else if (kind == "none") out.kind = GlobalInit::Kind::None;
  else if (kind == "function") out.kind = GlobalInit::Kind::Function;
  else if (kind == "builtin" && out.value >= 0 && out.value < kBuiltinCount && out.name == kBuiltinNames[out.value] &&
           out.value != kBuiltinCos)
    out.kind = GlobalInit::Kind::Builtin;
  else if (kind == "module" && ((out.name == "math" && out.value == 0) || out.value == kSelfModule)) out.kind = GlobalInit::Kind::Module;
  else if (kind == "class") out.kind = GlobalInit::Kind::Class;
  else if (kind == "thread_local") out.kind = GlobalInit::Kind::ThreadLocal;
  else if (kind == "list" || kind == "dict") {
    out.kind = kind == "list" ? GlobalInit::Kind::List : GlobalInit::Kind::Dict;
    out.items = g.at("items").get<std::vector<int64_t>>();
  }
  else throw InputError(file + ": global " + out.name + " of unknown kind '" + kind + "'");
  return out;
}

// The key answers are cached under: FNV-1a over the file's bytes and the parameters.
std::string answers_key(const std::string& content, const WorkloadParams& w, const std::vector<int64_t>& seeds) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](const std::string& s) {
    for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
  };
  mix(content);
  std::string params("|");
  params.append(std::to_string(w.difficulty)).append("|").append(std::to_string(w.blocks)).append("|");
  for (int64_t s : seeds) params.append(std::to_string(s)).append(",");
  mix(params);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/gillab";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/gillab";
  return "";
}

std::vector<int64_t> answers_from_cpython(const std::string& path, const WorkloadParams& w, const std::vector<int64_t>& seeds,
                                          double limit_s) {
  std::string list;
  for (int64_t s : seeds) list.append(list.empty() ? "" : ",").append(std::to_string(s));
  const std::string doing = std::string("computing ").append(path).append("'s reference answers");
  const std::string out = program_output({kPython, cpython_task_script(), "--mode", "serial", "--workload-file", path, "--seeds", list,
                                          "--difficulty", std::to_string(w.difficulty), "--blocks", std::to_string(w.blocks)},
                                         limit_s, doing);
  const nlohmann::json j = parse_json(out, std::string("'python3' (").append(doing).append(") printed"), "run_tasks.py's JSON");
  std::vector<int64_t> answers;
  for (const auto& a : j.at("answers")) {
    // A Python int beyond 64 bits parses as a float here: the model could never give it.
    if (!a.is_number_integer() || (a.is_number_unsigned() && a.get<uint64_t>() > uint64_t(INT64_MAX)))
      throw ProgramError(std::string(path).append(": task(seed=").append(std::to_string(seeds[answers.size()]))
                             .append(", ...) returned ").append(a.dump())
                             .append(" in CPython, not an int of 64 bits (the model's ints are 64-bit: mask as workloads/pow.py does)"));
    answers.push_back(a.get<int64_t>());
  }
  if (answers.size() != seeds.size()) throw ProgramError(path + ": CPython gave " + std::to_string(answers.size()) + " answers");
  return answers;
}

}  // namespace

std::string cpython_task_script() { return build_info().source_dir + "/experiments/cpython/run_tasks.py"; }

std::string workloads_dir() { return build_info().source_dir + "/workloads"; }

std::vector<WorkloadFile> workload_files() {
  std::vector<WorkloadFile> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(workloads_dir(), ec))
    if (e.is_regular_file() && e.path().extension() == ".py")
      out.push_back(WorkloadFile{e.path().stem().string(), e.path().string(), ""});
  std::sort(out.begin(), out.end(), [](const WorkloadFile& a, const WorkloadFile& b) { return a.name < b.name; });
  return out;
}

bool workload_exists(const std::string& name) {
  std::error_code ec;
  if (is_py_path(name)) return fs::is_regular_file(name, ec);
  if (name.empty() || name.find('/') != std::string::npos) return false;
  return fs::is_regular_file(workloads_dir() + "/" + name + ".py", ec);
}

std::string workload_path(const std::string& name) {
  if (!workload_exists(name)) {
    std::string known;
    for (const WorkloadFile& f : workload_files()) known.append(known.empty() ? "" : ", ").append(f.name);
    throw InputError(std::string("unknown workload '").append(name).append("' (expected a file stem in workloads/: ").append(known).append("; or a .py path)"));
  }
  return is_py_path(name) ? name : workloads_dir() + "/" + name + ".py";
}

const Program& workload_program(const std::string& name) {
  Cache& c = cache();
  {
    std::lock_guard g(c.mu);
    if (auto it = c.programs.find(name); it != c.programs.end()) return it->second;
  }
  const std::string path = workload_path(name);
  const std::string out = compile_to_json(path);
  Program p = program_from_json(parse_json(out, std::string("the compiler's output for ").append(path), "a program"), path);
  std::lock_guard g(c.mu);
  return c.programs.emplace(name, std::move(p)).first->second;
}

void remember_program(const std::string& name, const Program& program) {
  std::lock_guard g(cache().mu);
  cache().programs.insert_or_assign(name, program);
}

Program build_workload(const WorkloadParams& w) {
  if (w.difficulty < 0 || w.difficulty > 30) throw std::invalid_argument("difficulty must be in 0..30");
  if (w.blocks < 1) throw std::invalid_argument("blocks must be at least 1");
  return workload_program(w.name);
}

nlohmann::json program_to_json(const Program& p) {
  nlohmann::json globals = nlohmann::json::array(), functions = nlohmann::json::array();
  static const char* kinds[] = {"int", "none", "function", "builtin", "list", "module", "dict", "class", "thread_local"};
  for (const GlobalInit& g : p.globals) {
    globals.push_back({{"name", g.name}, {"kind", kinds[static_cast<int>(g.kind)]}, {"value", g.value}});
    if (g.kind == GlobalInit::Kind::List || g.kind == GlobalInit::Kind::Dict) globals.back()["items"] = g.items;
  }
  for (const CodeSpec& c : p.functions) {
    nlohmann::json consts = nlohmann::json::array(), code = nlohmann::json::array();
    for (const Const& k : c.consts) {
      if (k.kind == Const::Kind::None) consts.push_back({{"none", true}});
      else if (k.kind == Const::Kind::Int) consts.push_back({{"int", k.value}});
      else if (k.kind == Const::Kind::Str) consts.push_back({{"str", k.text}});
      else if (k.kind == Const::Kind::Code) consts.push_back({{"code", k.value}});
      else if (k.kind == Const::Kind::Float) consts.push_back({{"float", std::bit_cast<double>(k.value)}});
      else consts.push_back({{"tuple", k.items}});
    }
    for (size_t i = 0; i < c.code.size(); ++i)
      code.push_back({std::string(op_name(c.code[i].op)), c.code[i].arg, i < c.lines.size() ? c.lines[i] : 0});
    const std::vector<std::string> args(c.local_names.begin(), c.local_names.begin() + c.nargs);
    functions.push_back({{"name", c.name}, {"args", args}, {"locals", c.local_names}, {"consts", consts}, {"code", code}});
  }
  nlohmann::json classes = nlohmann::json::array();
  for (const ClassSpec& k : p.classes) {
    nlohmann::json methods = nlohmann::json::array();
    for (const auto& [name, fn] : k.methods) methods.push_back({name, fn});
    classes.push_back({{"name", k.name}, {"methods", methods}});
  }
  return {{"file", p.file}, {"doc", p.doc}, {"globals", globals}, {"functions", functions}, {"classes", classes}, {"names", p.names}};
}

Program program_from_json(const nlohmann::json& j, const std::string& file) {
  try {
    Program p;
    p.file = j.value("file", file);
    p.doc = j.value("doc", "");
    for (const auto& g : j.at("globals")) p.globals.push_back(global_from_json(g, file));
    for (const auto& f : j.at("functions")) p.functions.push_back(code_from_json(f, file));
    p.names = j.value("names", std::vector<std::string>{});
    for (const auto& k : j.value("classes", nlohmann::json::array()))
      p.classes.push_back(ClassSpec{k.at("name").get<std::string>(), k.at("methods").get<std::vector<std::pair<uint16_t, int>>>()});
    validate(p);
    const int task = p.global_index(kTaskGlobal);
    if (task < 0 || p.globals[static_cast<size_t>(task)].kind != GlobalInit::Kind::Function ||
        p.functions[static_cast<size_t>(p.globals[static_cast<size_t>(task)].value)].nargs != 3)
      throw InputError(file + ": no task(seed, difficulty, blocks) function");
    return p;
  } catch (const AssemblyError& e) {
    throw InputError(file + ": " + e.what());
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file + ": the compiled program is malformed: " + e.what());
  }
}

std::vector<int64_t> reference_answers(const WorkloadParams& w, const std::vector<int64_t>& seeds, double limit_s) {
  const std::string path = workload_path(w.name);
  const std::string key = answers_key(read_file(path), w, seeds);
  Cache& c = cache();
  {
    std::lock_guard g(c.mu);
    if (auto it = c.answers.find(key); it != c.answers.end()) return it->second;
  }
  const std::string dir = cache_dir(), file = dir + "/answers-" + key + ".json";
  std::vector<int64_t> answers;
  std::error_code ec;
  if (!dir.empty() && fs::is_regular_file(file, ec)) {
    try {
      answers = nlohmann::json::parse(read_file(file)).get<std::vector<int64_t>>();
    } catch (const std::exception&) {
      answers.clear();  // a damaged cache entry is computed again
    }
  }
  if (answers.size() != seeds.size()) {
    answers = answers_from_cpython(path, w, seeds, limit_s);
    if (!dir.empty()) {
      // Written aside and renamed, so that a reader sees a whole entry or none. An unwritable
      // cache costs a recomputation next time, nothing else.
      fs::create_directories(dir, ec);
      const std::string tmp = file + ".tmp" + std::to_string(::getpid());
      std::ofstream(tmp) << nlohmann::json(answers).dump() << "\n";
      fs::rename(tmp, file, ec);
      if (ec) fs::remove(tmp, ec);
    }
  }
  std::lock_guard g(c.mu);
  c.answers.emplace(key, answers);
  return answers;
}

}  // namespace gillab
