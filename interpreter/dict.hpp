#pragma once
// The model's dict: open addressing over a power-of-two table of (key, value) slots, probed
// linearly and never more than 2/3 full (CPython's USABLE_FRACTION), so a probe always meets an
// empty slot. Keys are ints or strs, the model's objects that hash by value. The subset has no
// `del`, so no slot is ever emptied and no dummy is needed.
//
// These functions know no locks and no counts: the interpreter calls each inside one critical
// section (container_lock.hpp) and moves the references in and out itself.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "object.hpp"

namespace gillab::dict {

inline constexpr uint32_t kMinSize = 8;  // CPython's PyDict_MINSIZE

template <class Obj>
bool hashable(const Obj* k) {
  return k->type == Type::Int || k->type == Type::Str;
}

// Fibonacci hashing of an int; FNV-1a over a str's bytes (the model hashes no other key).
template <class Obj>
uint64_t hash_of(const Obj* k) {
  if (k->type == Type::Int) {
    const uint64_t h = static_cast<uint64_t>(k->ival) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 32);
  }
  uint64_t h = 1469598103934665603ull;
  for (uint32_t i = 0; i < k->str.size; ++i) h = (h ^ static_cast<unsigned char>(k->str.data[i])) * 1099511628211ull;
  return h;
}

template <class Obj>
bool same_key(const Obj* a, const Obj* b) {
  if (a == b) return true;  // interned strs and small ints: the common case
  if (a->type != b->type) return false;
  if (a->type == Type::Int) return a->ival == b->ival;
  return a->str.size == b->str.size && std::memcmp(a->str.data, b->str.data, a->str.size) == 0;
}

// The slot holding key, or the empty one where it would go.
template <class Obj>
uint32_t probe(const Obj* d, const Obj* key) {
  const uint32_t mask = d->dict.cap - 1;
  for (uint32_t i = static_cast<uint32_t>(hash_of(key)) & mask;; i = (i + 1) & mask) {
    const Obj* k = d->dict.slots[2 * i];
    if (!k || same_key(k, key)) return i;
  }
}

// An empty table of cap slots (a power of two, at least kMinSize); nullptr if out of memory.
template <class Obj>
Obj** new_slots(uint32_t cap) {
  return static_cast<Obj**>(std::calloc(2 * static_cast<size_t>(cap), sizeof(Obj*)));
}

// key's value (borrowed), or nullptr.
template <class Obj>
Obj* find(const Obj* d, const Obj* key) {
  const uint32_t i = probe(d, key);
  return d->dict.slots[2 * i] ? d->dict.slots[2 * i + 1] : nullptr;
}

// Doubles the table and re-inserts every entry; false (the dict untouched) if out of memory.
template <class Obj>
bool grow(Obj* d) {
  Obj** old = d->dict.slots;
  const uint32_t old_cap = d->dict.cap;
  Obj** slots = new_slots<Obj>(old_cap * 2);
  if (!slots) return false;
  d->dict.slots = slots;
  d->dict.cap = old_cap * 2;
  for (uint32_t j = 0; j < old_cap; ++j)
    if (old[2 * j]) {
      const uint32_t i = probe(d, old[2 * j]);
      slots[2 * i] = old[2 * j];
      slots[2 * i + 1] = old[2 * j + 1];
    }
  std::free(old);
  return true;
}

// d[key] = value, both references moving in. What the caller must drop afterwards comes back:
// the value replaced and the key not kept (Python keeps the first key), or nullptr for each.
// False (nothing moved) if out of memory.
template <class Obj>
bool store(Obj* d, Obj* key, Obj* value, Obj*& old_value, Obj*& spare_key) {
  uint32_t i = probe(d, key);
  if (d->dict.slots[2 * i]) {
    old_value = d->dict.slots[2 * i + 1];
    spare_key = key;
    d->dict.slots[2 * i + 1] = value;
    return true;
  }
  if ((d->dict.size + 1) * 3 > d->dict.cap * 2) {  // stay at most 2/3 full
    if (!grow(d)) return false;
    i = probe(d, key);
  }
  d->dict.slots[2 * i] = key;
  d->dict.slots[2 * i + 1] = value;
  ++d->dict.size;
  old_value = spare_key = nullptr;
  return true;
}

}  // namespace gillab::dict
