#pragma once
// `gillab reproduce A B` (make reproduce): the same configs run twice as independent
// invocations, the same tasks with other layouts (layout_seed). For every figure a claim reads
// in A (a point's ratio or time), whether B's median lies inside A's 95% interval, and the
// coverage over all of them. Two honest 95% intervals of equal width give about 83% (the
// difference of two medians has sqrt(2) times one's spread): far below that, the intervals
// miss a level of variance that another invocation shows.
#include <string>
#include <vector>

namespace gillab {

// The table as Markdown, ending with the coverage line; writes nothing.
std::string reproduce_report(const std::string& a_dir, const std::string& b_dir);

// `gillab code-layout DIR...` (make code-layout): the same configs measured by builds that
// place the code differently. For every ratio point, each build's median and interval, and how
// far the medians lie apart; the last line: the largest move and how many points move by more
// than 1% with intervals that do not overlap.
std::string code_layout_report(const std::vector<std::string>& dirs);

}  // namespace gillab
