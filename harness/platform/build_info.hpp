#pragma once
// Which build this is: the version, compiler and flags it was built with, and the git commit
// of the source tree, baked in at build time (build_stamp.cmake); and the clock a result set is
// dated by.
#include <string>

namespace gillab {

struct BuildInfo {
  std::string version, compiler, flags, build_type, source_dir;
};
BuildInfo build_info();
// The git commit of the source tree the binary was built from, with "+dirty" when a tracked
// source differed (results/ and plots/out/ do not count); "unknown" outside a git checkout.
std::string git_commit();
std::string git_commit_hash();  // without "+dirty"
bool git_dirty();
std::string utc_now_iso();

}  // namespace gillab
