#pragma once
// Programs as data, independent of the refcount policy: each runtime boxes the constants and
// creates the function objects with its own policy.
#include <cstdint>
#include <string>
#include <vector>

#include "opcodes.hpp"

namespace gillab {

// A code constant: an int, None, a tuple of ints (CPython folds constant tuples into one), a
// str (compared, never operated on: ftscalingbench's load_string_const) or a nested function's
// code (its value the index into Program::functions; MAKE_FUNCTION makes it a function) or a
// float (its value the double's 64 bits, so that == is exact and a NaN equals itself).
struct Const {
  enum class Kind : uint8_t { Int, None, Tuple, Str, Code, Float } kind = Kind::Int;
  int64_t value = 0;
  std::vector<int64_t> items;  // Tuple
  std::string text{};          // Str
  friend bool operator==(const Const&, const Const&) = default;
};

struct CodeSpec {
  std::string name;
  uint16_t nargs = 0;
  uint16_t nlocals = 0;    // including the arguments, which come first
  uint16_t stacksize = 0;  // the deepest the value stack gets, computed by analyse_stack
  std::vector<Instr> code;
  std::vector<int> lines;  // per instruction, its source line (0: none), where it came from a file
  std::vector<Const> consts;
  std::vector<std::string> local_names;
};

struct GlobalInit {
  enum class Kind : uint8_t { Int, None, Function, Builtin, List, Module, Dict, Class, ThreadLocal } kind = Kind::None;
  // The int, the index into Program::functions, the builtin (kBuiltinNames), the module (0,
  // math), a dict's one value for all its keys, or the index into Program::classes.
  int64_t value = 0;
  std::string name;
  std::vector<int64_t> items{};  // List: the ints it starts with; Dict: its keys (ints)
};

// The list methods, by name (a Method object's ival): list.append(x), list.pop([i]).
inline constexpr const char* kMethodNames[] = {"append", "pop"};
inline constexpr int kMethodCount = 2;
enum : uint16_t { kMethodAppend = 0, kMethodPop = 1 };

// The builtins (a Builtin object's ival): range and round, globals; math.cos, the math module's
// one attribute; operator.methodcaller, a global by `from operator import methodcaller`.
enum : uint16_t { kBuiltinRange = 0, kBuiltinCos = 1, kBuiltinRound = 2, kBuiltinMethodCaller = 3 };
inline constexpr const char* kBuiltinNames[] = {"range", "cos", "round", "methodcaller"};
inline constexpr int kBuiltinCount = 4;

// A Module global's value: math, or the file's own module (`NAME = sys.modules[__name__]`),
// whose attributes are its globals.
enum : int64_t { kMathModule = 0, kSelfModule = 1 };

// A module-level `class NAME:` of methods only: each method's name (an index into
// Program::names) and function. Instances keep their attributes in a dict of their own.
struct ClassSpec {
  std::string name;
  std::vector<std::pair<uint16_t, int>> methods;
};

struct Program {
  std::string file;  // the workload file it was compiled from, if any
  std::string doc;   // its docstring
  std::vector<CodeSpec> functions;
  std::vector<GlobalInit> globals;
  std::vector<ClassSpec> classes;
  // The attribute and method names that LOAD_ATTR, STORE_ATTR and LOAD_METHOD take by index (one
  // table for the program: CPython's co_names, less the globals).
  std::vector<std::string> names;

  int global_index(const std::string& name) const {
    for (size_t i = 0; i < globals.size(); ++i)
      if (globals[i].name == name) return static_cast<int>(i);
    return -1;
  }
};

// Readable listing, for tests and `gillab list --disassemble` (with the program: global names).
std::string disassemble(const CodeSpec& code, const Program* program = nullptr);
std::string disassemble(const Program& program);

}  // namespace gillab
