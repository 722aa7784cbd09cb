#include "makespan.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <queue>

namespace gillab {

double list_makespan(const std::vector<double>& task_s, int workers) {
  std::priority_queue<double, std::vector<double>, std::greater<>> free_at;  // each worker's finish time
  for (int w = 0; w < std::max(1, workers); ++w) free_at.push(0);
  double makespan = 0;
  for (double t : task_s) {
    const double start = free_at.top();
    free_at.pop();
    free_at.push(start + t);
    makespan = std::max(makespan, start + t);
  }
  return makespan;
}

double ideal_speedup(const std::vector<double>& task_s, int workers) {
  if (task_s.empty()) return NAN;
  const double total = std::accumulate(task_s.begin(), task_s.end(), 0.0), span = list_makespan(task_s, workers);
  return span > 0 ? total / span : NAN;
}

}  // namespace gillab
