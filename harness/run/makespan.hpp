#pragma once
// The ideal the work allows. Tasks are unequal (pow's proofs of work vary in length), and every
// runner hands them out from one queue in index order: a free worker takes the next. On W
// workers that order finishes no sooner than greedy list scheduling of the task times in that
// order, so the speedup it allows is sum(t) / makespan, below W whenever the tasks do not
// divide evenly (pow seeds 1-4 on 2 workers: about 1.75). A scaling claim is judged against the
// lower of this and the machine's measured capacity.
#include <vector>

namespace gillab {

// Greedy list scheduling in the given order: each task to the worker that frees first.
double list_makespan(const std::vector<double>& task_s, int workers);

// sum(task_s) / list_makespan; NaN without task times.
double ideal_speedup(const std::vector<double>& task_s, int workers);

}  // namespace gillab
