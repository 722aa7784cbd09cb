#include "assembler.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <sstream>

namespace gillab {

Assembler::Assembler(std::string name, std::vector<std::string> args) {
  code_.name = std::move(name);
  code_.nargs = static_cast<uint16_t>(args.size());
  for (auto& a : args) local(a);
}

uint16_t Assembler::local(std::string_view name) {
  auto& names = code_.local_names;
  auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return static_cast<uint16_t>(it - names.begin());
  names.emplace_back(name);
  code_.nlocals = static_cast<uint16_t>(names.size());
  return code_.nlocals - 1;
}

uint16_t Assembler::constant(int64_t v) {
  Const c{Const::Kind::Int, v, {}};
  auto& cs = code_.consts;
  auto it = std::find(cs.begin(), cs.end(), c);
  if (it != cs.end()) return static_cast<uint16_t>(it - cs.begin());
  cs.push_back(c);
  return static_cast<uint16_t>(cs.size() - 1);
}

uint16_t Assembler::none() {
  Const c{Const::Kind::None, 0, {}};
  auto& cs = code_.consts;
  auto it = std::find(cs.begin(), cs.end(), c);
  if (it != cs.end()) return static_cast<uint16_t>(it - cs.begin());
  cs.push_back(c);
  return static_cast<uint16_t>(cs.size() - 1);
}

Assembler::Label Assembler::label() {
  label_pos_.push_back(-1);
  return Label{static_cast<int>(label_pos_.size() - 1)};
}

Assembler& Assembler::bind(Label l) {
  label_pos_.at(l.id) = static_cast<int>(code_.code.size());
  return *this;
}

Assembler& Assembler::emit(Op op, uint16_t arg) {
  code_.code.push_back(Instr{op, 0, arg});
  return *this;
}

Assembler& Assembler::jump(Op op, Label target) {
  if (!is_jump(op)) throw AssemblyError(std::string(op_name(op)) + " is not a jump");
  fixups_.emplace_back(code_.code.size(), target.id);
  return emit(op, 0);
}

bool is_jump(Op op) {
  return op == Op::JUMP_FORWARD || op == Op::JUMP_BACKWARD || op == Op::POP_JUMP_IF_FALSE ||
         op == Op::POP_JUMP_IF_TRUE || op == Op::POP_JUMP_BACKWARD_IF_FALSE || op == Op::POP_JUMP_BACKWARD_IF_TRUE ||
         op == Op::FOR_ITER;
}

int stack_inputs(Op op, uint16_t arg) {
  switch (op) {
    case Op::NOP: case Op::LOAD_CONST: case Op::LOAD_FAST: case Op::LOAD_GLOBAL:
    case Op::JUMP_FORWARD: case Op::JUMP_BACKWARD:
      return 0;
    case Op::BUILD_TUPLE: case Op::BUILD_LIST:
      return arg;
    case Op::BUILD_MAP:
      return 2 * arg;
    case Op::CALL:
      return arg + 1;
    case Op::CALL_METHOD:
      return arg + 2;
    case Op::STORE_SUBSCR:
      return 3;
    case Op::STORE_ATTR:
      return 2;
    case Op::LOAD_METHOD:
      return 1;
    case Op::STORE_FAST: case Op::STORE_GLOBAL: case Op::POP_TOP: case Op::DUP_TOP:
    case Op::POP_JUMP_IF_FALSE: case Op::POP_JUMP_IF_TRUE: case Op::POP_JUMP_BACKWARD_IF_FALSE:
    case Op::POP_JUMP_BACKWARD_IF_TRUE: case Op::RETURN_VALUE: case Op::EXCHANGE_GLOBAL: case Op::GET_ITER:
    case Op::FOR_ITER: case Op::UNARY_NEGATIVE: case Op::UNARY_NOT: case Op::UNARY_INVERT:
    case Op::MAKE_FUNCTION: case Op::LOAD_ATTR: case Op::BEFORE_WITH: case Op::EXIT_INIT_CHECK:
      return 1;
    default:
      return 2;  // ROT_TWO, binary operators, compares, BINARY_SUBSCR
  }
}

int stack_effect(Op op, uint16_t arg) {
  switch (op) {
    case Op::NOP: case Op::ROT_TWO: case Op::JUMP_FORWARD: case Op::JUMP_BACKWARD: case Op::EXCHANGE_GLOBAL:
    case Op::GET_ITER: case Op::UNARY_NEGATIVE: case Op::UNARY_NOT: case Op::UNARY_INVERT:
    case Op::MAKE_FUNCTION: case Op::LOAD_ATTR:
      return 0;
    case Op::LOAD_CONST: case Op::LOAD_FAST: case Op::LOAD_GLOBAL: case Op::DUP_TOP: case Op::FOR_ITER:
      return 1;  // FOR_ITER: when it falls through; its jump pops the iterator (-1)
    case Op::BUILD_TUPLE: case Op::BUILD_LIST:
      return 1 - arg;
    case Op::BUILD_MAP:
      return 1 - 2 * arg;
    case Op::CALL:
      return -static_cast<int>(arg);
    case Op::CALL_METHOD:
      return -1 - static_cast<int>(arg);
    case Op::STORE_SUBSCR:
      return -3;
    case Op::STORE_ATTR:
      return -2;
    case Op::LOAD_METHOD: case Op::BEFORE_WITH:
      return 1;
    default:
      return -1;  // stores, pops, binary operators, compares, conditional jumps, return
  }
}

CodeSpec Assembler::finish() {
  auto& code = code_.code;
  const std::string& fn = code_.name;
  for (auto [at, id] : fixups_) {
    int pos = label_pos_.at(id);
    if (pos < 0) throw AssemblyError(fn + ": jump at " + std::to_string(at) + " to an unbound label");
    code[at].arg = static_cast<uint16_t>(pos);
  }
  analyse_stack(code_);
  return std::move(code_);
}

namespace {

// A jump's direction must be its name's: the eval breaker is checked on backward jumps only.
void check_jump(const CodeSpec& c, size_t at) {
  const Instr in = c.code[at];
  const bool backward = in.arg <= at;
  const bool named_backward = in.op == Op::JUMP_BACKWARD || in.op == Op::POP_JUMP_BACKWARD_IF_FALSE ||
                              in.op == Op::POP_JUMP_BACKWARD_IF_TRUE;
  if (in.arg >= c.code.size()) throw AssemblyError(c.name + ": jump at " + std::to_string(at) + " out of the code");
  if (in.op != Op::FOR_ITER && backward != named_backward)
    throw AssemblyError(c.name + ": " + std::string(op_name(in.op)) + " at " + std::to_string(at) + " goes " +
                        (backward ? "backward" : "forward"));
  if (in.op == Op::FOR_ITER && backward) throw AssemblyError(c.name + ": FOR_ITER at " + std::to_string(at) + " goes backward");
}

}  // namespace

void analyse_stack(CodeSpec& c) {
  const auto& code = c.code;
  const std::string& fn = c.name;
  if (code.empty() || (code.back().op != Op::RETURN_VALUE && code.back().op != Op::JUMP_BACKWARD &&
                       code.back().op != Op::JUMP_FORWARD))
    throw AssemblyError(fn + ": code must end in RETURN_VALUE or a jump");
  for (size_t i = 0; i < code.size(); ++i)
    if (is_jump(code[i].op)) check_jump(c, i);

  // Depth at the start of each instruction, propagated over the control-flow graph.
  std::vector<int> depth(code.size(), -1);
  std::vector<size_t> work{0};
  depth[0] = 0;
  int deepest = 0;
  auto flow = [&](size_t to, int d, size_t from) {
    if (to >= code.size())
      throw AssemblyError(fn + ": control runs off the end after " + std::to_string(from));
    if (depth[to] == -1) {
      depth[to] = d;
      work.push_back(to);
    } else if (depth[to] != d) {
      throw AssemblyError(fn + ": stack depth " + std::to_string(d) + " and " +
                          std::to_string(depth[to]) + " meet at " + std::to_string(to));
    }
  };
  while (!work.empty()) {
    size_t i = work.back();
    work.pop_back();
    const Instr in = code[i];
    int need = stack_inputs(in.op, in.arg);
    if (depth[i] < need)
      throw AssemblyError(fn + ": stack underflow at " + std::to_string(i) + " (" +
                          std::string(op_name(in.op)) + ")");
    int after = depth[i] + stack_effect(in.op, in.arg);
    deepest = std::max(deepest, std::max(after, depth[i]));
    if (in.op == Op::RETURN_VALUE) {
      if (after != 0)
        throw AssemblyError(fn + ": RETURN_VALUE at " + std::to_string(i) + " leaves " +
                            std::to_string(after) + " values on the stack");
      continue;
    }
    if (is_jump(in.op)) flow(in.arg, in.op == Op::FOR_ITER ? depth[i] - 1 : after, i);
    if (in.op != Op::JUMP_FORWARD && in.op != Op::JUMP_BACKWARD) flow(i + 1, after, i);
  }
  c.stacksize = static_cast<uint16_t>(deepest);
}

void validate(const Program& p) {
  for (const CodeSpec& c : p.functions) {
    for (size_t i = 0; i < c.code.size(); ++i) {
      const Instr in = c.code[i];
      auto bad = [&](const std::string& what) {
        throw AssemblyError(c.name + ": instruction " + std::to_string(i) + " (" +
                            std::string(op_name(in.op)) + " " + std::to_string(in.arg) + "): " + what);
      };
      if (static_cast<int>(in.op) >= kOpCount) bad("unknown opcode");
      if (in.op == Op::LOAD_CONST && in.arg >= c.consts.size()) bad("no such constant");
      if ((in.op == Op::LOAD_FAST || in.op == Op::STORE_FAST) && in.arg >= c.nlocals) bad("no such local");
      if ((in.op == Op::LOAD_GLOBAL || in.op == Op::STORE_GLOBAL || in.op == Op::EXCHANGE_GLOBAL) && in.arg >= p.globals.size())
        bad("no such global");
      if ((in.op == Op::STORE_GLOBAL || in.op == Op::EXCHANGE_GLOBAL) && in.arg < p.globals.size() &&
          p.globals[in.arg].kind != GlobalInit::Kind::Int && p.globals[in.arg].kind != GlobalInit::Kind::None)
        bad("a function, builtin, list or dict global is not written");
      if (is_jump(in.op) && in.arg >= c.code.size()) bad("jump out of the code");
      if ((in.op == Op::LOAD_METHOD || in.op == Op::LOAD_ATTR || in.op == Op::STORE_ATTR) && in.arg >= p.names.size())
        bad("no such name");
      if (in.op == Op::MAKE_FUNCTION && in.arg != 0) bad("MAKE_FUNCTION takes no defaults, closure or annotations");
      if (in.op == Op::EXIT_INIT_CHECK) bad("EXIT_INIT_CHECK is the interpreter's own (a class call's shim frame)");
    }
    for (const Const& k : c.consts)
      if (k.kind == Const::Kind::Code && (k.value < 0 || static_cast<size_t>(k.value) >= p.functions.size()))
        throw AssemblyError(c.name + ": a code constant names no function");
  }
  for (const GlobalInit& g : p.globals) {
    if (g.kind == GlobalInit::Kind::Function &&
        (g.value < 0 || static_cast<size_t>(g.value) >= p.functions.size()))
      throw AssemblyError("global " + g.name + " names no function");
    if (g.kind == GlobalInit::Kind::Class && (g.value < 0 || static_cast<size_t>(g.value) >= p.classes.size()))
      throw AssemblyError("global " + g.name + " names no class");
  }
  for (const ClassSpec& k : p.classes)
    for (const auto& [name, fn] : k.methods)
      if (name >= p.names.size() || fn < 0 || static_cast<size_t>(fn) >= p.functions.size() ||
          p.functions[static_cast<size_t>(fn)].nargs < 1)
        throw AssemblyError("class " + k.name + ": a method names no name or no function of at least one argument");
}

namespace {

// Python's repr of a finite double: the shortest text that reads back as it, with ".0" where
// that text looks like an int (to_chars picks fixed or exponent form by length, repr by
// magnitude: they differ only in how a few constants print, never in the value).
std::string float_repr(double v) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string t(buf, ec == std::errc() ? end : buf);
  if (t.find_first_of(".eni") == std::string::npos) t += ".0";
  return t;
}

std::string const_text(const Const& k, const Program* p) {
  if (k.kind == Const::Kind::None) return "None";
  if (k.kind == Const::Kind::Code)
    return "<code " + (p && static_cast<size_t>(k.value) < p->functions.size() ? p->functions[k.value].name : std::to_string(k.value)) + ">";
  if (k.kind == Const::Kind::Int) return std::to_string(k.value);
  if (k.kind == Const::Kind::Float) return float_repr(std::bit_cast<double>(k.value));
  if (k.kind == Const::Kind::Str) {  // as Python's repr of printable ASCII, the compiler's strs
    const char quote = k.text.find('\'') != std::string::npos && k.text.find('"') == std::string::npos ? '"' : '\'';
    std::string q(1, quote);
    for (char ch : k.text) q.append(ch == quote || ch == '\\' ? "\\" : "").push_back(ch);
    return q + quote;
  }
  std::string t = "(";
  for (size_t i = 0; i < k.items.size(); ++i) t.append(i ? ", " : "").append(std::to_string(k.items[i]));
  return t.append(k.items.size() == 1 ? ",)" : ")");
}

}  // namespace

std::string disassemble(const CodeSpec& c, const Program* p) {
  std::ostringstream out;
  out << c.name << " (args " << c.nargs << ", locals " << c.nlocals << ", stack " << c.stacksize << ")\n";
  for (size_t i = 0; i < c.code.size(); ++i) {
    const Instr in = c.code[i];
    out << "  " << (i < c.lines.size() && c.lines[i] ? std::to_string(c.lines[i]) : std::string()) << "\t" << i << "\t"
        << op_name(in.op) << "\t" << in.arg;
    if (in.op == Op::LOAD_CONST && in.arg < c.consts.size()) {
      out << "\t(" << const_text(c.consts[in.arg], p) << ")";
    } else if ((in.op == Op::LOAD_FAST || in.op == Op::STORE_FAST) && in.arg < c.local_names.size()) {
      out << "\t(" << c.local_names[in.arg] << ")";
    } else if (p && (in.op == Op::LOAD_GLOBAL || in.op == Op::STORE_GLOBAL || in.op == Op::EXCHANGE_GLOBAL) &&
               in.arg < p->globals.size()) {
      out << "\t(" << p->globals[in.arg].name << ")";
    } else if (p && (in.op == Op::LOAD_METHOD || in.op == Op::LOAD_ATTR || in.op == Op::STORE_ATTR) && in.arg < p->names.size()) {
      out << "\t(" << p->names[in.arg] << ")";
    } else if (is_jump(in.op)) {
      out << "\t(to " << in.arg << ")";
    }
    out << "\n";
  }
  return out.str();
}

std::string disassemble(const Program& p) {
  std::string out;
  for (const CodeSpec& c : p.functions) out.append(out.empty() ? "" : "\n").append(disassemble(c, &p));
  return out;
}

}  // namespace gillab
