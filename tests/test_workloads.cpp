// The workload files: compiled from Python, the model's answers equal CPython's for the same file
// and a native reference's, under every policy; golden values pin the algorithms; a user's own
// file runs without a rebuild, and a construct the compiler does not take is one line and refused.
#include <gtest/gtest.h>

#include <bit>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "eval.hpp"
#include "input_error.hpp"
#include "native_reference.hpp"
#include "refcount_policies.hpp"
#include "runtime.hpp"
#include "stress_scale.hpp"
#include "container_lock.hpp"
#include "test_support.hpp"
#include "workload_files.hpp"

using namespace gillab;
using test::pow_native;

namespace {

template <class P, bool Imm = false>
int64_t run_task(const WorkloadParams& w, int64_t seed) {
  Runtime<P> rt(build_workload(w), Imm);
  ThreadState<P> ts(rt);
  std::vector<int64_t> args{seed, w.difficulty, w.blocks};
  CallResult r = Interpreter<P, Imm>::call(ts, rt.global(kTaskGlobal), args);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(rt.count_drift(), 0);
  return r.value;
}

const CodeSpec& function_named(const Program& p, const std::string& name) {
  for (const CodeSpec& c : p.functions)
    if (c.name == name) return c;
  throw std::logic_error("no function " + name);
}

int count_op(const CodeSpec& c, Op op) {
  int n = 0;
  for (const Instr& in : c.code) n += in.op == op;
  return n;
}

// A rules file of tests/python (one rule per bit of its answer): CPython's answer is the pinned
// one, and the model gives it under the plain, atomic and biased policies.
void expect_rules_hold(const std::string& file, int64_t pinned) {
  const WorkloadParams w{GILLAB_SOURCE_DIR "/tests/python/" + file, 2, 3};
  const int64_t want = reference_answers(w, {7}, 120).at(0);
  EXPECT_EQ(want, pinned) << file;
  EXPECT_EQ(run_task<rc::Plain>(w, 7), want) << file;
  EXPECT_EQ(run_task<rc::Atomic>(w, 7), want) << file;
  EXPECT_EQ((run_task<rc::Biased, true>(w, 7)), want) << file;
}

}  // namespace

TEST(Workloads, GoldenAnswers) {
  // Pinned once from workloads/pow.py in CPython: a change to the algorithm on any side shows.
  EXPECT_EQ(test::mix_native(1, 0), 2707954072u);
  EXPECT_EQ(test::mix_native(12345, 678), 3703306771u);
  EXPECT_EQ(pow_native(1, 8, 4), 297351680);
  EXPECT_EQ(pow_native(42, 8, 1), 1881836800);
  EXPECT_EQ(pow_native(7, 10, 16), 1686576640);
  EXPECT_EQ(run_task<rc::Plain>({"pow", 8, 4}, 1), 297351680);
  EXPECT_EQ(test::loop_native("pyfunction", 12345, 4, 3), 48);
  EXPECT_EQ(test::loop_native("gillab_create_pyobject", 1, 2, 1), 2056679431);
  EXPECT_EQ(test::loop_native("gillab_module_function", 12345, 4, 3), 953415073);
}

TEST(Workloads, PowMatchesNativeAndCPython) {
  const std::vector<int64_t> seeds{0, 1, 42, 123456789, 2147483647};
  const std::vector<int64_t> cpython = reference_answers({"pow", 6, 5}, seeds, 120);
  ASSERT_EQ(cpython.size(), seeds.size());
  for (size_t i = 0; i < seeds.size(); ++i) {
    EXPECT_EQ(run_task<rc::Plain>({"pow", 6, 5}, seeds[i]), pow_native(seeds[i], 6, 5)) << seeds[i];
    EXPECT_EQ(cpython[i], pow_native(seeds[i], 6, 5)) << seeds[i];
  }
}

// The ftscaling and containers loops: each what its name says (a call, a global load, a constant,
// a tuple per iteration, a tuple or str constant compared, a function made, a dict made or
// written, round()), with CPython's answer under the plain, atomic and biased policies, and
// immortal or deferred objects; the loops with a native reference match it too.
TEST(Workloads, FtScalingLoopsMatchCPythonUnderEveryMechanism) {
  const std::map<std::string, Op> marks{{"pyfunction", Op::CALL},
                                        {"gillab_module_function", Op::LOAD_GLOBAL},
                                        {"gillab_mult_constant", Op::BINARY_MULTIPLY},
                                        {"gillab_create_pyobject", Op::BUILD_TUPLE},
                                        {"load_tuple_const", Op::FOR_ITER},
                                        {"load_string_const", Op::COMPARE_EQ},
                                        {"object_cfunction", Op::CALL_METHOD},
                                        {"gillab_list_shared", Op::STORE_SUBSCR},
                                        {"gillab_list_private", Op::BUILD_LIST},
                                        {"create_closure", Op::MAKE_FUNCTION},
                                        {"mult_constant", Op::BINARY_MULTIPLY},
                                        {"cmodule_function", Op::LOAD_ATTR},
                                        {"object_lookup_special", Op::BINARY_TRUE_DIVIDE},
                                        {"create_dict", Op::BUILD_MAP},
                                        {"gillab_dict_shared", Op::STORE_SUBSCR},
                                        {"gillab_dict_private", Op::BUILD_MAP},
                                        {"create_pyobject", Op::CALL},
                                        {"pymethod", Op::CALL_METHOD},
                                        {"module_function", Op::LOAD_METHOD},
                                        {"context_manager", Op::BEFORE_WITH},
                                        {"thread_local_read", Op::STORE_ATTR},
                                        {"method_caller", Op::BUILD_LIST}};
  const std::set<std::string> native{"pyfunction", "gillab_module_function", "gillab_mult_constant", "gillab_create_pyobject"};
  for (const auto& [name, op] : marks) {
    const WorkloadParams w{name, 4, 3};
    const int64_t want = reference_answers(w, {12345}, 120).at(0);
    EXPECT_GT(count_op(function_named(build_workload(w), "task"), op), 0) << name;
    EXPECT_NE(want, 12345) << name << ": the loop changes its accumulator";
    if (native.contains(name)) {
      EXPECT_EQ(want, test::loop_native(name, 12345, 4, 3)) << name;
    }
    EXPECT_EQ(run_task<rc::Plain>(w, 12345), want) << name;
    EXPECT_EQ(run_task<rc::Atomic>(w, 12345), want) << name;
    EXPECT_EQ((run_task<rc::Biased, true>(w, 12345)), want) << name;
    EXPECT_EQ((run_task<rc::BiasedUnlocked, true>(w, 12345)), want) << name;
  }
  EXPECT_EQ(run_task<rc::Plain>({"load_tuple_const", 4, 3}, 5), 5 + (3 << 4)) << "i never equals (1, 2)";
  EXPECT_EQ(run_task<rc::Plain>({"load_string_const", 4, 3}, 5), 5 + (3 << 4)) << "i never equals 'a string'";
  EXPECT_EQ(run_task<rc::Plain>({"create_closure", 4, 3}, 5), 5 + (3 << 4) - 1) << "the last foo returns seed + the last i";
  EXPECT_EQ(run_task<rc::Plain>({"create_dict", 4, 3}, 5), 5 + (3 << 4) - 1 + 1) << "the last dict holds its value";
  EXPECT_EQ(run_task<rc::Plain>({"object_lookup_special", 4, 3}, 5), 5 + (3 << 4) - 1 + 1) << "round(47 / 48) is 1";
  EXPECT_EQ(run_task<rc::Plain>({"gillab_dict_shared", 4, 3}, 5), run_task<rc::Plain>({"gillab_list_shared", 4, 3}, 5));
  EXPECT_EQ(run_task<rc::Plain>({"create_pyobject", 4, 3}, 5), 5 + (3 << 4) - 1) << "seed + the last i";
  EXPECT_EQ(run_task<rc::Plain>({"pymethod", 4, 3}, 5), 5 + (3 << 4)) << "the counter counted every call";
  EXPECT_EQ(run_task<rc::Plain>({"module_function", 4, 3}, 5), 5 + 48 * 47) << "seed + the sum of 2i over i < 48";
  EXPECT_EQ(run_task<rc::Plain>({"context_manager", 4, 3}, 5), 5 + 47) << "seed + the last i";
  EXPECT_EQ(run_task<rc::Plain>({"thread_local_read", 4, 3}, 5), 5 + 10 + 23) << "seed + tmp.x + the last of 24 i";
  EXPECT_EQ(run_task<rc::Plain>({"method_caller", 4, 3}, 5), 5 + 1 + 47) << "the caller appended its 1 to the last list";
}

// A float answer is its 64 bits: mult_constant's x after 48 multiplications, as C++'s doubles
// give it; past 71,333 of them x is inf and the answer seed + the last i.
TEST(Workloads, MultConstantIsTheFloatsBitsOrTheCount) {
  double x = 1.0;
  for (int i = 0; i < (3 << 4); ++i) x *= 1.01;
  EXPECT_EQ(run_task<rc::Plain>({"mult_constant", 4, 3}, 5), std::bit_cast<int64_t>(x));
  EXPECT_EQ((run_task<rc::Biased, true>({"mult_constant", 4, 3}, 5)), std::bit_cast<int64_t>(x));
  EXPECT_EQ(run_task<rc::Plain>({"mult_constant", 17, 1}, 5), 5 + (1 << 17) - 1);
}

// Each bit of the answer one of Python's float rules (tests/python/floats.py): an int operand
// converted, == and < against ints beyond 2**53 exact, -0.0, NaN, truth, /, math.cos (to its last bit); pinned from CPython.
TEST(Workloads, FloatsFollowPythonsRules) { expect_rules_hold("floats.py", 0b1111011111011011001011101111); }

TEST(Workloads, SharedFilesChangeLoadsNotAnswers) {
  // Sites in the code (CPython 3.11 tests a while loop at its top and bottom, so ROUNDS is read at
  // two): shared reads 5 of mix's constants from globals, at 6 sites; shared_all all 9, at 10.
  const std::map<std::string, int> loads{{"pow", 0}, {"shared", 6}, {"shared_all", 10}};
  for (const auto& [name, n] : loads) {
    EXPECT_EQ(count_op(function_named(build_workload({name, 5, 3}), "mix"), Op::LOAD_GLOBAL), n) << name;
    EXPECT_EQ(run_task<rc::Plain>({name, 5, 3}, 7), pow_native(7, 5, 3)) << name;
  }
}

TEST(Workloads, EveryPolicyGivesTheSameAnswer) {
  const WorkloadParams w{"shared", 5, 3};
  int64_t want = pow_native(99, 5, 3);
  EXPECT_EQ((run_task<rc::Race>(w, 99)), want);
  EXPECT_EQ((run_task<rc::MutexPerObject>(w, 99)), want);
  EXPECT_EQ((run_task<rc::SpinStriped>(w, 99)), want);
  EXPECT_EQ((run_task<rc::Atomic, true>(w, 99)), want);
  EXPECT_EQ((run_task<rc::Cas>(w, 99)), want);
  EXPECT_EQ((run_task<rc::Biased, true>(w, 99)), want);
}

TEST(Workloads, BadParametersAreRejected) {
  EXPECT_THROW(build_workload({"nope", 8, 1}), InputError);
  EXPECT_THROW(build_workload({"pow", 31, 1}), std::invalid_argument);
  EXPECT_THROW(build_workload({"pow", 8, 0}), std::invalid_argument);
  EXPECT_FALSE(workload_exists("../workloads/pow"));
  EXPECT_TRUE(workload_exists("pow"));
}

// A user's own file, outside workloads/: compiled and run with no rebuild, its answers CPython's.
TEST(Workloads, AUsersFileRunsWithoutARebuild) {
  test::TempDir d;
  d.write("mine.py", "\"\"\"Mine: a sum of squares.\"\"\"\nK = 3\n\n\ndef sq(x):\n    return x * x\n\n\n"
                     "def task(seed, difficulty, blocks):\n    t = seed\n    for i in range(1, blocks + K):\n"
                     "        if i % 2 == 0:\n            t += sq(i)\n        elif not i > 5:\n            t -= 1\n"
                     "    return t\n");
  const WorkloadParams w{d.file("mine.py"), 0, 10};
  const Program& p = workload_program(w.name);
  EXPECT_EQ(p.doc, "Mine: a sum of squares.");
  const int64_t want = 7 + (4 + 16 + 36 + 64 + 100 + 144) - 3;
  EXPECT_EQ(reference_answers(w, {7}, 120).at(0), want);
  EXPECT_EQ(run_task<rc::Plain>(w, 7), want);
  EXPECT_EQ((run_task<rc::Atomic, true>(w, 7)), want);
}

// Each bit one of Python's dict rules (tests/python/dicts.py: str and int keys, a key beyond the
// small ints, a key given twice, growth past the first table, a module-level dict, truth) or of
// round()'s (halves to even, an int as it is); pinned from CPython.
TEST(Workloads, DictsFollowPythonsRules) { expect_rules_hold("dicts.py", (1 << 20) - 1); }

// Each bit one of Python's class rules (tests/python/classes.py: __init__ with arguments, methods
// calling methods, attribute stores replacing values of another type, an instance as an
// attribute, a list attribute appended to, a cycle made and broken, a with statement's
// __enter__, body and __exit__ in order and its `as`); pinned from CPython.
TEST(Workloads, ClassesFollowPythonsRules) { expect_rules_hold("classes.py", (1 << 14) - 1); }

// An error inside __init__ (or an __init__ that returns a value) unwinds every frame and drops
// the instance the class call kept aside: nothing is left holding a reference to the class.
TEST(Workloads, AnErrorInInitDropsTheInstance) {
  test::TempDir d;
  d.write("a.py", "class A:\n    def __init__(self, k):\n        self.v = {}[k]\n\n\n"
                  "def task(seed, difficulty, blocks):\n    a = A(seed)\n    return 0\n");
  d.write("b.py", "class B:\n    def __init__(self):\n        return 1\n\n\n"
                  "def task(seed, difficulty, blocks):\n    b = B()\n    return 0\n");
  for (const auto& [file, error] : {std::pair{"a.py", "KeyError in A.__init__"}, std::pair{"b.py", "__init__() should return None"}}) {
    Runtime<rc::Plain> rt(build_workload({d.file(file), 0, 1}), false);
    ThreadState<rc::Plain> ts(rt);
    const int64_t args[3] = {1, 0, 1};
    CallResult r = Interpreter<rc::Plain, false>::call(ts, rt.global(kTaskGlobal), args);
    EXPECT_FALSE(r.ok) << file;
    EXPECT_NE(r.error.find(error), std::string::npos) << r.error;
    EXPECT_EQ(rt.count_drift(), 0) << file;
  }
}

// A threading.local is each thread's own: thread 0 stores 100 into one, then waits (on a shared
// list) until thread 1 has stored 200 into the same one, then reads it back. Shared, it would
// read 200; each thread's own, 100. The handshake makes the order certain on a busy machine.
// Its dicts go when the task returns, and the flags are put back, so no reference is left behind.
template <class P>
void thread_local_is_each_threads_own() {
  test::TempDir d;
  d.write("l.py", "import threading\nL = threading.local()\nFLAGS = [0, 0]\n\n\ndef task(seed, difficulty, blocks):\n"
                  "    t = L\n    f = FLAGS\n    if seed == 0:\n        t.v = 100\n        f[0] = 1\n        while f[1] == 0:\n"
                  "            pass\n        f[0] = 0\n        f[1] = 0\n        return t.v\n    while f[0] == 0:\n        pass\n"
                  "    t.v = 200\n    f[1] = 1\n    return t.v\n");
  const WorkloadParams w{d.file("l.py"), 0, 1};
  Runtime<P> rt(build_workload(w), false);
  std::vector<CallResult> results(2);
  auto body = [&](int t) {
    ThreadState<P> ts(rt);
    const int64_t args[3] = {t, 0, w.blocks};
    results[static_cast<size_t>(t)] = Interpreter<P, false>::call(ts, rt.global(kTaskGlobal), args);
    EXPECT_TRUE(ts.local_dicts.empty()) << P::name;
  };
  std::thread a(body, 0), b(body, 1);
  a.join();
  b.join();
  for (const CallResult& r : results) EXPECT_TRUE(r.ok) << P::name << ": " << r.error;
  EXPECT_EQ(results[0].value, 100) << P::name << ": thread 0 saw thread 1's value";
  EXPECT_EQ(results[1].value, 200) << P::name;
  EXPECT_EQ(rt.count_drift(), 0) << P::name;
}

TEST(Workloads, AThreadLocalIsEachThreadsOwn) {
  thread_local_is_each_threads_own<rc::Atomic>();
  thread_local_is_each_threads_own<rc::Biased>();
}

// Instances put in a shared dict take their first attribute stores from two threads at once:
// each instance's dict is made once (a compare-exchange decides whose), so neither thread's
// store is lost. A last task reads both attributes of every instance back.
template <class P>
void shared_instances_keep_both_threads_stores() {
  test::TempDir d;
  d.write("s.py", "class Box:\n    pass\n\n\nD = {}\n\n\ndef task(seed, difficulty, blocks):\n    d = D\n    n = 0\n"
                  "    for k in range(blocks):\n        if seed == 0:\n            d[k] = Box()\n        elif seed == 1:\n"
                  "            d[k].one = k\n        elif seed == 2:\n            d[k].two = k\n        else:\n"
                  "            n = n + (d[k].one == k) + (d[k].two == k)\n    return n\n");
  const WorkloadParams w{d.file("s.py"), 0, static_cast<int>(2000 / test::kStressScale) + 100};
  Runtime<P> rt(build_workload(w), false);
  auto run = [&](int64_t seed) {
    ThreadState<P> ts(rt);
    const int64_t args[3] = {seed, 0, w.blocks};
    return Interpreter<P, false>::call(ts, rt.global(kTaskGlobal), args);
  };
  ASSERT_TRUE(run(0).ok);
  std::vector<CallResult> results(2);
  std::thread a([&] { results[0] = run(1); }), b([&] { results[1] = run(2); });
  a.join();
  b.join();
  EXPECT_TRUE(results[0].ok && results[1].ok) << results[0].error << results[1].error;
  const CallResult check = run(3);
  EXPECT_TRUE(check.ok) << P::name << ": " << check.error;
  EXPECT_EQ(check.value, 2 * w.blocks) << P::name;
}

TEST(Workloads, SharedInstancesKeepBothThreadsStores) {
  shared_instances_keep_both_threads_stores<rc::Atomic>();
  shared_instances_keep_both_threads_stores<rc::Biased>();
}

TEST(Workloads, AnUnsupportedConstructIsOneLineWithItsPlace) {
  test::TempDir d;
  const std::map<std::string, std::string> cases{
      {"def task(seed, difficulty, blocks):\n    f = lambda x: x\n    return seed\n", ":2:9: lambda is not supported"},
      {"def task(seed, difficulty, blocks):\n    return seed ** 2\n", ":2:12: ** is not supported"},
      {"import math\ndef task(seed, difficulty, blocks):\n    return math.sin(seed)\n", ":3:12: math.sin (the model's math has cos) is not supported"},
      {"def task(seed, difficulty, blocks):\n    while seed:\n        break\n    return 0\n", ":3:9: break is not supported"},
      {"import os\ndef task(seed, difficulty, blocks):\n    return 0\n", ":1:1: import of os (the model has import math, import sys, import threading) is not supported"},
      {"def task(seed, difficulty, blocks):\n    return 1 << 70\n", ":2:12: an int outside 64 bits (the model's ints are 64-bit) is not supported"},
      {"def task(seed, difficulty):\n    return 0\n", "no task(seed, difficulty, blocks) function"},
      {"def task(seed, difficulty, blocks):\n    return 1e999\n", ":2:12: a float constant that is not finite is not supported"},
      {"def task(seed, difficulty, blocks):\n    x = [1, 2, 3]\n    return 0\n", ":2:9: a list display of more than two constants is not supported"},
      {"def task(seed, difficulty, blocks):\n    x = [seed]\n    x.sort()\n    return 0\n", ":3:5: method 'sort' (the model's lists have append and pop) is not supported"},
      {"def task(seed, difficulty, blocks):\n    def f():\n        return seed\n    return f()\n",
       ":3:16: a nested function reading 'seed' of the function around it (a closure) is not supported"},
      {"def task(seed, difficulty, blocks):\n    def f():\n        def g():\n            return 0\n        return g()\n    return f()\n",
       ":3:9: a def inside a nested function is not supported"},
      {"L = [0] * 4\n\n\ndef task(seed, difficulty, blocks):\n    global L\n    L = 3\n    return 0\n", ":6:5: assigning a module-level list (its items can be) is not supported"},
      {"def task(seed, difficulty, blocks):\n    return {1: 2, 3: 4}\n", ":2:12: a dict display of more than one item whose keys are all constants is not supported"},
      {"D = {1: 2}\ndef task(seed, difficulty, blocks):\n    return 0\n", ":1:5: a module-level dict other than {} or dict.fromkeys(range(n), v) is not supported"},
      {"def task(seed, difficulty, blocks):\n    return round(seed, 2)\n", ":2:12: round() with ndigits is not supported"},
      {"def task(seed, difficulty, blocks):\n    with seed as a, seed as b:\n        pass\n    return 0\n", ":2:5: a with of more than one item is not supported"},
      {"import threading\ndef task(seed, difficulty, blocks):\n    return threading.get_ident()\n", ":3:12: threading.get_ident in a function (the model reads threading at module level only) is not supported"},
      {"from operator import itemgetter\ndef task(seed, difficulty, blocks):\n    return 0\n", ":1:1: from operator import itemgetter (the model has from operator import methodcaller) is not supported"},
      {"class A(object):\n    pass\ndef task(seed, difficulty, blocks):\n    return 0\n", ":1:1: a class with bases, keywords or decorators is not supported"},
      {"class A:\n    x = 1\ndef task(seed, difficulty, blocks):\n    return 0\n", ":2:5: a class body of anything but methods is not supported"},
      {"class A:\n    pass\ndef task(seed, difficulty, blocks):\n    a = A()\n    a.__v = 1\n    return 0\n", ":5:5: a private name (CPython mangles it) is not supported"},
  };
  int i = 0;
  for (const auto& [source, message] : cases) {
    const std::string file = d.file("bad" + std::to_string(i++) + ".py");
    std::ofstream(file) << source;
    try {
      workload_program(file);
      ADD_FAILURE() << source << ": compiled";
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.find(file), 0u) << what;
      EXPECT_NE(what.find(message), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  }
}

// Per-object locks, checked for exclusion over the whole critical section: two threads append to
// and pop from one list that both share, every append paired with a pop. Were the list's lock
// not taken (or not held across the size update and the item move), appends would be lost or a pop
// would find the list empty, and its length or its items would come out wrong.
template <class P>
void shared_list_survives_two_threads() {
  test::TempDir d;
  d.write("q.py", "Q = [7] * 8\n\n\ndef task(seed, difficulty, blocks):\n    q = Q\n    for i in range(blocks):\n"
                  "        q.append(seed)\n        q.pop(0)\n    return seed\n");
  const WorkloadParams w{d.file("q.py"), 0, static_cast<int>(20000 / test::kStressScale)};
  Runtime<P> rt(build_workload(w), false);
  std::vector<std::string> errors(2);
  auto body = [&](int t) {
    ThreadState<P> ts(rt);
    const int64_t args[3] = {t + 1, 0, w.blocks};
    CallResult r = Interpreter<P, false>::call(ts, rt.global(kTaskGlobal), args);
    if (!r.ok) errors[static_cast<size_t>(t)] = r.error;
  };
  std::thread a(body, 0), b(body, 1);
  a.join();
  b.join();
  EXPECT_EQ(errors, (std::vector<std::string>{"", ""})) << P::name;
  const auto* q = rt.global("Q");
  ASSERT_EQ(q->list.size, 8u) << P::name;
  int64_t moved = 0;
  for (uint32_t i = 0; i < q->list.size; ++i) {
    const int64_t v = q->list.items[i]->ival;
    EXPECT_TRUE(v == 7 || v == 1 || v == 2) << P::name << ": item " << i << " is " << v;
    moved += v != 7;
  }
  // Every reference the list let go of a 7 it now holds to a 1 or a 2: no count was lost.
  EXPECT_EQ(rt.count_drift(), 2 * moved) << P::name;
}

// The same for a dict: two threads insert keys of their own into one shared dict, which grows
// from 8 slots to 2,048 under them, and read each back. Without the lock over the whole store
// (probe, insert, and the resize that moves every entry) entries would be lost to a concurrent
// resize or two keys would take one slot.
template <class P>
void shared_dict_survives_two_threads() {
  test::TempDir d;
  d.write("d.py", "D = {}\n\n\ndef task(seed, difficulty, blocks):\n    d = D\n    bad = 0\n    for i in range(blocks):\n"
                  "        d[i * 2 + seed] = i\n        if d[i * 2 + seed] != i:\n            bad = bad + 1\n    return bad\n");
  const WorkloadParams w{d.file("d.py"), 0, 1000};
  for (int round = 0; round < static_cast<int>(20 / test::kStressScale) + 1; ++round) {
    Runtime<P> rt(build_workload(w), false);
    std::vector<std::string> errors(2);
    std::vector<int64_t> bad(2, -1);
    auto body = [&](int t) {
      ThreadState<P> ts(rt);
      const int64_t args[3] = {t, 0, w.blocks};
      CallResult r = Interpreter<P, false>::call(ts, rt.global(kTaskGlobal), args);
      if (!r.ok) errors[static_cast<size_t>(t)] = r.error;
      bad[static_cast<size_t>(t)] = r.value;
    };
    std::thread a(body, 0), b(body, 1);
    a.join();
    b.join();
    ASSERT_EQ(errors, (std::vector<std::string>{"", ""})) << P::name;
    EXPECT_EQ(bad, (std::vector<int64_t>{0, 0})) << P::name;
    const auto* dict = rt.global("D");
    ASSERT_EQ(dict->dict.size, 2000u) << P::name;
    for (int64_t k = 0; k < 2000; ++k) {
      Object<P> key{};
      key.type = Type::Int;
      key.ival = k;
      const auto* v = dict::find(dict, &key);
      ASSERT_TRUE(v && v->ival == k / 2) << P::name << ": key " << k;
    }
  }
}

TEST(Workloads, ASharedDictsLockExcludesEveryOtherOperation) {
  shared_dict_survives_two_threads<rc::Atomic>();
  shared_dict_survives_two_threads<rc::Biased>();
}

TEST(Workloads, ASharedListsLockExcludesEveryOtherOperation) {
  static_assert(!kLocksContainers<rc::Plain> && kLocksContainers<rc::Atomic> && kLocksContainers<rc::Biased> &&
                kLocksContainers<rc::Cas> && kLocksContainers<rc::Race> && kLocksContainers<rc::MutexPerObject> &&
                !kLocksContainers<rc::BiasedUnlocked>);
  shared_list_survives_two_threads<rc::Atomic>();
  shared_list_survives_two_threads<rc::Biased>();
  shared_list_survives_two_threads<rc::Cas>();
}

// A critical section takes the object's lock for its scope where the policy locks, and leaves it
// untouched where it does not: biased-unlocked's lists differ from biased's in that alone.
template <class P>
uint8_t mutex_inside_a_critical_section() {
  struct { std::atomic<uint8_t> mutex{0}; } object;
  CriticalSection<P> cs(&object);
  return object.mutex.load();
}

TEST(Workloads, OnlyTheLockingPoliciesTakeTheListsLock) {
  EXPECT_EQ(mutex_inside_a_critical_section<rc::Biased>(), 1);
  EXPECT_EQ(mutex_inside_a_critical_section<rc::Atomic>(), 1);
  EXPECT_EQ(mutex_inside_a_critical_section<rc::BiasedUnlocked>(), 0);
  EXPECT_EQ(mutex_inside_a_critical_section<rc::Plain>(), 0);
}

// The loader checks a program as the assembler does: what the compiler might get wrong is caught.
TEST(Workloads, TheLoaderRefusesAMalformedProgram) {
  nlohmann::json good = program_to_json(workload_program("pow"));
  EXPECT_NO_THROW(program_from_json(good, "pow.json"));
  auto broken = [&](auto edit) {
    nlohmann::json j = good;
    edit(j);
    try {
      program_from_json(j, "x.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  auto task_code = [](nlohmann::json& j) -> nlohmann::json& { return j["functions"][1]["code"]; };
  EXPECT_NE(broken([&](nlohmann::json& j) { task_code(j)[0][0] = "NO_SUCH_OP"; }).find("unknown op 'NO_SUCH_OP'"), std::string::npos);
  EXPECT_NE(broken([&](nlohmann::json& j) { task_code(j)[0] = {"POP_TOP", 0, 1}; }).find("stack underflow"), std::string::npos);
  EXPECT_NE(broken([&](nlohmann::json& j) { task_code(j)[0] = {"JUMP_BACKWARD", 5, 1}; }).find("goes forward"), std::string::npos);
  EXPECT_NE(broken([&](nlohmann::json& j) { task_code(j)[0] = {"LOAD_GLOBAL", 99, 1}; }).find("no such global"), std::string::npos);
  EXPECT_NE(broken([&](nlohmann::json& j) { j["globals"][1]["name"] = "not_task"; }).find("no task(seed, difficulty, blocks)"),
            std::string::npos);
}

namespace {
// Threads that each run hand-off tasks at once on one runtime, no GIL: tuples made by one
// thread are dropped by another. Answers are pow's, and every count ends exact.
template <class P, bool Imm>
OpStats handoff_in_threads(int threads) {
  WorkloadParams w{"handoff", 4, 300};
  Runtime<P> rt(build_workload(w), Imm);
  std::vector<int64_t> answers(static_cast<size_t>(threads));
  std::vector<OpStats> stats(static_cast<size_t>(threads));
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      tl_op_stats = OpStats{};
      {
        ThreadState<P> st(rt);
        const int64_t args[3] = {t, w.difficulty, w.blocks};
        CallResult r = Interpreter<P, Imm>::call(st, rt.global(kTaskGlobal), args);
        EXPECT_TRUE(r.ok) << r.error;
        answers[static_cast<size_t>(t)] = r.value;
      }  // the thread state leaves: what was queued to it since is merged here
      stats[static_cast<size_t>(t)] = tl_op_stats;
    });
  for (auto& th : ts) th.join();
  for (int t = 0; t < threads; ++t) EXPECT_EQ(answers[static_cast<size_t>(t)], pow_native(t, w.difficulty, w.blocks));
  EXPECT_EQ(rt.count_drift(), 0);
  OpStats total;
  for (auto& s : stats) total.add(s);
  EXPECT_EQ(total.premature_zero, 0u);
  return total;
}
}  // namespace

TEST(Workloads, HandoffQueuesObjectsToTheirOwnersUnderBiasedCounting) {
  WorkloadParams w{"handoff", 5, 3};
  EXPECT_EQ(run_task<rc::Plain>(w, 11), pow_native(11, 5, 3));
  // Queueing needs two workers running at once; a busy machine may run them one after the
  // other, so try again (each attempt checks answers and counts) until they have overlapped.
  OpStats b;
  for (int attempt = 0; attempt < 50 && b.biased_queued == 0; ++attempt) b = handoff_in_threads<rc::Biased, true>(4);
  EXPECT_GT(b.biased_queued, 0u) << "another worker's tuple dropped: queued to its owner";
  EXPECT_GT(b.biased_merges, 0u);
  handoff_in_threads<rc::Biased, false>(3);
  handoff_in_threads<rc::Atomic, false>(3);
  handoff_in_threads<rc::Cas, true>(2);
  handoff_in_threads<rc::MutexPerObject, false>(2);
}
