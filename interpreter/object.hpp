#pragma once
// The object model: one header (refcount field of the policy, type, flags) and a small payload.
// Every object has the same size, so that per-thread free lists serve every allocation.
#include <cstdint>
#include <type_traits>

namespace gillab {

enum class Type : uint8_t { Int, Tuple, None, Function };

template <class P>
struct FunctionData;

template <class P>
struct Object {
  typename P::Field rc;
  Type type;
  bool immortal;  // PEP 683: refcount writes skipped (only in runtimes built with immortal objects)
  bool shared;    // created by the runtime before workers start: reachable from every thread
  union {
    int64_t ival;
    struct {
      uint32_t size;
      Object** items;
    } tuple;
    const FunctionData<P>* func;
    Object* next_free;
  };
};

}  // namespace gillab
