#pragma once
// Sanitizer builds run the same tests on less work: TSan is 5-15x slower.
#include <cstdint>

namespace gillab::test {
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
inline constexpr int64_t kStressScale = 10;
#else
inline constexpr int64_t kStressScale = 1;
#endif
}  // namespace gillab::test
