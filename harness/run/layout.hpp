#pragma once
// A run's memory layout, drawn per run from a seeded stream, so that where the heap, the
// stacks and the code land is variance across runs rather than one bias fixed for a whole
// invocation (Mytkowicz et al., ASPLOS 2009: the environment's size alone moved cycle counts
// by a third; STABILIZER re-draws layout while a program runs, gillab once per run). Each
// factor is on or off (`layout_factors`), so one can be varied at a time:
//   exec    each run in a freshly exec'd measuring process: ASLR draws stack, heap, mmap
//           and code bases anew (a forked child inherits its parent's)
//   env     that process's environment padded by 0-4095 bytes (moves the main stack)
//   arena   the object chunks start 0-4032 bytes (64-byte steps) past a cache line
//   stacks  the run's frame on the main thread, each worker thread's frame and its eval
//           stack, each 0-4032 bytes (64-byte steps) deeper
// Every offset is a pure function of (seed, factor, worker): the CSV's layout_seed column
// names the layout a run drew, and `layout: fixed` (seed 0) draws none.
#include <alloca.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gillab {

enum LayoutFactor : unsigned { kLayoutExec = 1, kLayoutEnv = 2, kLayoutArena = 4, kLayoutStacks = 8 };
inline constexpr unsigned kAllLayoutFactors = kLayoutExec | kLayoutEnv | kLayoutArena | kLayoutStacks;

struct Layout {
  uint64_t seed = 0;     // 0: fixed, no offset drawn
  unsigned factors = 0;  // LayoutFactor bits

  bool has(LayoutFactor f) const { return seed != 0 && (factors & f) != 0; }
  size_t env_pad() const;                 // bytes of environment padding
  size_t arena_offset() const;            // bytes, a multiple of 64
  size_t main_stack_pad() const;          // bytes, a multiple of 64
  size_t thread_stack_pad(int worker) const;
  size_t eval_stack_offset(int worker) const;  // in stack slots (8 bytes each)
};

// The layout of one run: the config's seed mixed with the point and the layout group (runs of
// one point in one group share a layout; the summary's levels are groups, then runs).
Layout draw_layout(uint64_t config_seed, const std::string& point, int group, unsigned factors);

// "exec,env,arena,stacks" <-> bits; throws std::invalid_argument naming an unknown factor.
unsigned parse_layout_factors(const std::vector<std::string>& names);
std::string layout_factor_names(unsigned factors);

namespace detail {
template <class F>
[[gnu::noinline]] void call_below(F& f) {
  f();
}
}  // namespace detail

// Runs f with its frame `bytes` deeper on this thread's stack: f's locals (a Runtime, a
// ThreadState) move by that much relative to every page and cache set.
template <class F>
[[gnu::noinline]] void with_stack_pad(size_t bytes, F&& f) {
  void* pad = alloca(bytes + 16);
  asm volatile("" : : "r"(pad) : "memory");  // the pad is used: the compiler keeps it
  detail::call_below(f);
}

}  // namespace gillab
