#include "machine_capacity.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <latch>
#include <thread>
#include <vector>

#include "statistics.hpp"
#include "topology.hpp"

namespace gillab {

namespace {

using Clock = std::chrono::steady_clock;
std::atomic<uint64_t> g_sink{0};  // keeps the kernel's result alive

// A PCG-style mix per iteration: a multiply and a shift, all in registers.
void kernel(uint64_t iterations) {
  uint64_t x = 0x853c49e6748fea9bULL;
  for (uint64_t i = 0; i < iterations; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    x ^= x >> 29;
  }
  g_sink.fetch_add(x, std::memory_order_relaxed);
}

double time_kernel(uint64_t iterations) {
  auto t0 = Clock::now();
  kernel(iterations);
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Wall time until the slowest of n pinned threads finishes `iterations`.
double time_parallel(Topology& topo, PinMode pin, int n, uint64_t iterations) {
  std::latch ready(n + 1), go(1);
  std::vector<std::thread> threads;
  for (int w = 0; w < n; ++w)
    threads.emplace_back([&, w] {
      topo.bind_thread(w, pin);
      ready.count_down();
      go.wait();
      kernel(iterations);
    });
  ready.arrive_and_wait();
  auto t0 = Clock::now();
  go.count_down();
  for (auto& t : threads) t.join();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

Capacity measure_capacity(Topology& topo, PinMode pin, int workers, double target_s, int repetitions) {
  uint64_t iterations = 1 << 20;
  const double probe = time_kernel(iterations);
  iterations = static_cast<uint64_t>(static_cast<double>(iterations) * target_s / std::max(probe, 1e-6));
  Capacity c;
  c.workers = workers;
  c.repetitions = repetitions;
  std::vector<double> t1, tn, ratio;
  for (int r = 0; r < repetitions; ++r) {  // alternating, so drift falls on both
    t1.push_back(time_parallel(topo, pin, 1, iterations));
    tn.push_back(time_parallel(topo, pin, workers, iterations));
    ratio.push_back(workers * t1.back() / tn.back());
  }
  c.t1_s = median_of(t1);
  c.tn_s = median_of(tn);
  c.speedup = median_of(ratio);
  return c;
}

double canary_s() {
  constexpr uint64_t kIterations = 4 << 20;  // about 5 ms at 1 ns an iteration
  return time_kernel(kIterations);
}

}  // namespace gillab
