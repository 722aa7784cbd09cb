#include "layout.hpp"

#include <stdexcept>

#include "bootstrap.hpp"
#include "random.hpp"

namespace gillab {

namespace {

constexpr size_t kSpan = 4096;  // one page: what the low address bits and 4 KiB aliasing see

size_t draw(const Layout& l, LayoutFactor f, const std::string& what, size_t step) {
  if (!l.has(f)) return 0;
  SplitMix64 rng{stream_seed(l.seed, what)};
  return rng.below(kSpan / step) * step;
}

const char* const kNames[] = {"exec", "env", "arena", "stacks"};

}  // namespace

size_t Layout::env_pad() const { return draw(*this, kLayoutEnv, "env", 1); }
size_t Layout::arena_offset() const { return draw(*this, kLayoutArena, "arena", 64); }
size_t Layout::main_stack_pad() const { return draw(*this, kLayoutStacks, "main", 64); }
size_t Layout::thread_stack_pad(int worker) const {
  return draw(*this, kLayoutStacks, std::string("thread").append(std::to_string(worker)), 64);
}
size_t Layout::eval_stack_offset(int worker) const {
  return draw(*this, kLayoutStacks, std::string("eval").append(std::to_string(worker)), 64) / sizeof(void*);
}

Layout draw_layout(uint64_t config_seed, const std::string& point, int group, unsigned factors) {
  Layout l;
  l.factors = factors;
  l.seed = factors ? stream_seed(config_seed, std::string(point).append("/layout/").append(std::to_string(group))) | 1 : 0;
  return l;
}

unsigned parse_layout_factors(const std::vector<std::string>& names) {
  unsigned bits = 0;
  for (const std::string& n : names) {
    unsigned b = 0;
    for (unsigned i = 0; i < 4; ++i)
      if (n == kNames[i]) b = 1u << i;
    if (!b) throw std::invalid_argument(std::string("unknown layout factor '").append(n).append("' (known: exec, env, arena, stacks)"));
    bits |= b;
  }
  return bits;
}

std::string layout_factor_names(unsigned factors) {
  std::string s;
  for (unsigned i = 0; i < 4; ++i)
    if (factors & (1u << i)) s.append(s.empty() ? "" : ",").append(kNames[i]);
  return s;
}

}  // namespace gillab
