#pragma once
// A small, nonzero id per thread: the owner tag of biased reference counting (PEP 703's ob_tid).
#include <atomic>
#include <cstdint>

namespace gillab {

// Constant-initialised so that reading it in the hot path is one TLS load, with no
// thread_local init guard; ensure_thread_id() gives it a value before a thread runs code.
inline thread_local uint32_t tl_thread_id = 0;

inline uint32_t ensure_thread_id() {
  static std::atomic<uint32_t> next{1};
  if (tl_thread_id == 0) tl_thread_id = next.fetch_add(1, std::memory_order_relaxed);
  return tl_thread_id;
}

inline uint32_t current_thread_id() { return tl_thread_id; }

}  // namespace gillab
