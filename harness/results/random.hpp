#pragma once
// A small, fully specified generator (splitmix64) with Lemire's bounded draw, so that one seed
// gives one round order and one bootstrap interval on every compiler and standard library
// (std::shuffle and the std:: distributions are implementation-defined).
#include <cstdint>
#include <cstddef>
#include <utility>
#include <vector>

namespace gillab {

struct SplitMix64 {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n): multiply-shift; the bias for n below a million is under 2^-40.
  size_t below(size_t n) { return static_cast<size_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }
};

// Fisher-Yates.
template <typename T>
void shuffle_with(std::vector<T>& v, SplitMix64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

}  // namespace gillab
