#pragma once
// The eval loop, shaped like CPython's ceval.c: computed-goto dispatch, a value stack of
// object pointers, loads that incref, stores and pops that decref, arithmetic that boxes its
// result and drops its operands, and an eval-breaker check on backward jumps and calls.
//
// Template parameters, so that none of them costs a branch per instruction:
//   P      the refcount policy (refcount_policies.hpp)
//   Imm    whether the runtime has uncounted objects (immortal or deferred); if not, the test is
//          compiled out
//   Ticks  the pre-3.2 GIL's per-instruction countdown (only the `gil_mode = old` build)
#include <cstdint>
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "container_lock.hpp"
#include "dict.hpp"
#include "op_stats.hpp"
#include "refcount_policies.hpp"
#include "runtime.hpp"

namespace gillab {

struct CallResult {
  bool ok = false;
  Type type = Type::None;
  int64_t value = 0;  // the int returned, a float's 64 bits, or a tuple's, a list's or a dict's size
  std::string error;
};

template <class P, bool Imm, bool Ticks = false>
class Interpreter {
 public:
  using Obj = Object<P>;
  using TS = ThreadState<P>;

  // `ops` counts the refcount writes done (an uncounted object's are skipped, so not counted);
  // the eval loop keeps it in a register.
  [[gnu::always_inline]] static inline void incref(Obj* o, uint64_t& ops) {
    if constexpr (Imm)
      if (o->uncounted) return;
    ++ops;
    P::inc(o->rc);
  }

  [[gnu::always_inline]] static inline void decref(TS& ts, Obj* o, uint64_t& ops) {
    if constexpr (Imm)
      if (o->uncounted) return;
    ++ops;
    if (P::dec(o->rc)) {
      if (o->type <= Type::Float && !o->shared) [[likely]]  // an int or a float: nothing inside to drop
        ts.release(o);
      else
        dealloc(ts, o);
    }
  }

  [[gnu::always_inline]] static inline Obj* make_int(TS& ts, int64_t v, uint64_t& rcops) {
    if (Runtime<P>::is_small(v)) {
      Obj* o = ts.rt.small_int(v);
      incref(o, rcops);
      return o;
    }
    Obj* o = fresh(ts, Type::Int);
    o->ival = v;
    return o;
  }

  // A new counted, thread-private object with one reference: the caller fills its payload.
  [[gnu::always_inline]] static inline Obj* fresh(TS& ts, Type t) {
    Obj* o = ts.alloc();
    P::init(o->rc, 1);
    o->type = t;
    o->uncounted = false;
    o->shared = false;
    return o;
  }

  // Calls func(args...) to completion on this thread. Errors (type, overflow, index, depth,
  // an abort from the watchdog) unwind every frame, drop every reference, and are returned.
  static CallResult call(TS& ts, Obj* func, std::span<const int64_t> args);

 private:
  // Biased counting: merge what other threads queued to this one, freeing what is dead.
  [[gnu::noinline]] static void merge_queue(TS& ts) {
    for (void* f : BiasedQueues::instance().take(ts.queue))
      if (P::merge_queued(*static_cast<typename P::Field*>(f))) dealloc(ts, static_cast<Obj*>(f));
  }

  [[gnu::noinline]] static void dealloc(TS& ts, Obj* o) {
    if (o->shared) {
      // The runtime holds a reference to every shared object until it dies, so a count of zero
      // here is figure 2's premature free: lost updates. Counted, never done, so that the race
      // experiment cannot crash; a safe policy never gets here.
      tl_op_stats.premature_zero += 1;
      return;
    }
    if (o->type == Type::Tuple) {
      Obj** items = o->tuple.items;
      uint32_t n = o->tuple.size;
      for (uint32_t i = 0; i < n; ++i) decref(ts, items[i], ts.refcount_ops);
      std::free(items);
    } else if (o->type == Type::List) {
      // The last reference is gone, so no other thread can hold its lock: no critical section.
      for (uint32_t i = 0; i < o->list.size; ++i) decref(ts, o->list.items[i], ts.refcount_ops);
      std::free(o->list.items);
    } else if (o->type == Type::Instance) {
      if (o->inst.dict) decref(ts, o->inst.dict, ts.refcount_ops);
      decref(ts, o->inst.cls, ts.refcount_ops);
    } else if (o->type == Type::MethodCaller) {
      if (o->caller.arg) decref(ts, o->caller.arg, ts.refcount_ops);
    } else if (o->type == Type::BoundMethod) {
      decref(ts, o->bound.func, ts.refcount_ops);
      decref(ts, o->bound.self, ts.refcount_ops);
    } else if (o->type == Type::Dict) {  // as a list: no other thread can hold its lock
      for (uint32_t i = 0; i < 2 * o->dict.cap; ++i)
        if (o->dict.slots[i]) decref(ts, o->dict.slots[i], ts.refcount_ops);
      std::free(o->dict.slots);
    }
    ts.release(o);
  }

  // -- Floats: the slow path of + - * and the comparisons when an operand is not an int (int
  // pairs never come here). Python's rules: an int operand of + - * is converted as float(i)
  // does (round to nearest); a comparison of an int with a float is exact, as Python's.

  [[gnu::always_inline]] static inline Obj* make_float(TS& ts, double v) {
    Obj* o = fresh(ts, Type::Float);
    o->fval = v;
    return o;
  }

  static bool is_number(const Obj* o) { return o->type == Type::Int || o->type == Type::Float; }

  // The sign of i - d, exactly (d not a NaN): no rounding of i, which may be beyond 2**53.
  static int compare_int_float(int64_t i, double d) {
    if (d >= 0x1p63) return -1;
    if (d < -0x1p63) return 1;
    const double t = std::trunc(d);
    const int64_t ti = static_cast<int64_t>(t);
    if (i != ti) return i < ti ? -1 : 1;
    return t == d ? 0 : (d > t ? -1 : 1);
  }

  // The sign of a - b (-1, 0, 1) for two numbers, not both ints; 2 when a NaN makes them unordered.
  static int compare_numbers(const Obj* a, const Obj* b) {
    if (a->type == Type::Int) return b->fval != b->fval ? 2 : compare_int_float(a->ival, b->fval);
    if (b->type == Type::Int) return a->fval != a->fval ? 2 : -compare_int_float(b->ival, a->fval);
    if (a->fval != a->fval || b->fval != b->fval) return 2;
    return a->fval < b->fval ? -1 : a->fval > b->fval ? 1 : 0;
  }

  static double as_double(const Obj* o) { return o->type == Type::Float ? o->fval : static_cast<double>(o->ival); }

  // The result of a float operation (a new reference), or nullptr where the model has none.
  [[gnu::noinline]] static Obj* float_binary(TS& ts, Op op, const Obj* a, const Obj* b, uint64_t& rcops) {
    if (!is_number(a) || !is_number(b)) return nullptr;
    const double x = as_double(a), y = as_double(b);
    switch (op) {
      case Op::BINARY_ADD: return make_float(ts, x + y);
      case Op::BINARY_SUBTRACT: return make_float(ts, x - y);
      case Op::BINARY_MULTIPLY: return make_float(ts, x * y);
      default: break;
    }
    const int c = compare_numbers(a, b);
    bool r;
    switch (op) {
      case Op::COMPARE_LT: r = c == -1; break;
      case Op::COMPARE_LE: r = c == -1 || c == 0; break;
      case Op::COMPARE_GT: r = c == 1; break;
      case Op::COMPARE_GE: r = c == 1 || c == 0; break;
      default: return nullptr;  // // % and the bitwise ops: not on the model's floats
    }
    return make_int(ts, r ? 1 : 0, rcops);
  }

  // -- Lists. Each operation is one critical section (container_lock.hpp): it touches only the
  // list's memory, and what it removes is returned, to be dropped after the lock is released.

  // A fresh list of `size` slots (filled by the caller) and room for `cap`; nullptr if out of memory.
  static Obj* new_list(TS& ts, uint32_t size, uint32_t cap) {
    cap = std::max<uint32_t>(cap, 4);
    Obj** items = static_cast<Obj**>(std::malloc(cap * sizeof(Obj*)));
    if (!items) return nullptr;
    Obj* l = ts.alloc();
    P::init(l->rc, 1);
    l->type = Type::List;
    l->uncounted = false;
    l->shared = false;
    l->mutex.store(0, std::memory_order_relaxed);
    l->list.size = size;
    l->list.cap = cap;
    l->list.items = items;
    return l;
  }

  static bool index_in(int64_t& i, uint32_t size) {
    if (i < 0) i += size;
    return i >= 0 && i < static_cast<int64_t>(size);
  }

  // list[i], a new reference; nullptr and err if out of range.
  static Obj* list_get(Obj* l, int64_t i, uint64_t& rcops, const char*& err) {
    CriticalSection<P> cs(l);
    if (!index_in(i, l->list.size)) return err = "list index out of range", nullptr;
    Obj* item = l->list.items[i];
    incref(item, rcops);  // inside the lock: no store can drop it first
    return item;
  }

  // list[i] = v, v's reference moving in; the item it replaced (to drop), or nullptr and err.
  static Obj* list_set(Obj* l, int64_t i, Obj* v, const char*& err) {
    CriticalSection<P> cs(l);
    if (!index_in(i, l->list.size)) return err = "list assignment index out of range", nullptr;
    Obj* old = l->list.items[i];
    l->list.items[i] = v;
    return old;
  }

  // list.append(v), v's reference moving in; false if out of memory.
  static bool list_append(Obj* l, Obj* v) {
    CriticalSection<P> cs(l);
    if (l->list.size == l->list.cap) {
      const uint32_t cap = l->list.cap * 2;
      Obj** grown = static_cast<Obj**>(std::realloc(l->list.items, cap * sizeof(Obj*)));
      if (!grown) return false;
      l->list.items = grown;
      l->list.cap = cap;
    }
    l->list.items[l->list.size++] = v;
    return true;
  }

  // list.pop(i): the item removed (its reference moves out), or nullptr and err.
  static Obj* list_pop(Obj* l, int64_t i, const char*& err) {
    CriticalSection<P> cs(l);
    if (l->list.size == 0) return err = "pop from empty list", nullptr;
    if (!index_in(i, l->list.size)) return err = "pop index out of range", nullptr;
    Obj* item = l->list.items[i];
    std::memmove(l->list.items + i, l->list.items + i + 1, (l->list.size - 1 - i) * sizeof(Obj*));
    --l->list.size;
    return item;
  }

  // list * int or int * list: a new list, each item a new reference (read under the source's lock).
  static Obj* list_repeat(TS& ts, Obj* a, Obj* b, uint64_t& rcops, const char*& err) {
    if (a->type == Type::Int) std::swap(a, b);
    if (a->type != Type::List || b->type != Type::Int) return err = "unsupported operand types for BINARY_MULTIPLY", nullptr;
    CriticalSection<P> cs(a);
    const int64_t times = std::max<int64_t>(b->ival, 0), n = a->list.size;
    if (n != 0 && times > (int64_t{1} << 24) / n) return err = "list too long", nullptr;
    Obj* r = new_list(ts, static_cast<uint32_t>(n * times), static_cast<uint32_t>(n * times));
    if (!r) return err = "out of memory", nullptr;
    for (int64_t k = 0; k < n * times; ++k) {
      r->list.items[k] = a->list.items[k % n];
      incref(r->list.items[k], rcops);
    }
    return r;
  }

  // -- Dicts (dict.hpp): each operation one critical section, as a list's.

  static Obj* new_dict(TS& ts) {
    Obj** slots = dict::new_slots<Obj>(dict::kMinSize);
    if (!slots) return nullptr;
    Obj* d = fresh(ts, Type::Dict);
    d->mutex.store(0, std::memory_order_relaxed);
    d->dict.size = 0;
    d->dict.cap = dict::kMinSize;
    d->dict.slots = slots;
    return d;
  }

  // d[key], a new reference; nullptr and err (`missing` where the key is absent: an attribute's
  // dict says AttributeError) if the key is absent or not hashable.
  static Obj* dict_get(Obj* d, const Obj* key, uint64_t& rcops, const char*& err, const char* missing = "KeyError") {
    if (!dict::hashable(key)) return err = "a dict key that is not an int or a str", nullptr;
    CriticalSection<P> cs(d);
    Obj* v = dict::find(d, key);
    if (!v) return err = missing, nullptr;
    incref(v, rcops);  // inside the lock, as list_get's
    return v;
  }

  // d[key] = v, both references moving in; false and err if the key is not hashable or memory
  // ran out. The value replaced and the duplicate key come back to be dropped after the lock.
  static bool dict_set(Obj* d, Obj* key, Obj* v, Obj*& old, Obj*& spare, const char*& err) {
    if (!dict::hashable(key)) return err = "a dict key that is not an int or a str", false;
    CriticalSection<P> cs(d);
    if (!dict::store(d, key, v, old, spare)) return err = "out of memory", false;
    return true;
  }

  // -- Attributes: an instance's, or a thread's of a threading.local, in a dict keyed by the
  // names' interned strs. A method is found on the class by LOAD_METHOD, never here.

  // attrs.name, a new reference; nullptr and err if there is none (or no dict yet).
  static Obj* attr_get(Obj* attrs, Obj* name, uint64_t& rcops, const char*& err) {
    if (!attrs) return err = "AttributeError", nullptr;
    return dict_get(attrs, name, rcops, err, "AttributeError");
  }

  // attrs.name = v, v's reference moving in, the dict taking one to the name; the value
  // replaced comes back to be dropped (nullptr if none). False and err if out of memory.
  static bool attr_set(TS& ts, Obj* attrs, Obj* name, Obj* v, Obj*& old, uint64_t& rcops, const char*& err) {
    incref(name, rcops);
    Obj* spare = nullptr;
    if (!dict_set(attrs, name, v, old, spare, err)) {
      decref(ts, name, rcops);
      return false;
    }
    if (spare) decref(ts, spare, rcops);
    return true;
  }

  static Obj* instance_attrs(Obj* o) { return std::atomic_ref<Obj*>(o->inst.dict).load(std::memory_order_acquire); }

  // An instance's dict, made by the first store. An instance put in a shared list or dict can
  // take its first stores from two threads at once: the one whose compare-exchange installs its
  // dict wins, the other drops its own and uses the winner's, so no store is lost.
  static Obj* instance_dict(TS& ts, Obj* o, uint64_t& rcops) {
    std::atomic_ref<Obj*> slot(o->inst.dict);
    Obj* d = slot.load(std::memory_order_acquire);
    if (d) return d;
    d = new_dict(ts);
    if (!d) return nullptr;
    Obj* installed = nullptr;
    if (slot.compare_exchange_strong(installed, d, std::memory_order_acq_rel, std::memory_order_acquire)) return d;
    decref(ts, d, rcops);
    return installed;
  }

  // A threading.local's attributes as this thread sees them (ThreadState::local_dicts), a dict
  // no other thread sees: its lock is taken, never contended. nullptr if none yet.
  static Obj* local_attrs(TS& ts, const Obj* local) {
    for (const auto& [l, d] : ts.local_dicts)
      if (l == local) return d;
    return nullptr;
  }

  static Obj* local_dict(TS& ts, const Obj* local) {
    if (Obj* d = local_attrs(ts, local)) return d;
    Obj* d = new_dict(ts);
    if (d) ts.local_dicts.emplace_back(local, d);
    return d;
  }

  // The entry call's end: this thread's threading.local attributes go with it.
  static void drop_local_dicts(TS& ts, uint64_t& rcops) {
    for (const auto& [l, d] : ts.local_dicts) decref(ts, d, rcops);
    ts.local_dicts.clear();
  }

  // A new instance of class c, holding a reference to it.
  static Obj* new_instance(TS& ts, Obj* c, uint64_t& rcops) {
    Obj* o = fresh(ts, Type::Instance);
    incref(c, rcops);
    o->inst.cls = c;
    o->inst.dict = nullptr;
    return o;
  }

  // methodcaller(name[, arg]): name a str constant naming a list method.
  static Obj* call_methodcaller(TS& ts, Obj* const* args, uint32_t n, uint64_t& rcops, const char*& err) {
    if (n < 1 || n > 2 || args[0]->type != Type::Str) return err = "methodcaller() takes a method's name and at most one argument", nullptr;
    const std::string_view name(args[0]->str.data, args[0]->str.size);
    int64_t m = -1;
    for (int k = 0; k < kMethodCount; ++k)
      if (name == kMethodNames[k]) m = k;
    if (m < 0) return err = "methodcaller() of something but a list method (append, pop)", nullptr;
    if (m == kMethodAppend && n != 2) return err = "list.append() takes exactly one argument", nullptr;
    Obj* o = fresh(ts, Type::MethodCaller);
    o->caller.method = m;
    o->caller.arg = n == 2 ? args[1] : nullptr;
    if (o->caller.arg) incref(o->caller.arg, rcops);
    return o;
  }

  // mc(obj): obj.<method>(arg) on a list; the result a new reference, or nullptr and err.
  static Obj* call_caller(TS& ts, Obj* mc, Obj* const* args, uint32_t n, uint64_t& rcops, const char*& err) {
    if (n != 1 || args[0]->type != Type::List) return err = "a methodcaller is called with one list", nullptr;
    Obj* arg = mc->caller.arg;
    if (mc->caller.method == kMethodAppend) {
      incref(arg, rcops);  // the list's reference to it
      if (!list_append(args[0], arg)) {
        decref(ts, arg, rcops);
        return err = "out of memory", nullptr;
      }
      incref(ts.rt.none(), rcops);
      return ts.rt.none();
    }
    if (arg && arg->type != Type::Int) return err = "list.pop() takes an int", nullptr;
    return list_pop(args[0], arg ? arg->ival : -1, err);
  }

  // round(x): an int as it is; a float to the nearest int, halves to even (Python's
  // float.__round__; nearbyint in the default rounding mode does the same).
  static Obj* call_round(TS& ts, Obj* const* args, uint32_t n, uint64_t& rcops, const char*& err) {
    if (n != 1) return err = "round() with ndigits is not in the model", nullptr;
    if (args[0]->type == Type::Int) return make_int(ts, args[0]->ival, rcops);
    if (args[0]->type != Type::Float) return err = "round() takes a number", nullptr;
    const double r = std::nearbyint(args[0]->fval);
    if (r != r) return err = "cannot convert float NaN to integer", nullptr;
    if (!(r >= -0x1p63 && r < 0x1p63)) return err = "round() beyond 64 bits (the model's ints are 64-bit)", nullptr;
    return make_int(ts, static_cast<int64_t>(r), rcops);
  }

  // math.cos(x): an int argument converted as float(x) is, the cosine glibc's (CPython's too).
  static Obj* call_cos(TS& ts, Obj* const* args, uint32_t n, const char*& err) {
    if (n != 1) return err = "math.cos() takes exactly one argument", nullptr;
    if (!is_number(args[0])) return err = "math.cos() takes a number", nullptr;
    return make_float(ts, std::cos(as_double(args[0])));
  }

  // range(stop) or range(start, stop), as a fresh iterator; nullptr and err set if the
  // arguments are not one or two ints.
  static Obj* call_range(TS& ts, Obj* const* args, uint32_t n, const char*& err) {
    if (n < 1 || n > 2) return err = "range() takes one or two arguments", nullptr;
    for (uint32_t i = 0; i < n; ++i)
      if (args[i]->type != Type::Int) return err = "range() takes ints", nullptr;
    Obj* it = ts.alloc();
    P::init(it->rc, 1);
    it->type = Type::RangeIter;
    it->uncounted = false;
    it->shared = false;
    it->range.next = n == 2 ? args[0]->ival : 0;
    it->range.stop = args[n - 1]->ival;
    return it;
  }

  // Python's == for the model's objects: ints and tuples by value, None by identity.
  static bool equal(const Obj* a, const Obj* b) {
    if (a == b) return a->type != Type::Float || a->fval == a->fval;  // a NaN is not equal to itself
    if (is_number(a) && is_number(b) && (a->type == Type::Float || b->type == Type::Float)) return compare_numbers(a, b) == 0;
    if (a->type != b->type) return false;
    if (a->type == Type::Int) return a->ival == b->ival;
    if (a->type == Type::Str) return a->str.size == b->str.size && std::memcmp(a->str.data, b->str.data, a->str.size) == 0;
    if (a->type != Type::Tuple || a->tuple.size != b->tuple.size) return false;
    for (uint32_t i = 0; i < a->tuple.size; ++i)
      if (!equal(a->tuple.items[i], b->tuple.items[i])) return false;
    return true;
  }

  static bool truthy(const Obj* o) {
    switch (o->type) {
      case Type::Int: return o->ival != 0;
      case Type::Float: return o->fval != 0.0;
      case Type::Tuple: return o->tuple.size != 0;
      case Type::List: return o->list.size != 0;
      case Type::Dict: return o->dict.size != 0;
      case Type::Str: return o->str.size != 0;
      case Type::None: return false;
      default: return true;
    }
  }

  struct Frame {
    const Instr* ip;
    Obj** fast;
    Obj* const* consts;
    const FunctionData<P>* fn;
  };
};

template <class P, bool Imm, bool Ticks>
CallResult Interpreter<P, Imm, Ticks>::call(TS& ts, Obj* func, std::span<const int64_t> args) {
  static_assert(sizeof(Instr) == 4);
  CallResult result;
  if (ts.rt.has_uncounted() != Imm) {
    result.error = "runtime and interpreter disagree on uncounted (immortal or deferred) objects";
    return result;
  }
  if (func->type != Type::Function) {
    result.error = "call of a non-function";
    return result;
  }

  if constexpr (TS::kQueues) {
    // The queue holds refcount fields: the field must be where its object starts.
    static_assert(std::is_standard_layout_v<Obj> && offsetof(Obj, rc) == 0);
    ts.free_object = &dealloc;
  }
  Frame frames[TS::kMaxDepth];
  int depth = 0;
  Obj** const stack_base = ts.stack;
  Obj** const stack_end = stack_base + ts.stack_slots;
  std::atomic<uint32_t>& breaker = ts.rt.eval_breaker;
  uint64_t rcops = 0, nbc = 0;
  [[maybe_unused]] int64_t ticks = ts.tick_interval;
  const char* err = nullptr;
  std::string err_detail;

  Obj** sp = stack_base;
  const Instr* ip;
  Obj** fast;
  Obj* const* consts;
  const FunctionData<P>* fn;
  uint32_t nargs;
  Instr in;

  // The entry call: the callable and its arguments on the stack, then the same frame set-up
  // as CALL, after the same check: room for the callable, the locals (arguments among them)
  // and the function's deepest stack. Nothing is pushed yet, so there is nothing to unwind.
  if (static_cast<size_t>(1 + func->func->spec->nlocals + func->func->spec->stacksize) > ts.stack_slots ||
      args.size() > func->func->spec->nlocals) {
    result.error = args.size() > func->func->spec->nlocals ? "wrong number of arguments" : "value stack overflow";
    return result;
  }
  incref(func, rcops);
  *sp++ = func;
  for (int64_t a : args) *sp++ = make_int(ts, a, rcops);
  fn = func->func;
  if (args.size() != fn->spec->nargs) {
    err = "wrong number of arguments";
    goto error;
  }
  fast = sp - args.size();
  for (size_t i = args.size(); i < fn->spec->nlocals; ++i) fast[i] = nullptr;
  sp = fast + fn->spec->nlocals;
  ip = fn->spec->code.data();
  consts = fn->consts.data();

  static const void* const labels[] = {
#define GILLAB_LABEL(name) &&op_##name,
      GILLAB_OPCODES(GILLAB_LABEL)
#undef GILLAB_LABEL
  };

#define NEXT()                                    \
  do {                                            \
    if constexpr (Ticks) {                        \
      if (--ticks <= 0) [[unlikely]] {            \
        ticks = ts.tick_interval;                 \
        ts.sched->on_ticks();                     \
      }                                           \
    }                                             \
    in = *ip++;                                   \
    ++nbc;                                        \
    goto* labels[static_cast<uint8_t>(in.op)];    \
  } while (0)
#define INCREF(o) incref((o), rcops)
#define DECREF(o) decref(ts, (o), rcops)
#define XDECREF(o)         \
  do {                     \
    Obj* x_ = (o);         \
    if (x_) DECREF(x_);    \
  } while (0)
#define VM_FAIL(msg) \
  do {            \
    err = (msg);  \
    goto error;   \
  } while (0)
#define CHECK_BREAKER()                                                     \
  do {                                                                      \
    uint32_t b_ = breaker.load(std::memory_order_relaxed);                  \
    if (b_ != 0) [[unlikely]] {                                             \
      if (b_ & kBreakAbort) VM_FAIL("aborted by the watchdog");               \
      if (ts.sched) ts.sched->on_eval_breaker();                            \
      if constexpr (TS::kQueues)                                            \
        if (ts.queue.pending.load(std::memory_order_relaxed)) merge_queue(ts); \
    }                                                                       \
  } while (0)
#define BINARY_INT(name, compute)                                          \
  op_##name : {                                                            \
    Obj* b = sp[-1];                                                       \
    Obj* a = sp[-2];                                                       \
    if (a->type != Type::Int || b->type != Type::Int) [[unlikely]] {       \
      Obj* f_ = float_binary(ts, Op::name, a, b, rcops);                   \
      if (!f_) VM_FAIL(is_number(a) && is_number(b)                        \
                           ? "the model's floats take only + - * / and comparisons" \
                           : "unsupported operand types for " #name);        \
      --sp;                                                                \
      sp[-1] = f_;                                                         \
      DECREF(a);                                                           \
      DECREF(b);                                                           \
      NEXT();                                                              \
    }                                                                      \
    const int64_t x = a->ival, y = b->ival;                                \
    int64_t r;                                                             \
    compute;                                                               \
    --sp;                                                                  \
    sp[-1] = make_int(ts, r, rcops);                                       \
    DECREF(a);                                                             \
    DECREF(b);                                                             \
    NEXT();                                                                \
  }
#define COMPARE(name, expr) BINARY_INT(name, r = (expr) ? 1 : 0)
// == and != take any two objects (ints and tuples by value, as Python's ==); an int pair, pow's
// hot loop, is the fast path. One label each: no branch on which of the two it is.
#define EQUALITY(name, want)                                                                           \
  op_##name : {                                                                                        \
    Obj* b = sp[-1];                                                                                   \
    Obj* a = sp[-2];                                                                                   \
    if ((a->type == Type::List || a->type == Type::Dict) && b->type == a->type && a != b) [[unlikely]]  \
      VM_FAIL("== between two lists or two dicts is not supported");                                  \
    const bool eq = (a->type == Type::Int && b->type == Type::Int) ? a->ival == b->ival : equal(a, b); \
    --sp;                                                                                              \
    sp[-1] = make_int(ts, eq == (want) ? 1 : 0, rcops);                                                \
    DECREF(a);                                                                                         \
    DECREF(b);                                                                                         \
    NEXT();                                                                                            \
  }

  NEXT();

op_NOP:
  NEXT();
op_LOAD_CONST: {
  Obj* o = consts[in.arg];
  INCREF(o);
  *sp++ = o;
  NEXT();
}
op_LOAD_FAST: {
  Obj* o = fast[in.arg];
  if (!o) [[unlikely]] {
    err_detail = fn->spec->local_names[in.arg];
    VM_FAIL("unbound local");
  }
  INCREF(o);
  *sp++ = o;
  NEXT();
}
op_STORE_FAST: {
  Obj* old = fast[in.arg];
  fast[in.arg] = *--sp;
  XDECREF(old);
  NEXT();
}
op_LOAD_GLOBAL: {
  Obj* o = ts.rt.globals[in.arg];
  INCREF(o);
  *sp++ = o;
  NEXT();
}
op_EXCHANGE_GLOBAL: {
  // Atomically swaps TOS with a global and pushes the old value: the references move, so no
  // count changes. The hand-off workload's mailbox, the only global that workers write (a
  // free-threaded CPython's dict store takes a lock for the same end).
  Obj* mine = *--sp;
  *sp++ = std::atomic_ref<Obj*>(ts.rt.globals[in.arg]).exchange(mine, std::memory_order_acq_rel);
  NEXT();
}
op_STORE_GLOBAL: {
  // The swap is atomic, so two threads storing at once each drop one old value, never the same
  // one twice. A LOAD_GLOBAL racing with it is not made safe: it may incref the old value after
  // this drop freed it (CPython's free-threaded build defers that free; QSBR, issue 21). Under a
  // GIL it is safe, and the shipped workloads write globals only by EXCHANGE_GLOBAL.
  Obj* old = std::atomic_ref<Obj*>(ts.rt.globals[in.arg]).exchange(*--sp, std::memory_order_acq_rel);
  DECREF(old);
  NEXT();
}
op_POP_TOP: {
  Obj* o = *--sp;
  DECREF(o);
  NEXT();
}
op_DUP_TOP: {
  Obj* o = sp[-1];
  INCREF(o);
  *sp++ = o;
  NEXT();
}
op_ROT_TWO: {
  Obj* t = sp[-1];
  sp[-1] = sp[-2];
  sp[-2] = t;
  NEXT();
}
  BINARY_INT(BINARY_ADD, if (__builtin_add_overflow(x, y, &r)) [[unlikely]] VM_FAIL("integer overflow"))
  BINARY_INT(BINARY_SUBTRACT, if (__builtin_sub_overflow(x, y, &r)) [[unlikely]] VM_FAIL("integer overflow"))
op_BINARY_MULTIPLY: {  // ints, or a list repeated ([x] * n): the int pair is the fast path
  Obj* b = sp[-1];
  Obj* a = sp[-2];
  Obj* r;
  if (a->type == Type::Int && b->type == Type::Int) [[likely]] {
    int64_t v;
    if (__builtin_mul_overflow(a->ival, b->ival, &v)) [[unlikely]] VM_FAIL("integer overflow");
    r = make_int(ts, v, rcops);
  } else if (a->type == Type::Float || b->type == Type::Float) {
    r = float_binary(ts, Op::BINARY_MULTIPLY, a, b, rcops);
    if (!r) VM_FAIL("unsupported operand types for BINARY_MULTIPLY");
  } else {
    r = list_repeat(ts, a, b, rcops, err);
    if (!r) goto error;
  }
  --sp;
  sp[-1] = r;
  DECREF(a);
  DECREF(b);
  NEXT();
}
  BINARY_INT(BINARY_FLOOR_DIVIDE, {
    if (y == 0) VM_FAIL("integer division by zero");
    if (x == INT64_MIN && y == -1) VM_FAIL("integer overflow");
    r = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0))) --r;  // Python floors
  })
  BINARY_INT(BINARY_MODULO, {
    if (y == 0) VM_FAIL("integer modulo by zero");
    r = y == -1 ? 0 : x % y;
    if (r != 0 && ((r < 0) != (y < 0))) r += y;  // the sign of the divisor, as Python
  })
  BINARY_INT(BINARY_AND, r = x & y)
  BINARY_INT(BINARY_OR, r = x | y)
  BINARY_INT(BINARY_XOR, r = x ^ y)
  BINARY_INT(BINARY_LSHIFT, {
    if (y < 0) VM_FAIL("negative shift count");
    if (x == 0) {
      r = 0;
    } else {
      if (y >= 63) VM_FAIL("integer overflow");
      r = static_cast<int64_t>(static_cast<uint64_t>(x) << y);
      if ((r >> y) != x) VM_FAIL("integer overflow");
    }
  })
  BINARY_INT(BINARY_RSHIFT, {
    if (y < 0) VM_FAIL("negative shift count");
    r = y >= 64 ? (x < 0 ? -1 : 0) : (x >> y);
  })
  COMPARE(COMPARE_LT, x < y)
  COMPARE(COMPARE_LE, x <= y)
  EQUALITY(COMPARE_EQ, true)
  EQUALITY(COMPARE_NE, false)
  COMPARE(COMPARE_GT, x > y)
  COMPARE(COMPARE_GE, x >= y)
op_JUMP_FORWARD:
  ip = fn->spec->code.data() + in.arg;
  NEXT();
op_JUMP_BACKWARD:
  ip = fn->spec->code.data() + in.arg;
  CHECK_BREAKER();
  NEXT();
op_POP_JUMP_IF_FALSE: {
  Obj* o = *--sp;
  bool t = truthy(o);
  DECREF(o);
  if (!t) ip = fn->spec->code.data() + in.arg;
  NEXT();
}
op_POP_JUMP_IF_TRUE: {
  Obj* o = *--sp;
  bool t = truthy(o);
  DECREF(o);
  if (t) ip = fn->spec->code.data() + in.arg;
  NEXT();
}
op_POP_JUMP_BACKWARD_IF_FALSE: {  // CPython 3.11's loop bottom: a backward jump checks the breaker
  Obj* o = *--sp;
  bool t = truthy(o);
  DECREF(o);
  if (!t) {
    ip = fn->spec->code.data() + in.arg;
    CHECK_BREAKER();
  }
  NEXT();
}
op_POP_JUMP_BACKWARD_IF_TRUE: {
  Obj* o = *--sp;
  bool t = truthy(o);
  DECREF(o);
  if (t) {
    ip = fn->spec->code.data() + in.arg;
    CHECK_BREAKER();
  }
  NEXT();
}
op_GET_ITER:
  if (sp[-1]->type != Type::RangeIter) [[unlikely]] VM_FAIL("only range() can be iterated");
  NEXT();  // range() made its own iterator
op_FOR_ITER: {
  Obj* it = sp[-1];
  if (it->range.next < it->range.stop) {
    *sp++ = make_int(ts, it->range.next++, rcops);
  } else {  // exhausted: pop the iterator and leave the loop (3.11's FOR_ITER)
    --sp;
    DECREF(it);
    ip = fn->spec->code.data() + in.arg;
  }
  NEXT();
}
op_UNARY_NEGATIVE: {
  Obj* a = sp[-1];
  if (a->type != Type::Int) [[unlikely]] {  // the int test first, as before: a float is the slow path
    if (a->type != Type::Float) VM_FAIL("bad operand type for unary -");
    sp[-1] = make_float(ts, -a->fval);
    DECREF(a);
    NEXT();
  }
  if (a->ival == INT64_MIN) [[unlikely]] VM_FAIL("integer overflow");
  sp[-1] = make_int(ts, -a->ival, rcops);
  DECREF(a);
  NEXT();
}
op_UNARY_INVERT: {
  Obj* a = sp[-1];
  if (a->type != Type::Int) [[unlikely]] VM_FAIL("bad operand type for unary ~");
  sp[-1] = make_int(ts, ~a->ival, rcops);
  DECREF(a);
  NEXT();
}
op_UNARY_NOT: {
  Obj* a = sp[-1];
  sp[-1] = ts.rt.small_int(truthy(a) ? 0 : 1);  // the model's bools are the ints 0 and 1
  INCREF(sp[-1]);
  DECREF(a);
  NEXT();
}
op_BUILD_TUPLE: {
  uint32_t n = in.arg;
  Obj** items = n ? static_cast<Obj**>(std::malloc(n * sizeof(Obj*))) : nullptr;
  if (n && !items) VM_FAIL("out of memory");
  sp -= n;
  for (uint32_t i = 0; i < n; ++i) items[i] = sp[i];  // the references move into the tuple
  Obj* t = ts.alloc();
  P::init(t->rc, 1);
  t->type = Type::Tuple;
  t->uncounted = false;
  t->shared = false;
  t->tuple.size = n;
  t->tuple.items = items;
  *sp++ = t;
  NEXT();
}
op_BINARY_SUBSCR: {
  Obj* idx = sp[-1];
  Obj* seq = sp[-2];
  Obj* item;
  if (seq->type == Type::Dict) {
    item = dict_get(seq, idx, rcops, err);
    if (!item) goto error;
  } else if (idx->type != Type::Int) {
    VM_FAIL("only tuple[int], list[int] and dict[key] are supported");
  } else if (seq->type == Type::List) {
    item = list_get(seq, idx->ival, rcops, err);
    if (!item) goto error;
  } else {
    if (seq->type != Type::Tuple) VM_FAIL("only tuple[int], list[int] and dict[key] are supported");
    int64_t i = idx->ival;
    if (!index_in(i, seq->tuple.size)) VM_FAIL("tuple index out of range");
    item = seq->tuple.items[i];
    INCREF(item);
  }
  --sp;
  sp[-1] = item;
  DECREF(seq);
  DECREF(idx);
  NEXT();
}
op_BUILD_LIST: {
  const uint32_t n = in.arg;
  Obj* l = new_list(ts, n, n);
  if (!l) VM_FAIL("out of memory");
  sp -= n;
  for (uint32_t i = 0; i < n; ++i) l->list.items[i] = sp[i];  // the references move into the list
  *sp++ = l;
  NEXT();
}
op_STORE_SUBSCR: {  // TOS1[TOS] = TOS2, as CPython
  Obj* idx = sp[-1];
  Obj* target = sp[-2];
  Obj* v = sp[-3];
  if (target->type == Type::Dict) {
    Obj *old = nullptr, *spare = nullptr;
    if (!dict_set(target, idx, v, old, spare, err)) goto error;
    sp -= 3;  // the key and the value now belong to the dict
    XDECREF(old);
    XDECREF(spare);
    DECREF(target);
    NEXT();
  }
  if (target->type != Type::List || idx->type != Type::Int) VM_FAIL("only list[int] = value and dict[key] = value are supported");
  Obj* old = list_set(target, idx->ival, v, err);
  if (!old) goto error;
  sp -= 3;  // v now belongs to the list
  DECREF(old);
  DECREF(target);
  DECREF(idx);
  NEXT();
}
op_BEFORE_WITH: {  // mgr -> __exit__ bound to mgr, then mgr.__enter__()'s result above it
  Obj* mgr = sp[-1];
  const ClassData<P>* c = mgr->type == Type::Instance ? mgr->inst.cls->cls : nullptr;
  if (!c || !c->enter || !c->exit) [[unlikely]] VM_FAIL("a with needs an instance of a class with __enter__ and __exit__");
  if (sp + 2 > stack_end) VM_FAIL("value stack overflow");
  Obj* bound = fresh(ts, Type::BoundMethod);
  bound->bound.func = c->exit;
  bound->bound.self = mgr;
  INCREF(c->exit);
  INCREF(mgr);
  // bound, __enter__, mgr (the stack's reference to mgr moves up): __enter__'s frame, whose
  // result takes the place of the last two.
  sp[-1] = bound;
  *sp++ = c->enter;
  INCREF(c->enter);
  *sp++ = mgr;
  nargs = 1;
  goto call_function;
}
op_BUILD_MAP: {  // k1 v1 ... kn vn -> {k1: v1, ...}, the references moving in
  const uint32_t n = in.arg;
  for (uint32_t i = 0; i < n; ++i)
    if (!dict::hashable(sp[-2 * static_cast<int>(n) + 2 * static_cast<int>(i)])) [[unlikely]]
      VM_FAIL("a dict key that is not an int or a str");
  Obj* d = new_dict(ts);
  if (!d) VM_FAIL("out of memory");
  sp -= 2 * n;
  for (uint32_t i = 0; i < n; ++i) {
    Obj *old = nullptr, *spare = nullptr;
    if (!dict::store(d, sp[2 * i], sp[2 * i + 1], old, spare)) {
      for (uint32_t j = 2 * i; j < 2 * n; ++j) DECREF(sp[j]);  // what did not move in yet
      DECREF(d);
      VM_FAIL("out of memory");
    }
    XDECREF(old);  // a key given twice: the last value, the first key, as Python
    XDECREF(spare);
  }
  *sp++ = d;
  NEXT();
}
op_LOAD_METHOD: {  // self -> method, self (CPython 3.11's unbound-method form)
  Obj* self = sp[-1];
  Obj* m = self->type == Type::List       ? ts.rt.list_method(in.arg)
           : self->type == Type::Instance ? self->inst.cls->cls->methods[in.arg]
                                          : nullptr;
  if (!m) [[unlikely]] {  // a module's attribute, or none: a list's method pays no module test
    err_detail = ts.rt.program().names[in.arg];
    if (self->type != Type::Module) {
      VM_FAIL(self->type == Type::List || self->type == Type::Instance ? "no such method" : "only lists, instances and modules have methods");
    }
    // A module's attribute (3.11's LOAD_METHOD of a global module: `module.double(i)`) goes
    // above the module, in self's place, the module in the method's: CALL_METHOD drops the
    // module (3.11 pushes NULL there) and calls the attribute without it.
    Obj* a = ts.rt.module_attribute(self, in.arg);
    if (!a) VM_FAIL("no such method");
    INCREF(a);
    *sp++ = a;
    NEXT();
  }
  INCREF(m);
  sp[-1] = m;
  *sp++ = self;
  NEXT();
}
op_CALL_METHOD: {  // method, self, arg... -> result
  Obj** base = sp - in.arg - 2;
  Obj* self = base[1];
  Obj* r;
  // A list's method pays the two tests it paid before the model had other methods.
  if (base[0]->type != Type::Method) goto call_method_other;
  if (self->type != Type::List) [[unlikely]] VM_FAIL("CALL_METHOD without LOAD_METHOD");
  if (base[0]->ival == kMethodAppend) {
    if (in.arg != 1) VM_FAIL("list.append() takes exactly one argument");
    if (!list_append(self, base[2])) VM_FAIL("out of memory");
    sp = base + 2;  // the argument now belongs to the list
    r = ts.rt.none();
    INCREF(r);
  } else {
    if (in.arg > 1) VM_FAIL("list.pop() takes at most one argument");
    if (in.arg == 1 && base[2]->type != Type::Int) VM_FAIL("list.pop() takes an int");
    r = list_pop(self, in.arg == 1 ? base[2]->ival : -1, err);
    if (!r) goto error;
    if (in.arg == 1) DECREF(base[2]);
    sp = base + 2;
  }
  DECREF(self);
  DECREF(base[0]);
  base[0] = r;
  sp = base + 1;
  NEXT();
}
call_method_other: {  // a class's method, a module's function or a with's bound __exit__
  Obj** base = sp - in.arg - 2;
  if (base[0]->type == Type::Function) {  // function, self, args...: self the first argument
    nargs = in.arg + 1;
    goto call_function;
  }
  if (base[0]->type == Type::Module) {  // module, function, args...: the module dropped
    Obj* module = base[0];
    std::memmove(base, base + 1, (in.arg + 1) * sizeof(Obj*));
    --sp;
    DECREF(module);
    if (base[0]->type != Type::Function) VM_FAIL("call of a non-function");
    nargs = in.arg;
    goto call_function;
  }
  if (base[0]->type != Type::BoundMethod) VM_FAIL("CALL_METHOD without LOAD_METHOD");
  // bound, args... -> function, self, args...
  if (sp + 1 > stack_end) VM_FAIL("value stack overflow");
  Obj* b = base[0];
  std::memmove(base + 2, base + 1, (in.arg + 1) * sizeof(Obj*));
  base[0] = b->bound.func;
  base[1] = b->bound.self;
  INCREF(base[0]);
  INCREF(base[1]);
  ++sp;
  DECREF(b);
  nargs = in.arg + 2;
  goto call_function;
}
op_LOAD_ATTR: {  // an instance's attribute, or a module's (math.cos, the one the model has)
  Obj* m = sp[-1];
  Obj* a;
  if (m->type == Type::Instance) {
    a = attr_get(instance_attrs(m), ts.rt.name(in.arg), rcops, err);
  } else if (m->type == Type::ThreadLocal) {
    a = attr_get(local_attrs(ts, m), ts.rt.name(in.arg), rcops, err);
  } else {
    a = m->type == Type::Module ? ts.rt.module_attribute(m, in.arg) : nullptr;
    if (a) INCREF(a);
    else err = m->type == Type::Module ? "AttributeError" : "attribute of something but an instance or a module";
  }
  if (!a) [[unlikely]] {
    err_detail = ts.rt.program().names[in.arg];
    goto error;
  }
  sp[-1] = a;
  DECREF(m);
  NEXT();
}
op_STORE_ATTR: {  // TOS.name = TOS1, as CPython
  Obj* o = sp[-1];
  Obj* v = sp[-2];
  Obj* attrs;
  if (o->type == Type::Instance) {
    attrs = instance_dict(ts, o, rcops);
  } else if (o->type == Type::ThreadLocal) {
    attrs = local_dict(ts, o);
  } else [[unlikely]] {
    VM_FAIL("attribute store on something but an instance or a threading.local");
  }
  if (!attrs) VM_FAIL("out of memory");
  Obj* old = nullptr;
  if (!attr_set(ts, attrs, ts.rt.name(in.arg), v, old, rcops, err)) goto error;
  sp -= 2;  // v now belongs to the attributes' dict
  XDECREF(old);
  DECREF(o);
  NEXT();
}
op_BINARY_TRUE_DIVIDE: {  // Python's /: a float, whatever the operands
  Obj* b = sp[-1];
  Obj* a = sp[-2];
  if (!is_number(a) || !is_number(b)) [[unlikely]] VM_FAIL("unsupported operand types for BINARY_TRUE_DIVIDE");
  // Two ints within 2**53 convert exactly, so the one IEEE division is correctly rounded, as
  // Python's int / int is; beyond, Python rounds the exact quotient, which the model does not.
  constexpr int64_t kExact = int64_t{1} << 53;
  auto beyond = [](const Obj* o) { return o->ival > kExact || o->ival < -kExact; };
  if (a->type == Type::Int && b->type == Type::Int && (beyond(a) || beyond(b))) [[unlikely]]
    VM_FAIL("int / int beyond 2**53 (Python rounds that quotient exactly; the model would not)");
  if (as_double(b) == 0.0) [[unlikely]] VM_FAIL("division by zero");
  Obj* r = make_float(ts, as_double(a) / as_double(b));
  --sp;
  sp[-1] = r;
  DECREF(a);
  DECREF(b);
  NEXT();
}
op_MAKE_FUNCTION: {  // code -> a new function of it (a nested def, run each time control passes it)
  Obj* code = sp[-1];
  if (code->type != Type::Code) [[unlikely]] VM_FAIL("MAKE_FUNCTION of a non-code object");
  // Counted under the policy like any temporary: CPython 3.13t defers the counts of top-level
  // functions only, nested ones being the likelier to capture variables and to die young.
  Obj* f = ts.alloc();
  P::init(f->rc, 1);
  f->type = Type::Function;
  f->uncounted = false;
  f->shared = false;
  f->mutex.store(0, std::memory_order_relaxed);
  f->func = code->func;
  sp[-1] = f;
  DECREF(code);
  NEXT();
}
op_CALL: {
  nargs = in.arg;
  Obj* callable = sp[-in.arg - 1];
  if (callable->type != Type::Function) [[unlikely]] {  // a function call pays this one test, as before
    if (callable->type == Type::Class) goto call_class;
    if (callable->type != Type::Builtin && callable->type != Type::MethodCaller) VM_FAIL("call of a non-function");
    // range() runs before a loop, not in it; math.cos, round and methodcallers in ftscalingbench's loops
    Obj* const* args = sp - in.arg;
    Obj* r = callable->type == Type::MethodCaller           ? call_caller(ts, callable, args, in.arg, rcops, err)
             : callable->ival == kBuiltinCos                ? call_cos(ts, args, in.arg, err)
             : callable->ival == kBuiltinRound              ? call_round(ts, args, in.arg, rcops, err)
             : callable->ival == kBuiltinMethodCaller       ? call_methodcaller(ts, args, in.arg, rcops, err)
                                                            : call_range(ts, args, in.arg, err);
    if (!r) goto error;
    for (uint32_t i = 0; i <= in.arg; ++i) DECREF(sp[-1 - static_cast<int>(i)]);
    sp -= in.arg;
    sp[-1] = r;
    NEXT();
  }
  goto call_function;
}
call_class: {  // cls, args... -> a new instance, its __init__(self, args...) run first if it has one
  Obj* cls = sp[-in.arg - 1];
  Obj* init = cls->cls->init;
  if (!init) {
    if (in.arg != 0) VM_FAIL("a class without __init__ takes no arguments");
    sp[-1] = new_instance(ts, cls, rcops);
    DECREF(cls);
    NEXT();
  }
  // cls, args... -> cls, self | __init__, self, args...: the shim frame (cls its callable, the
  // new instance its one local) calls __init__, and on its return checks the None and returns
  // the instance in cls's place. Every reference is on the stack, so an error drops them all.
  if (depth + 2 >= static_cast<int>(TS::kMaxDepth)) VM_FAIL("maximum recursion depth exceeded");
  if (sp + 3 > stack_end) VM_FAIL("value stack overflow");
  Obj** shim_fast = sp - in.arg;
  std::memmove(shim_fast + 3, shim_fast, in.arg * sizeof(Obj*));
  shim_fast[0] = new_instance(ts, cls, rcops);
  shim_fast[1] = init;
  shim_fast[2] = shim_fast[0];
  INCREF(init);
  INCREF(shim_fast[0]);
  sp += 3;
  frames[depth++] = Frame{ip, fast, consts, fn};
  fn = ts.rt.init_shim();
  fast = shim_fast;
  consts = fn->consts.data();
  ip = fn->spec->code.data();
  nargs = in.arg + 1;  // self first
  goto call_function;
}
op_EXIT_INIT_CHECK: {  // the shim frame: __init__'s result, which must be None, is dropped
  Obj* r = *--sp;
  const bool none = r->type == Type::None;
  DECREF(r);
  if (!none) VM_FAIL("__init__() should return None");
  NEXT();
}
call_function: {  // callable, nargs arguments -> a frame of the callable's function
  const FunctionData<P>* callee = sp[-static_cast<int>(nargs) - 1]->func;
  const CodeSpec& spec = *callee->spec;
  if (nargs != spec.nargs) VM_FAIL("wrong number of arguments");
  if (depth + 1 >= static_cast<int>(TS::kMaxDepth)) VM_FAIL("maximum recursion depth exceeded");
  if (sp - nargs + spec.nlocals + spec.stacksize > stack_end) VM_FAIL("value stack overflow");
  frames[depth++] = Frame{ip, fast, consts, fn};
  fn = callee;
  fast = sp - nargs;  // the arguments become the first locals where they lie
  for (size_t i = nargs; i < spec.nlocals; ++i) fast[i] = nullptr;
  sp = fast + spec.nlocals;
  ip = spec.code.data();
  consts = fn->consts.data();
  CHECK_BREAKER();
  NEXT();
}
op_RETURN_VALUE: {
  Obj* r = *--sp;
  for (size_t i = 0; i < fn->spec->nlocals; ++i) XDECREF(fast[i]);
  Obj* callable = fast[-1];
  sp = fast - 1;
  DECREF(callable);
  if (depth == 0) {
    result.ok = true;
    result.type = r->type;
    // A float answer is its 64 bits, as run_tasks.py gives CPython's: equal to the last bit.
    result.value = r->type == Type::Tuple  ? r->tuple.size
                   : r->type == Type::List ? r->list.size
                   : r->type == Type::Dict ? r->dict.size
                   : r->type == Type::Int  ? r->ival
                   : r->type == Type::Float ? std::bit_cast<int64_t>(r->fval)
                                            : 0;
    DECREF(r);
    drop_local_dicts(ts, rcops);
    ts.bytecodes += nbc;
    ts.refcount_ops += rcops;
    if constexpr (TS::kQueues)
      if (ts.queue.pending.load(std::memory_order_relaxed)) merge_queue(ts);
    return result;
  }
  *sp++ = r;
  const Frame& f = frames[--depth];
  ip = f.ip;
  fast = f.fast;
  consts = f.consts;
  fn = f.fn;
  NEXT();
}

error:
  // Every slot below sp holds a reference or an unbound local (nullptr): drop them all.
  while (sp > stack_base) XDECREF(*--sp);
  drop_local_dicts(ts, rcops);
  result.ok = false;
  result.error = err;
  if (!err_detail.empty()) result.error += " '" + err_detail + "'";
  if (fn && fn->spec) result.error += " in " + fn->spec->name;
  ts.bytecodes += nbc;
  ts.refcount_ops += rcops;
  ts.error = result.error;
  return result;

#undef NEXT
#undef INCREF
#undef DECREF
#undef XDECREF
#undef VM_FAIL
#undef CHECK_BREAKER
#undef BINARY_INT
#undef COMPARE
#undef EQUALITY
}

}  // namespace gillab
