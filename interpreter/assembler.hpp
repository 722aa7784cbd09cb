#pragma once
// A small assembler: named locals, interned constants, labels resolved at finish(), and the
// stack depth computed over the control-flow graph, so that a program that would under- or
// overflow its stack is rejected before it runs.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "code.hpp"

namespace gillab {

struct AssemblyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Assembler {
 public:
  struct Label {
    int id;
  };

  Assembler(std::string name, std::vector<std::string> args);

  uint16_t local(std::string_view name);  // its index; created on first use
  uint16_t constant(int64_t v);
  uint16_t none();

  Label label();
  Assembler& bind(Label l);
  Assembler& emit(Op op, uint16_t arg = 0);
  Assembler& jump(Op op, Label target);  // any jump (is_jump)

  Assembler& load_const(int64_t v) { return emit(Op::LOAD_CONST, constant(v)); }
  Assembler& load_none() { return emit(Op::LOAD_CONST, none()); }
  Assembler& load_fast(std::string_view n) { return emit(Op::LOAD_FAST, local(n)); }
  Assembler& store_fast(std::string_view n) { return emit(Op::STORE_FAST, local(n)); }

  CodeSpec finish();

 private:
  CodeSpec code_;
  std::vector<int> label_pos_;                   // instruction index, -1 while unbound
  std::vector<std::pair<size_t, int>> fixups_;  // (instruction, label)
};

// Stack effect of one instruction (CALL n pops the callable and n arguments, pushes 1).
int stack_effect(Op op, uint16_t arg);
int stack_inputs(Op op, uint16_t arg);  // how many values it reads off the stack
bool is_jump(Op op);

// Checks a function's control flow (jumps go where their names say, nothing runs off the end,
// the stack depth agrees wherever paths meet and never underflows) and sets its stacksize;
// throws AssemblyError naming the fault. The assembler and the workload loader both run it.
void analyse_stack(CodeSpec& code);

// Checks every argument against the program's tables; throws AssemblyError naming the fault.
void validate(const Program& p);

}  // namespace gillab
