#pragma once
// The claims, seen from a run: which points of a plan some claim reads, and how precise each
// claim reading the config is expected to come out. Both evaluate the claims that read the
// config over a summary made in memory: of made-up runs before anything runs (the look-ups a
// claim makes name the points it reads, whatever the numbers), of the pilot rounds afterwards.
#include <string>
#include <vector>

#include "config.hpp"
#include "csv_reader.hpp"
#include "plan.hpp"
#include "rounds.hpp"

namespace gillab {

// Per point: some claim that reads `cfg.name` looks it up, or it is an A/A pair, whose median
// sets the noise floor of every claim on the config. All false where no claim reads it, or
// where the claims' points cannot be found: then `why`, when given, says why (else "").
std::vector<bool> claim_points(const Plan& plan, const Config& cfg, std::string* why = nullptr);
// claim_points reads row i of the summary as point i (summaries list points as they first
// appear): "" when that holds, else where it does not.
std::string rows_are_points(const CsvFile& summary, const Plan& plan);

// After the pilot rounds, a line per claim that reads the config: the widest relative
// half-width of its figures now, and expected after `more_rounds` further rounds of the points
// claims read (the interval narrows as one over the root of the rounds), beside the config's
// A/A noise floor, which more rounds do not narrow.
std::vector<std::string> precision_forecast(const Plan& plan, const Config& cfg, const std::vector<Record>& records,
                                            int rounds, int more_rounds);

}  // namespace gillab
