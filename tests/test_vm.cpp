// The eval loop on programs with known results, under every refcount policy: answers, Python's
// integer semantics, errors that unwind cleanly, and refcounts that balance.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "assembler.hpp"
#include "eval.hpp"
#include "native_reference.hpp"
#include "workload_files.hpp"
#include "refcount_policies.hpp"
#include "runtime.hpp"

using namespace gillab;

namespace {

// f(a, b) = a <op> b
Program binary_program(Op op) {
  Assembler a("f", {"a", "b"});
  a.load_fast("a").load_fast("b").emit(op).emit(Op::RETURN_VALUE);
  Program p;
  p.functions.push_back(a.finish());
  p.globals.push_back({GlobalInit::Kind::Function, 0, "f"});
  return p;
}

// fact(n) = 1 if n <= 1 else n * fact(n - 1), through CALL of a global
Program factorial_program() {
  Assembler a("fact", {"n"});
  auto rec = a.label();
  a.load_fast("n").load_const(1).emit(Op::COMPARE_LE).jump(Op::POP_JUMP_IF_FALSE, rec);
  a.load_const(1).emit(Op::RETURN_VALUE);
  a.bind(rec).load_fast("n").emit(Op::LOAD_GLOBAL, 0).load_fast("n").load_const(1)
      .emit(Op::BINARY_SUBTRACT).emit(Op::CALL, 1).emit(Op::BINARY_MULTIPLY).emit(Op::RETURN_VALUE);
  Program p;
  p.functions.push_back(a.finish());
  p.globals.push_back({GlobalInit::Kind::Function, 0, "fact"});
  return p;
}

// t(a, b, i) = (a, b, a + b)[i]
Program tuple_program() {
  Assembler a("t", {"a", "b", "i"});
  a.load_fast("a").load_fast("b").load_fast("a").load_fast("b").emit(Op::BINARY_ADD)
      .emit(Op::BUILD_TUPLE, 3).load_fast("i").emit(Op::BINARY_SUBSCR).emit(Op::RETURN_VALUE);
  Program p;
  p.functions.push_back(a.finish());
  p.globals.push_back({GlobalInit::Kind::Function, 0, "t"});
  return p;
}

// sum(n) = 0 + 1 + ... + (n-1) with a backward jump; exercises locals and the eval breaker
Program sum_program() {
  Assembler a("sum", {"n"});
  auto loop = a.label(), done = a.label();
  a.load_const(0).store_fast("acc").load_const(0).store_fast("i");
  a.bind(loop).load_fast("i").load_fast("n").emit(Op::COMPARE_LT).jump(Op::POP_JUMP_IF_FALSE, done);
  a.load_fast("acc").load_fast("i").emit(Op::BINARY_ADD).store_fast("acc");
  a.load_fast("i").load_const(1).emit(Op::BINARY_ADD).store_fast("i").jump(Op::JUMP_BACKWARD, loop);
  a.bind(done).load_fast("acc").emit(Op::RETURN_VALUE);
  Program p;
  p.functions.push_back(a.finish());
  p.globals.push_back({GlobalInit::Kind::Function, 0, "sum"});
  return p;
}

}  // namespace

template <class P>
class VmTest : public ::testing::Test {
 protected:
  template <bool Imm = false>
  CallResult run(const Program& prog, const char* fn, std::vector<int64_t> args) {
    Runtime<P> rt(prog, Imm);
    ThreadState<P> ts(rt);
    CallResult r = Interpreter<P, Imm>::call(ts, rt.global(fn), args);
    // Whatever happened, every shared object has its count back.
    EXPECT_EQ(rt.count_drift(), 0) << fn;
    return r;
  }
  int64_t value(const Program& prog, const char* fn, std::vector<int64_t> args) {
    CallResult r = run(prog, fn, std::move(args));
    EXPECT_TRUE(r.ok) << r.error;
    return r.value;
  }
};

using Policies = ::testing::Types<rc::Plain, rc::Race, rc::MutexPerObject, rc::SpinPerObject,
                                  rc::MutexStriped, rc::SpinStriped, rc::Atomic, rc::Cas, rc::Biased>;
TYPED_TEST_SUITE(VmTest, Policies);

TYPED_TEST(VmTest, Arithmetic) {
  EXPECT_EQ(this->value(binary_program(Op::BINARY_ADD), "f", {2, 3}), 5);
  EXPECT_EQ(this->value(binary_program(Op::BINARY_ADD), "f", {1000, 3000}), 4000);
  EXPECT_EQ(this->value(binary_program(Op::BINARY_SUBTRACT), "f", {2, 300}), -298);
  EXPECT_EQ(this->value(binary_program(Op::BINARY_MULTIPLY), "f", {123456, 654321}), 80779853376);
  EXPECT_EQ(this->value(binary_program(Op::BINARY_XOR), "f", {0xF0F0, 0xFF00}), 0x0FF0);
  EXPECT_EQ(this->value(binary_program(Op::BINARY_AND), "f", {-1, 0xFFFF}), 0xFFFF);
  EXPECT_EQ(this->value(binary_program(Op::BINARY_OR), "f", {-8, 3}), -5);
  EXPECT_EQ(this->value(binary_program(Op::BINARY_LSHIFT), "f", {3, 40}), int64_t{3} << 40);
  EXPECT_EQ(this->value(binary_program(Op::BINARY_RSHIFT), "f", {-9, 1}), -5);  // floors
  EXPECT_EQ(this->value(binary_program(Op::BINARY_RSHIFT), "f", {-9, 100}), -1);
}

TYPED_TEST(VmTest, FloorDivisionAndModuloFollowPython) {
  auto div = binary_program(Op::BINARY_FLOOR_DIVIDE), mod = binary_program(Op::BINARY_MODULO);
  EXPECT_EQ(this->value(div, "f", {7, 2}), 3);
  EXPECT_EQ(this->value(div, "f", {-7, 2}), -4);
  EXPECT_EQ(this->value(div, "f", {7, -2}), -4);
  EXPECT_EQ(this->value(div, "f", {-7, -2}), 3);
  EXPECT_EQ(this->value(mod, "f", {-7, 2}), 1);
  EXPECT_EQ(this->value(mod, "f", {7, -2}), -1);
  EXPECT_EQ(this->value(mod, "f", {-7, -2}), -1);
  EXPECT_EQ(this->value(mod, "f", {INT64_MIN, -1}), 0);
}

TYPED_TEST(VmTest, Compares) {
  EXPECT_EQ(this->value(binary_program(Op::COMPARE_LT), "f", {1, 2}), 1);
  EXPECT_EQ(this->value(binary_program(Op::COMPARE_GE), "f", {1, 2}), 0);
  EXPECT_EQ(this->value(binary_program(Op::COMPARE_EQ), "f", {500, 500}), 1);
  EXPECT_EQ(this->value(binary_program(Op::COMPARE_NE), "f", {500, 500}), 0);
}

TYPED_TEST(VmTest, ErrorsUnwindEveryReference) {
  CallResult r = this->run(binary_program(Op::BINARY_MULTIPLY), "f", {INT64_MAX / 2, 3});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("overflow"), std::string::npos) << r.error;
  r = this->run(binary_program(Op::BINARY_FLOOR_DIVIDE), "f", {1, 0});
  EXPECT_NE(r.error.find("division by zero"), std::string::npos) << r.error;
  r = this->run(binary_program(Op::BINARY_LSHIFT), "f", {1, -1});
  EXPECT_NE(r.error.find("negative shift"), std::string::npos) << r.error;
  r = this->run(tuple_program(), "t", {1000, 2000, 3});
  EXPECT_NE(r.error.find("out of range"), std::string::npos) << r.error;
  r = this->run(factorial_program(), "fact", {100000});
  EXPECT_NE(r.error.find("recursion"), std::string::npos) << r.error;
  r = this->run(binary_program(Op::BINARY_ADD), "f", {1});
  EXPECT_NE(r.error.find("arguments"), std::string::npos) << r.error;
}

TYPED_TEST(VmTest, CallsAndRecursion) {
  EXPECT_EQ(this->value(factorial_program(), "fact", {20}), 2432902008176640000);
  EXPECT_EQ(this->value(factorial_program(), "fact", {1}), 1);
}

TYPED_TEST(VmTest, TuplesBuildAndIndex) {
  EXPECT_EQ(this->value(tuple_program(), "t", {1000, 2000, 2}), 3000);
  EXPECT_EQ(this->value(tuple_program(), "t", {1000, 2000, -3}), 1000);
}

TYPED_TEST(VmTest, LoopsCountBytecodesAndRefcountOps) {
  Runtime<TypeParam> rt(sum_program(), false);
  ThreadState<TypeParam> ts(rt);
  CallResult r = Interpreter<TypeParam, false>::call(ts, rt.global("sum"), std::vector<int64_t>{1000});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.value, 999 * 1000 / 2);
  // 4 set-up, 1000 iterations of 13, 4 for the last test, 2 to return.
  EXPECT_EQ(ts.bytecodes, 4u + 1000u * 13u + 4u + 2u);
  EXPECT_GT(ts.refcount_ops, 1000u * 13u);
  EXPECT_EQ(rt.count_drift(), 0);
}

TYPED_TEST(VmTest, ImmortalObjectsAreNeverWritten) {
  Runtime<TypeParam> rt(sum_program(), true);
  ThreadState<TypeParam> ts(rt);
  std::vector<int64_t> before;
  for (auto* o : rt.shared_objects()) before.push_back(TypeParam::count(o->rc));
  CallResult r = Interpreter<TypeParam, true>::call(ts, rt.global("sum"), std::vector<int64_t>{100});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.value, 4950);
  // Small ints and constants are immortal: not one write to their counts.
  int immortal = 0;
  for (size_t i = 0; i < before.size(); ++i) {
    if (!rt.shared_objects()[i]->uncounted) continue;
    ++immortal;
    EXPECT_EQ(TypeParam::count(rt.shared_objects()[i]->rc), before[i]);
  }
  EXPECT_GT(immortal, 260);
}

// 3.14t's deferred refcounting: functions and module globals uncounted, small ints and
// constants counted; the answer and the counts' balance unchanged, fewer writes than plain.
TYPED_TEST(VmTest, DeferredLeavesFunctionsAndGlobalsUncounted) {
  const WorkloadParams w{"pow", 4, 3};
  Runtime<TypeParam> plain(build_workload(w), false), deferred(build_workload(w), false, true);
  EXPECT_TRUE(deferred.global("mix")->uncounted);
  EXPECT_FALSE(deferred.small_int(1)->uncounted) << "small ints: PEP 683's, not deferral's";
  EXPECT_FALSE(deferred.none()->uncounted);
  EXPECT_FALSE(plain.global("mix")->uncounted);
  ThreadState<TypeParam> tp(plain), td(deferred);
  const std::vector<int64_t> args{7, 4, 3};
  CallResult a = Interpreter<TypeParam, false>::call(tp, plain.global(kTaskGlobal), args);
  CallResult b = Interpreter<TypeParam, true>::call(td, deferred.global(kTaskGlobal), args);
  ASSERT_TRUE(a.ok && b.ok) << a.error << b.error;
  EXPECT_EQ(a.value, test::pow_native(7, 4, 3));
  EXPECT_EQ(b.value, a.value);
  EXPECT_LT(td.refcount_ops, tp.refcount_ops) << "every call of mix() loads a deferred function";
  EXPECT_EQ(deferred.count_drift(), 0);
  // A runtime with deferred objects needs the interpreter that tests for them.
  ThreadState<TypeParam> wrong(deferred);
  EXPECT_FALSE((Interpreter<TypeParam, false>::call(wrong, deferred.global(kTaskGlobal), args).ok));
}

TEST(Assembler, RejectsBadPrograms) {
  {
    Assembler a("under", {});
    a.emit(Op::POP_TOP).load_const(0).emit(Op::RETURN_VALUE);
    EXPECT_THROW(a.finish(), AssemblyError);
  }
  {
    Assembler a("unbound", {});
    auto l = a.label();
    a.jump(Op::JUMP_FORWARD, l);
    EXPECT_THROW(a.finish(), AssemblyError);
  }
  {
    Assembler a("uneven", {"x"});
    auto join = a.label();
    a.load_fast("x").jump(Op::POP_JUMP_IF_FALSE, join).load_const(1).bind(join).load_const(2)
        .emit(Op::RETURN_VALUE);
    EXPECT_THROW(a.finish(), AssemblyError);
  }
  Program p = binary_program(Op::BINARY_ADD);
  p.functions[0].code[0].arg = 7;  // a local that does not exist
  EXPECT_THROW(validate(p), AssemblyError);
}

TEST(Assembler, ComputesStackDepth) {
  Program p = tuple_program();
  EXPECT_EQ(p.functions[0].stacksize, 4);
  EXPECT_NE(disassemble(p.functions[0]).find("BUILD_TUPLE"), std::string::npos);
}

// The entry frame is checked as CALL checks every other: a value stack too small for the
// callable, its locals and its deepest stack is an error before anything is pushed.
TYPED_TEST(VmTest, TheEntryCallChecksTheValueStack) {
  Runtime<TypeParam> rt(sum_program(), false);
  ThreadState<TypeParam> tiny(rt, 2);
  CallResult r = Interpreter<TypeParam, false>::call(tiny, rt.global("sum"), std::vector<int64_t>{10});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "value stack overflow");
  EXPECT_EQ(rt.count_drift(), 0);
  ThreadState<TypeParam> enough(rt, 64);
  CallResult ok = Interpreter<TypeParam, false>::call(enough, rt.global("sum"), std::vector<int64_t>{10});
  EXPECT_TRUE(ok.ok) << ok.error;
  EXPECT_EQ(ok.value, 45);
}
