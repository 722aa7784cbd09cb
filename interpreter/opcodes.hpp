#pragma once
// The instruction set: a subset of CPython's, with CPython's names where one exists.
#include <cstdint>
#include <string_view>

namespace gillab {

#define GILLAB_OPCODES(X)                                                                    \
  X(NOP) X(LOAD_CONST) X(LOAD_FAST) X(STORE_FAST) X(LOAD_GLOBAL) X(STORE_GLOBAL) X(POP_TOP) \
  X(DUP_TOP) X(ROT_TWO) X(BINARY_ADD) X(BINARY_SUBTRACT) X(BINARY_MULTIPLY)                \
  X(BINARY_FLOOR_DIVIDE) X(BINARY_MODULO) X(BINARY_AND) X(BINARY_OR) X(BINARY_XOR)          \
  X(BINARY_LSHIFT) X(BINARY_RSHIFT) X(COMPARE_LT) X(COMPARE_LE) X(COMPARE_EQ) X(COMPARE_NE) \
  X(COMPARE_GT) X(COMPARE_GE) X(JUMP_FORWARD) X(JUMP_BACKWARD) X(POP_JUMP_IF_FALSE)          \
  X(POP_JUMP_IF_TRUE) X(POP_JUMP_BACKWARD_IF_FALSE) X(POP_JUMP_BACKWARD_IF_TRUE) X(GET_ITER) X(FOR_ITER)     \
  X(UNARY_NEGATIVE) X(UNARY_NOT) X(UNARY_INVERT) X(BUILD_TUPLE) X(BINARY_SUBSCR) X(CALL) X(RETURN_VALUE)    \
  X(EXCHANGE_GLOBAL) X(BUILD_LIST) X(STORE_SUBSCR) X(LOAD_METHOD) X(CALL_METHOD) X(MAKE_FUNCTION)  \
  X(LOAD_ATTR) X(BINARY_TRUE_DIVIDE) X(BUILD_MAP) X(STORE_ATTR) X(BEFORE_WITH) X(EXIT_INIT_CHECK)

enum class Op : uint8_t {
#define GILLAB_ENUM(name) name,
  GILLAB_OPCODES(GILLAB_ENUM)
#undef GILLAB_ENUM
  COUNT_
};

inline constexpr int kOpCount = static_cast<int>(Op::COUNT_);

inline std::string_view op_name(Op op) {
  static constexpr std::string_view names[] = {
#define GILLAB_NAME(name) #name,
      GILLAB_OPCODES(GILLAB_NAME)
#undef GILLAB_NAME
  };
  return static_cast<int>(op) < kOpCount ? names[static_cast<int>(op)] : "?";
}

// 4 bytes: opcode and a 16-bit argument (a constant, local, global, count or jump target: an
// instruction index). FOR_ITER, as in CPython 3.11, jumps to its argument when the iterator is
// exhausted, popping it; otherwise it pushes the next value and falls through.
struct Instr {
  Op op;
  uint8_t pad = 0;
  uint16_t arg = 0;
};

}  // namespace gillab
