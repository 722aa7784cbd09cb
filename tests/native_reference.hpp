#pragma once
// The shipped workloads' algorithms written natively, for tests only: a third opinion beside the
// model and CPython (which the harness checks every run against), and golden values that pin the
// algorithms so that a change to a workload file shows.
#include <cstdint>
#include <string>

namespace gillab::test {

inline uint64_t mix_native(uint64_t seed, uint64_t nonce) {
  uint64_t h = (seed * 0x9E3779B1 + nonce) & 0xFFFFFFFF;
  for (int r = 0; r < 3; ++r) {
    h ^= h >> 16;
    h = (h * 0x45D9F3B) & 0xFFFFFFFF;
    h ^= h >> 15;
  }
  return h;
}

// workloads/pow.py (and shared, shared_all, handoff: the same answers).
inline int64_t pow_native(int64_t seed, int difficulty, int blocks) {
  const uint64_t mask = (uint64_t{1} << difficulty) - 1;
  uint64_t s = static_cast<uint64_t>(seed);
  for (int b = 0; b < blocks; ++b) {
    uint64_t nonce = 0;
    while ((mix_native(s, nonce) & mask) != 0) ++nonce;
    s = mix_native(s, nonce) >> 1;
  }
  return static_cast<int64_t>(s);
}

// workloads/pyfunction.py and gillab_{module_function,mult_constant,create_pyobject}.py.
inline int64_t loop_native(const std::string& name, int64_t seed, int difficulty, int blocks) {
  uint64_t acc = static_cast<uint64_t>(seed);
  const uint64_t n = static_cast<uint64_t>(blocks) << difficulty;
  for (uint64_t i = 0; i < n; ++i) acc = name == "pyfunction" ? i + 1 : (acc * 0x2545F49 + i) & 0xFFFFFFFF;
  return static_cast<int64_t>(acc);
}

}  // namespace gillab::test
