#pragma once
// The object model: one header (refcount field of the policy, type, flags) and a small payload.
// Every object has the same size, so that per-thread free lists serve every allocation.
#include <atomic>
#include <cstdint>
#include <type_traits>

namespace gillab {

// Builtin: range, the one builtin; RangeIter: what range() returns (the model's range is its own
// iterator, so GET_ITER on it does nothing); List: a mutable list under its own lock
// (container_lock.hpp); Method: a list method (LOAD_METHOD's, its ival the method's index);
// Str: a code constant's text, one object per constant (interned, as CPython interns them);
// Code: a nested function's code constant, which MAKE_FUNCTION turns into a fresh Function (both
// point at the runtime's FunctionData); Float: an IEEE double, allocated per result as an int
// beyond the small ones is (CPython's float freelist is the per-thread free list here).
// Module: `import math`, a global whose one attribute (cos) is a Builtin. Dict: a mutable dict of
// int and str keys under its own lock, as a list is (interpreter/dict.hpp). Class: a module-level
// class (its methods in ClassData); Instance: one of its objects, holding a reference to its
// class (as a heap type's instances do in CPython) and, once an attribute is stored, a Dict of
// its attributes keyed by the names' interned strs. ThreadLocal: `threading.local()`, one shared
// object whose attributes are each thread's own (ThreadState::local_dicts). BoundMethod: a
// method bound to its instance, made by a with statement for __exit__ (as CPython binds it).
// MethodCaller: operator.methodcaller(name[, arg]) of a list method, called on a list.
// Int and Float come first: the objects with no payload to free, one compare in decref (eval.hpp).
enum class Type : uint8_t { Int, Float, Tuple, None, Function, Builtin, RangeIter, List, Method, Str, Code, Module, Dict, Class, Instance, ThreadLocal, BoundMethod, MethodCaller };

template <class P>
struct FunctionData;
template <class P>
struct ClassData;

template <class P>
struct Object {
  typename P::Field rc;
  Type type;
  // The eval loop writes no refcount for it: PEP 683's immortal objects, or the objects whose
  // references CPython 3.14t defers (functions and module globals: see Runtime). Only in
  // runtimes built with either; the interpreter's Imm parameter compiles the test in.
  bool uncounted;
  bool shared;    // created by the runtime before workers start: reachable from every thread
  // A list's lock, where the policy locks containers (in the header's padding, as CPython
  // 3.13t's ob_mutex): 0 free, 1 held.
  std::atomic<uint8_t> mutex;
  union {
    int64_t ival;
    double fval;
    struct {
      uint32_t size;
      Object** items;
    } tuple;
    struct {
      uint32_t size, cap;
      Object** items;
    } list;
    struct {
      uint32_t size;
      char* data;  // the runtime's copy, freed with it
    } str;
    struct {
      uint32_t size, cap;  // cap: a power of two, the table's slots
      Object** slots;      // 2 * cap: key, value; an empty slot's key is nullptr
    } dict;
    const FunctionData<P>* func;
    const ClassData<P>* cls;
    struct {
      Object* cls;
      Object* dict;  // nullptr until the first attribute is stored
    } inst;
    struct {
      Object* func;
      Object* self;
    } bound;
    struct {
      Object* arg;     // nullptr for none
      int64_t method;  // kMethodAppend or kMethodPop
    } caller;
    struct {
      int64_t next, stop;
    } range;
    Object* next_free;
  };
};

}  // namespace gillab
