#include "workloads.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "assembler.hpp"

namespace gillab {

namespace {

constexpr int64_t kGolden = 0x9E3779B1;  // seed multiplier
constexpr int64_t kMul = 0x45D9F3B;      // the mixing multiplier of a well-known 32-bit hash
constexpr int64_t kMask32 = 0xFFFFFFFF;
constexpr int kMixConstSites = 9;        // the LOAD_CONST sites of mix(), in program order

std::string global_name(int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "k_%llx", static_cast<unsigned long long>(v));
  return buf;
}

// mix(seed, nonce), with each constant load either LOAD_CONST or LOAD_GLOBAL (shared).
CodeSpec build_mix(Program& prog, int shared) {
  Assembler a("mix", {"seed", "nonce"});
  int site = 0;
  auto k = [&](int64_t v) {
    // Spread the shared sites evenly over the nine (Bresenham), not all at the front.
    bool global = (site + 1) * shared / kMixConstSites != site * shared / kMixConstSites;
    ++site;
    if (!global) return a.load_const(v), void();
    std::string name = global_name(v);
    int g = prog.global_index(name);
    if (g < 0) {
      prog.globals.push_back(GlobalInit{GlobalInit::Kind::Int, v, name});
      g = static_cast<int>(prog.globals.size() - 1);
    }
    a.emit(Op::LOAD_GLOBAL, static_cast<uint16_t>(g));
  };
  // h = (seed * 0x9E3779B1 + nonce) & 0xFFFFFFFF
  a.load_fast("seed");
  k(kGolden);
  a.emit(Op::BINARY_MULTIPLY).load_fast("nonce").emit(Op::BINARY_ADD);
  k(kMask32);
  a.emit(Op::BINARY_AND).store_fast("h");
  // r = 0; while r < 3:
  k(0);
  a.store_fast("r");
  auto loop = a.label(), done = a.label();
  a.bind(loop).load_fast("r");
  k(kMixRounds);
  a.emit(Op::COMPARE_LT).jump(Op::POP_JUMP_IF_FALSE, done);
  //   h = h ^ (h >> 16)
  a.load_fast("h").load_fast("h");
  k(16);
  a.emit(Op::BINARY_RSHIFT).emit(Op::BINARY_XOR).store_fast("h");
  //   h = (h * 0x45D9F3B) & 0xFFFFFFFF
  a.load_fast("h");
  k(kMul);
  a.emit(Op::BINARY_MULTIPLY);
  k(kMask32);
  a.emit(Op::BINARY_AND).store_fast("h");
  //   h = h ^ (h >> 15)
  a.load_fast("h").load_fast("h");
  k(15);
  a.emit(Op::BINARY_RSHIFT).emit(Op::BINARY_XOR).store_fast("h");
  //   r = r + 1
  a.load_fast("r");
  k(1);
  a.emit(Op::BINARY_ADD).store_fast("r").jump(Op::JUMP_BACKWARD, loop);
  a.bind(done).load_fast("h").emit(Op::RETURN_VALUE);
  if (site != kMixConstSites) throw std::logic_error("mix: constant sites changed");
  return a.finish();
}

// handoff < 0: no hand-off; else the mailbox global that each block's (s, b) tuple goes through.
CodeSpec build_pow_task(uint16_t mix_global, int handoff) {
  Assembler a("pow_task", {"seed", "difficulty", "blocks"});
  // mask = (1 << difficulty) - 1; s = seed; b = 0
  a.load_const(1).load_fast("difficulty").emit(Op::BINARY_LSHIFT).load_const(1)
      .emit(Op::BINARY_SUBTRACT).store_fast("mask");
  a.load_fast("seed").store_fast("s").load_const(0).store_fast("b");
  auto outer = a.label(), inner = a.label(), found = a.label(), done = a.label();
  // while b < blocks:
  a.bind(outer).load_fast("b").load_fast("blocks").emit(Op::COMPARE_LT)
      .jump(Op::POP_JUMP_IF_FALSE, done);
  //   nonce = 0
  a.load_const(0).store_fast("nonce");
  //   while mix(s, nonce) & mask != 0: nonce = nonce + 1
  a.bind(inner).emit(Op::LOAD_GLOBAL, mix_global).load_fast("s").load_fast("nonce")
      .emit(Op::CALL, 2).load_fast("mask").emit(Op::BINARY_AND).load_const(0)
      .emit(Op::COMPARE_NE).jump(Op::POP_JUMP_IF_FALSE, found);
  a.load_fast("nonce").load_const(1).emit(Op::BINARY_ADD).store_fast("nonce")
      .jump(Op::JUMP_BACKWARD, inner);
  //   s = mix(s, nonce) >> 1; b = b + 1
  a.bind(found).emit(Op::LOAD_GLOBAL, mix_global).load_fast("s").load_fast("nonce")
      .emit(Op::CALL, 2).load_const(1).emit(Op::BINARY_RSHIFT).store_fast("s");
  //   handoff: the block's (s, b) goes into the mailbox; whatever was there (another
  //   worker's tuple, mostly) is dropped here, by a thread that does not own it.
  if (handoff >= 0)
    a.load_fast("s").load_fast("b").emit(Op::BUILD_TUPLE, 2).emit(Op::EXCHANGE_GLOBAL, static_cast<uint16_t>(handoff))
        .emit(Op::POP_TOP);
  a.load_fast("b").load_const(1).emit(Op::BINARY_ADD).store_fast("b")
      .jump(Op::JUMP_BACKWARD, outer);
  // return s (handoff: after putting None back in the mailbox and dropping what was there;
  // every task ends so, hence the last swap of all leaves None, as the mailbox began)
  a.bind(done);
  if (handoff >= 0)
    a.emit(Op::LOAD_GLOBAL, static_cast<uint16_t>(handoff + 1)).emit(Op::EXCHANGE_GLOBAL, static_cast<uint16_t>(handoff))
        .emit(Op::POP_TOP);
  a.load_fast("s").emit(Op::RETURN_VALUE);
  return a.finish();
}

}  // namespace

namespace {

constexpr int64_t kFtMul = 0x2545F49;  // the ftscaling loops' multiplier (odd: acc keeps changing)

// step(x) = (x * K + 7) & M: the function pyfunction calls.
CodeSpec build_step() {
  Assembler a("step", {"x"});
  a.load_fast("x").load_const(kFtMul).emit(Op::BINARY_MULTIPLY).load_const(7).emit(Op::BINARY_ADD)
      .load_const(kMask32).emit(Op::BINARY_AND).emit(Op::RETURN_VALUE);
  return a.finish();
}

// One ftscaling task: acc = seed; i = 0; n = blocks << difficulty; while i < n: <body>; i += 1.
// `body` leaves acc updated; globals: 0 = step, 1 = task, 2 = K.
CodeSpec build_ft_task(const std::string& name) {
  Assembler a("ft_" + name, {"seed", "difficulty", "blocks"});
  a.load_fast("seed").store_fast("acc").load_const(0).store_fast("i");
  a.load_fast("blocks").load_fast("difficulty").emit(Op::BINARY_LSHIFT).store_fast("n");
  auto loop = a.label(), done = a.label();
  a.bind(loop).load_fast("i").load_fast("n").emit(Op::COMPARE_LT).jump(Op::POP_JUMP_IF_FALSE, done);
  if (name == "pyfunction") {  // acc = step(acc)
    a.emit(Op::LOAD_GLOBAL, 0).load_fast("acc").emit(Op::CALL, 1).store_fast("acc");
  } else if (name == "create_pyobject") {  // t = (acc, i); acc = (t[0] * K + t[1]) & M
    a.load_fast("acc").load_fast("i").emit(Op::BUILD_TUPLE, 2).store_fast("t");
    a.load_fast("t").load_const(0).emit(Op::BINARY_SUBSCR).load_const(kFtMul).emit(Op::BINARY_MULTIPLY)
        .load_fast("t").load_const(1).emit(Op::BINARY_SUBSCR).emit(Op::BINARY_ADD).load_const(kMask32)
        .emit(Op::BINARY_AND).store_fast("acc");
  } else {  // acc = (acc * K + i) & M, K a module global or a constant
    a.load_fast("acc");
    if (name == "module_function") a.emit(Op::LOAD_GLOBAL, 2);
    else a.load_const(kFtMul);
    a.emit(Op::BINARY_MULTIPLY).load_fast("i").emit(Op::BINARY_ADD).load_const(kMask32).emit(Op::BINARY_AND)
        .store_fast("acc");
  }
  a.load_fast("i").load_const(1).emit(Op::BINARY_ADD).store_fast("i").jump(Op::JUMP_BACKWARD, loop);
  a.bind(done).load_fast("acc").emit(Op::RETURN_VALUE);
  return a.finish();
}

bool is_ft(const std::string& name) {
  return name == "pyfunction" || name == "module_function" || name == "mult_constant" || name == "create_pyobject";
}

Program build_ft(const WorkloadParams& p) {
  Program prog;
  prog.globals.push_back(GlobalInit{GlobalInit::Kind::Function, 0, "step"});
  prog.globals.push_back(GlobalInit{GlobalInit::Kind::Function, 1, kTaskGlobal});
  prog.globals.push_back(GlobalInit{GlobalInit::Kind::Int, kFtMul, "K"});
  prog.functions.push_back(build_step());
  prog.functions.push_back(build_ft_task(p.name));
  validate(prog);
  return prog;
}

int64_t ft_task_native(const std::string& name, int64_t seed, int difficulty, int blocks) {
  uint64_t acc = static_cast<uint64_t>(seed);
  const uint64_t n = static_cast<uint64_t>(blocks) << difficulty;
  for (uint64_t i = 0; i < n; ++i) {
    // The other three reach the same arithmetic by a global, a constant or a tuple.
    acc = name == "pyfunction" ? (acc * kFtMul + 7) & kMask32 : (acc * kFtMul + i) & kMask32;
  }
  return static_cast<int64_t>(acc);
}

}  // namespace

const std::vector<std::string>& workload_names() {
  static const std::vector<std::string> names{"pow",        "shared",          "handoff",      "pyfunction",
                                              "module_function", "mult_constant", "create_pyobject"};
  return names;
}

int64_t task_native(const WorkloadParams& p, int64_t seed) {
  return is_ft(p.name) ? ft_task_native(p.name, seed, p.difficulty, p.blocks) : pow_task_native(seed, p.difficulty, p.blocks);
}

int shared_sites(double f) { return static_cast<int>(std::lround(f * kMixConstSites)); }

Program build_workload(const WorkloadParams& p) {
  if (std::find(workload_names().begin(), workload_names().end(), p.name) == workload_names().end())
    throw std::invalid_argument("unknown workload '" + p.name +
                                "' (expected pow, shared, handoff, pyfunction, module_function, mult_constant or create_pyobject)");
  if (p.difficulty < 0 || p.difficulty > 30)
    throw std::invalid_argument("difficulty must be in 0..30");
  if (p.blocks < 1) throw std::invalid_argument("blocks must be at least 1");
  if (!(p.shared_fraction >= 0.0 && p.shared_fraction <= 1.0))
    throw std::invalid_argument("shared_fraction must be in 0..1");
  if (is_ft(p.name)) return build_ft(p);
  Program prog;
  prog.globals.push_back(GlobalInit{GlobalInit::Kind::Function, 0, "mix"});
  prog.globals.push_back(GlobalInit{GlobalInit::Kind::Function, 1, kTaskGlobal});  // pow_task
  prog.functions.push_back(build_mix(prog, p.name == "shared" ? shared_sites(p.shared_fraction) : 0));
  int mailbox = -1;
  if (p.name == "handoff") {
    prog.globals.push_back(GlobalInit{GlobalInit::Kind::None, 0, "mailbox"});
    mailbox = static_cast<int>(prog.globals.size() - 1);
    prog.globals.push_back(GlobalInit{GlobalInit::Kind::None, 0, "none"});  // mailbox + 1: read only
  }
  prog.functions.push_back(build_pow_task(0, mailbox));
  validate(prog);
  return prog;
}

uint64_t mix_native(uint64_t seed, uint64_t nonce) {
  uint64_t h = (seed * kGolden + nonce) & kMask32;
  for (int r = 0; r < kMixRounds; ++r) {
    h ^= h >> 16;
    h = (h * kMul) & kMask32;
    h ^= h >> 15;
  }
  return h;
}

int64_t pow_task_native(int64_t seed, int difficulty, int blocks) {
  const uint64_t mask = (uint64_t{1} << difficulty) - 1;
  uint64_t s = static_cast<uint64_t>(seed);
  for (int b = 0; b < blocks; ++b) {
    uint64_t nonce = 0;
    while ((mix_native(s, nonce) & mask) != 0) ++nonce;
    s = mix_native(s, nonce) >> 1;
  }
  return static_cast<int64_t>(s);
}

int64_t task_seed(int64_t base_seed, int task) { return (base_seed + task) % (kMaxSeed + 1); }

}  // namespace gillab
