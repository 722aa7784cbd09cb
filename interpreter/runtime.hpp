#pragma once
// One interpreter instance for one refcount policy: the shared objects every thread sees
// (None, small ints, code constants, functions, globals), the heap they and the temporaries
// live in, and the per-thread state (free list, frame stack, counters) each worker runs with.
#include <atomic>
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "assembler.hpp"
#include "code.hpp"
#include "dict.hpp"
#include "biased_queue.hpp"
#include "object.hpp"
#include "thread_id.hpp"

namespace gillab {

template <class P>
struct FunctionData {
  const CodeSpec* spec;
  std::vector<Object<P>*> consts;
};

// A class's methods by name index (Program::names), nullptr where it has none: LOAD_METHOD's
// lookup is one load, as CPython 3.11's specialised LOAD_METHOD is once it has warmed up.
template <class P>
struct ClassData {
  std::vector<Object<P>*> methods;
  Object<P>* init = nullptr;  // __init__, or nullptr: a call of the class then takes no arguments
  Object<P>* enter = nullptr;  // __enter__ and __exit__, for a with statement
  Object<P>* exit = nullptr;
};

// Bits of the eval breaker, checked on backward jumps and function entry (as in CPython).
enum : uint32_t { kBreakDropRequest = 1u, kBreakAbort = 2u };  // 4: kBreakBiasedMerge (biased_queue.hpp)

// The hooks a thread scheduler (the GIL) places in the eval loop. Called only on the slow path:
// when the eval breaker is set, or, for the pre-3.2 GIL, when the tick countdown runs out.
struct Scheduler {
  virtual ~Scheduler() = default;
  virtual void on_eval_breaker() = 0;
  virtual void on_ticks() = 0;
};

template <class P>
class Runtime {
 public:
  using Obj = Object<P>;
  static constexpr int64_t kSmallMin = -5, kSmallMax = 256;  // CPython's small-int cache
  static constexpr size_t kChunk = 4096;

  // immortal: PEP 683 for None, small ints, constants and functions. deferred: CPython 3.14t's
  // deferred reference counting for functions and module globals: the eval stack's references
  // to them are not counted, and the runtime keeps them alive to the end of the run (it holds a
  // reference to every shared object). In the model every reference the eval loop takes to such
  // an object is a stack reference, so the two differ in which objects they cover.
  //
  // arena_offset: bytes (a multiple of 64) by which every object chunk starts past a cache
  // line, so that a run can draw its heap layout (harness/layout.hpp) instead of inheriting one.
  Runtime(Program program, bool immortal, bool deferred = false, size_t arena_offset = 0)
      : immortal(immortal), deferred(deferred), arena_offset_(arena_offset / kLine * kLine), program_(std::move(program)) {
    validate(program_);
    ensure_thread_id();
    none_ = make_shared_obj(Type::None, 0, Cover::Immortal);
    for (int64_t v = kSmallMin; v <= kSmallMax; ++v) small_[v - kSmallMin] = make_shared_obj(Type::Int, v, Cover::Immortal);
    // Every function's data first: a code constant may name a function defined after it.
    for (const CodeSpec& spec : program_.functions) {
      funcs_.push_back(std::make_unique<FunctionData<P>>());
      funcs_.back()->spec = &spec;
    }
    for (auto& fd : funcs_)
      for (const Const& c : fd->spec->consts) fd->consts.push_back(make_const(c));
    make_names();
    for (const ClassSpec& spec : program_.classes) make_class(spec);
    make_init_shim();
    for (const GlobalInit& g : program_.globals) {
      if (g.kind == GlobalInit::Kind::Function) {
        Obj* f = make_shared_obj(Type::Function, 0, Cover::Both);
        f->func = funcs_.at(static_cast<size_t>(g.value)).get();
        globals.push_back(f);
      } else if (g.kind == GlobalInit::Kind::None) {
        globals.push_back(share(none_));
      } else if (g.kind == GlobalInit::Kind::Builtin) {
        globals.push_back(make_shared_obj(Type::Builtin, g.value, Cover::Both));
      } else if (g.kind == GlobalInit::Kind::List) {
        globals.push_back(make_shared_list(g.items));
      } else if (g.kind == GlobalInit::Kind::Dict) {
        globals.push_back(make_shared_dict(g.items, g.value));
      } else if (g.kind == GlobalInit::Kind::ThreadLocal) {
        // Module state, but neither PEP 683 nor 3.14t's deferral covers a _thread._local: counted.
        globals.push_back(make_shared_obj(Type::ThreadLocal, 0, Cover::None));
      } else if (g.kind == GlobalInit::Kind::Class) {
        globals.push_back(share(classes_.at(static_cast<size_t>(g.value))));
      } else if (g.kind == GlobalInit::Kind::Module) {
        globals.push_back(make_shared_obj(Type::Module, g.value, Cover::Both));  // a global, as builtins are
      } else {
        // A global is an object of its own, never the constant's: module state is shared
        // but, unlike constants, not immortalised by PEP 683; 3.14t defers it.
        globals.push_back(make_shared_obj(Type::Int, g.value, Cover::Deferred));
      }
    }
    snapshot_counts();
  }

  ~Runtime() {
    for (auto& chunk : chunks_) {
      Obj* objs = objects_of(chunk.get());
      for (size_t i = 0; i < kChunk; ++i) {
        if (objs[i].type == Type::Tuple) std::free(objs[i].tuple.items);
        if (objs[i].type == Type::List) std::free(objs[i].list.items);
        if (objs[i].type == Type::Str) std::free(objs[i].str.data);
        if (objs[i].type == Type::Dict) std::free(objs[i].dict.slots);
      }
    }
  }

  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  const Program& program() const { return program_; }
  Obj* none() const { return none_; }
  // By a name's index (Program::names): the interned str of it; the list method of that name,
  // or nullptr; module m's attribute of that name (math's cos, or a global of the file's own
  // module), or nullptr.
  Obj* name(uint16_t n) const { return names_[n].str; }
  // The frame a class call runs __init__ from (CPython 3.13's _Py_InitCleanup): its one local
  // the new instance; when __init__ returns into it, EXIT_INIT_CHECK drops the None and the
  // instance is returned, so no other frame or return pays for class calls.
  const FunctionData<P>* init_shim() const { return &init_shim_; }
  Obj* list_method(uint16_t n) const { return names_[n].list_method; }
  Obj* module_attribute(const Obj* m, uint16_t n) const {
    if (m->ival == kMathModule) return names_[n].math_attr;
    return names_[n].global < 0 ? nullptr : globals[static_cast<size_t>(names_[n].global)];
  }
  Obj* small_int(int64_t v) const { return small_[v - kSmallMin]; }
  static bool is_small(int64_t v) {
    return static_cast<uint64_t>(v - kSmallMin) <= static_cast<uint64_t>(kSmallMax - kSmallMin);
  }
  Obj* global(const std::string& name) const {
    int i = program_.global_index(name);
    if (i < 0) throw std::invalid_argument("no global named " + name);
    return globals[static_cast<size_t>(i)];
  }

  // A linked list of kChunk fresh objects. The heap is the runtime's, so an object freed by
  // another thread than its allocator's (biased counting allows it) stays valid memory.
  // Invariant: a chunk starts on a cache line (plus arena_offset, a multiple of a line), so a
  // 32-byte object (plain, atomic, cas, race) never straddles two lines; malloc's 16-byte
  // alignment of a 128 KiB chunk (mmap'd, page + 16) put every other one across a boundary.
  // Biased and spinlock objects are 40 bytes and the mutex's 72: some straddle, as they would
  // in any allocator that does not pad them (CPython 3.13t packs its header into 32).
  Obj* new_chunk() {
    std::unique_ptr<std::byte[], Aligned> chunk(
        static_cast<std::byte*>(::operator new(arena_offset_ + kChunk * sizeof(Obj), std::align_val_t{kLine})));
    Obj* objs = new (chunk.get() + arena_offset_) Obj[kChunk];
    for (size_t i = 0; i < kChunk; ++i) {
      objs[i].type = Type::None;
      objs[i].next_free = i + 1 < kChunk ? &objs[i + 1] : nullptr;
    }
    std::lock_guard g(heap_mu_);
    chunks_.push_back(std::move(chunk));
    return objs;
  }
  static constexpr size_t kLine = 64;

  // The shared objects, and how far their counts moved during a run: a run adds and drops as
  // many references as it takes, so any drift is a lost (or duplicated) update.
  const std::vector<Obj*>& shared_objects() const { return shared_; }
  void snapshot_counts() {
    expected_.clear();
    for (Obj* o : shared_) expected_.push_back(P::count(o->rc));
  }
  int64_t count_drift() const {
    int64_t drift = 0;
    for (size_t i = 0; i < shared_.size(); ++i) {
      int64_t d = P::count(shared_[i]->rc) - expected_[i];
      drift += d < 0 ? -d : d;
    }
    return drift;
  }

  const bool immortal, deferred;
  bool has_uncounted() const { return immortal || deferred; }
  std::atomic<uint32_t> eval_breaker{0};
  std::vector<Obj*> globals;

 private:
  Obj* share(Obj* o) {
    P::inc(o->rc);
    return o;
  }
  Obj* shared_int(int64_t v) {
    return is_small(v) ? share(small_int(v)) : make_shared_obj(Type::Int, v, Cover::Immortal);
  }
  // A code constant; a tuple holds a reference to each item. Constants are immortal where the
  // runtime has immortal objects (3.13t immortalises code constants too).
  Obj* make_const(const Const& c) {
    if (c.kind == Const::Kind::None) return share(none_);
    if (c.kind == Const::Kind::Int) return shared_int(c.value);
    if (c.kind == Const::Kind::Str) return make_shared_str(c.text);
    if (c.kind == Const::Kind::Float) {
      Obj* f = make_shared_obj(Type::Float, 0, Cover::Immortal);
      f->fval = std::bit_cast<double>(c.value);
      return f;
    }
    if (c.kind == Const::Kind::Code) {
      Obj* code = make_shared_obj(Type::Code, 0, Cover::Immortal);
      code->func = funcs_.at(static_cast<size_t>(c.value)).get();
      return code;
    }
    Obj* t = make_shared_obj(Type::Tuple, 0, Cover::Immortal);
    t->tuple.size = static_cast<uint32_t>(c.items.size());
    t->tuple.items = static_cast<Obj**>(std::malloc(std::max<size_t>(1, c.items.size()) * sizeof(Obj*)));
    if (!t->tuple.items) throw std::bad_alloc();
    for (size_t i = 0; i < c.items.size(); ++i) t->tuple.items[i] = shared_int(c.items[i]);
    return t;
  }
  Obj* make_shared_str(const std::string& text) {
    Obj* s = make_shared_obj(Type::Str, 0, Cover::Immortal);
    s->str.size = static_cast<uint32_t>(text.size());
    s->str.data = static_cast<char*>(std::malloc(std::max<size_t>(1, text.size())));
    if (!s->str.data) throw std::bad_alloc();
    std::memcpy(s->str.data, text.data(), text.size());
    return s;
  }
  // A module-level list: shared by every thread, its items shared ints. Module state, so counted
  // as module globals are (3.14t defers globals' references, PEP 683 does not immortalise them).
  Obj* make_shared_list(const std::vector<int64_t>& items) {
    Obj* l = make_shared_obj(Type::List, 0, Cover::Deferred);
    l->list.size = static_cast<uint32_t>(items.size());
    l->list.cap = static_cast<uint32_t>(std::max<size_t>(4, items.size()));
    l->list.items = static_cast<Obj**>(std::malloc(l->list.cap * sizeof(Obj*)));
    if (!l->list.items) throw std::bad_alloc();
    for (size_t i = 0; i < items.size(); ++i) {
      l->list.items[i] = held_int(items[i]);
    }
    return l;
  }
  // A shared int with a module-level container's own reference beside the runtime's (a store
  // that replaces it drops that one): a small int's share() is it, a new int gets one more.
  Obj* held_int(int64_t v) {
    Obj* o = shared_int(v);
    if (!is_small(v)) P::inc(o->rc);
    return o;
  }
  // A module-level dict.fromkeys(range(n), v): shared as a module-level list is, its keys and
  // values shared ints, each with the dict's own reference beside the runtime's.
  Obj* make_shared_dict(const std::vector<int64_t>& keys, int64_t value) {
    Obj* d = make_shared_obj(Type::Dict, 0, Cover::Deferred);
    d->dict.size = 0;
    d->dict.cap = dict::kMinSize;
    while (keys.size() * 3 > d->dict.cap * 2) d->dict.cap *= 2;
    d->dict.slots = dict::new_slots<Obj>(d->dict.cap);
    if (!d->dict.slots) throw std::bad_alloc();
    for (int64_t k : keys) {
      Obj *old = nullptr, *spare = nullptr;
      dict::store(d, held_int(k), held_int(value), old, spare);
      if (old || spare) throw std::invalid_argument("a module-level dict with a key given twice");
    }
    return d;
  }
  // The names' interned strs and what each names natively. The list methods and math.cos are
  // one shared object each, counted as builtins are.
  void make_names() {
    Obj* methods[kMethodCount];
    for (int m = 0; m < kMethodCount; ++m) methods[m] = make_shared_obj(Type::Method, m, Cover::Both);
    Obj* cos = make_shared_obj(Type::Builtin, kBuiltinCos, Cover::Both);
    for (const std::string& n : program_.names) {
      Name entry{make_shared_str(n), nullptr, n == kBuiltinNames[kBuiltinCos] ? cos : nullptr, program_.global_index(n)};
      for (int m = 0; m < kMethodCount; ++m)
        if (n == kMethodNames[m]) entry.list_method = methods[m];
      names_.push_back(entry);
    }
  }
  // A class: shared, counted as functions are (3.14t counts a heap type's references per thread,
  // which the model's deferred objects stand for; PEP 683 does not immortalise heap types).
  void make_class(const ClassSpec& spec) {
    auto data = std::make_unique<ClassData<P>>();
    data->methods.assign(program_.names.size(), nullptr);
    for (const auto& [name, fn] : spec.methods) {
      Obj* f = make_shared_obj(Type::Function, 0, Cover::Both);
      f->func = funcs_.at(static_cast<size_t>(fn)).get();
      data->methods.at(name) = f;
      const std::string& n = program_.names.at(name);
      if (n == "__init__") data->init = f;
      if (n == "__enter__") data->enter = f;
      if (n == "__exit__") data->exit = f;
    }
    Obj* c = make_shared_obj(Type::Class, 0, Cover::Both);
    c->cls = data.get();
    class_data_.push_back(std::move(data));
    classes_.push_back(c);
  }
  void make_init_shim() {
    init_shim_spec_.name = "a class call";
    init_shim_spec_.nargs = init_shim_spec_.nlocals = 1;
    init_shim_spec_.local_names = {"self"};
    init_shim_spec_.code = {Instr{Op::EXIT_INIT_CHECK, 0, 0}, Instr{Op::LOAD_FAST, 0, 0}, Instr{Op::RETURN_VALUE, 0, 0}};
    init_shim_spec_.lines.assign(init_shim_spec_.code.size(), 0);
    init_shim_spec_.stacksize = 1;  // __init__'s result, then the instance (it starts where __init__'s frame returns)
    init_shim_.spec = &init_shim_spec_;
  }
  // Which mechanism leaves an object uncounted: bit flags, Both = Immortal | Deferred.
  enum Cover : uint8_t { None = 0, Immortal = 1, Deferred = 2, Both = 3 };
  Obj* make_shared_obj(Type t, int64_t v, Cover cover) {
    if (!free_head_) free_head_ = new_chunk();
    Obj* o = free_head_;
    free_head_ = o->next_free;
    P::init(o->rc, 1);  // the runtime's own reference, held until the runtime dies
    o->type = t;
    o->uncounted = (immortal && (cover & Cover::Immortal)) || (deferred && (cover & Cover::Deferred));
    o->shared = true;
    o->mutex.store(0, std::memory_order_relaxed);
    o->ival = v;
    shared_.push_back(o);
    return o;
  }

  struct Aligned {
    void operator()(std::byte* p) const { ::operator delete(p, std::align_val_t{kLine}); }
  };
  Obj* objects_of(std::byte* chunk) const { return std::launder(reinterpret_cast<Obj*>(chunk + arena_offset_)); }

  const size_t arena_offset_;
  Program program_;
  Obj* none_ = nullptr;
  Obj* small_[kSmallMax - kSmallMin + 1] = {};
  struct Name {
    Obj* str;
    Obj* list_method;
    Obj* math_attr;
    int global;  // the global of that name, or -1
  };
  std::vector<Name> names_;
  std::vector<std::unique_ptr<FunctionData<P>>> funcs_;
  std::vector<std::unique_ptr<ClassData<P>>> class_data_;
  CodeSpec init_shim_spec_;
  FunctionData<P> init_shim_{};
  std::vector<Obj*> classes_;
  std::vector<Obj*> shared_;
  std::vector<int64_t> expected_;
  Obj* free_head_ = nullptr;
  std::mutex heap_mu_;
  std::vector<std::unique_ptr<std::byte[], Aligned>> chunks_;
};

template <class P>
struct ThreadState {
  using Obj = Object<P>;
  static constexpr size_t kMaxDepth = 200;

  // Policies that hand objects back to their owners (biased counting) give every thread a queue.
  static constexpr bool kQueues = requires { P::kQueues; };

  // stack_offset: slots by which the eval stack starts into its allocation (a run's drawn
  // layout; 0 by default).
  explicit ThreadState(Runtime<P>& runtime, size_t stack_slots = 1 << 14, size_t stack_offset = 0)
      : rt(runtime), stack_mem(std::make_unique<Obj*[]>(stack_slots + stack_offset)), stack(stack_mem.get() + stack_offset),
        stack_slots(stack_slots) {
    ensure_thread_id();
    if constexpr (kQueues) {
      queue.breaker = &rt.eval_breaker;
      BiasedQueues::instance().enroll(current_thread_id(), &queue);
    }
  }
  ThreadState(const ThreadState&) = delete;
  ThreadState& operator=(const ThreadState&) = delete;
  // Leaves the queue registry; what others queued since the last merge is merged here, and
  // freed through the interpreter that last ran on this thread.
  ~ThreadState() {
    if constexpr (kQueues)
      for (void* f : BiasedQueues::instance().leave(current_thread_id()))
        if (P::merge_queued(*static_cast<typename P::Field*>(f)) && free_object) free_object(*this, static_cast<Obj*>(f));
  }

  [[gnu::always_inline]] Obj* alloc() {
    if (!free_head) [[unlikely]] free_head = rt.new_chunk();
    Obj* o = free_head;
    free_head = o->next_free;
    return o;
  }
  [[gnu::always_inline]] void release(Obj* o) {
    o->type = Type::None;
    o->next_free = free_head;
    free_head = o;
  }

  Runtime<P>& rt;
  Obj* free_head = nullptr;
  std::unique_ptr<Obj*[]> stack_mem;
  Obj** stack;  // into stack_mem
  size_t stack_slots;
  Scheduler* sched = nullptr;
  int64_t tick_interval = 100;  // the pre-3.2 GIL's sys.setcheckinterval
  uint64_t bytecodes = 0;
  uint64_t refcount_ops = 0;
  std::string error;
  BiasedQueue queue;  // used only where kQueues
  // Each threading.local's attributes as this thread sees them: (the local, a dict of its own).
  // Made on the thread's first store, dropped when the entry call returns.
  std::vector<std::pair<const Obj*, Obj*>> local_dicts;
  void (*free_object)(ThreadState&, Obj*) = nullptr;  // set by the interpreter that runs here
};

}  // namespace gillab
