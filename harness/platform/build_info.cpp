#include "build_info.hpp"

#include <ctime>

#include "build_stamp.hpp"

#ifndef GILLAB_VERSION
#define GILLAB_VERSION "unknown"
#endif
#ifndef GILLAB_CXX_FLAGS
#define GILLAB_CXX_FLAGS ""
#endif
#ifndef GILLAB_BUILD_TYPE
#define GILLAB_BUILD_TYPE ""
#endif
#ifndef GILLAB_SOURCE_DIR
#define GILLAB_SOURCE_DIR "."
#endif

namespace gillab {

BuildInfo build_info() {
  return BuildInfo{GILLAB_VERSION, std::string("g++ ") + __VERSION__, GILLAB_CXX_FLAGS, GILLAB_BUILD_TYPE,
                   GILLAB_SOURCE_DIR};
}

std::string git_commit_hash() { return GILLAB_GIT_COMMIT; }
bool git_dirty() { return GILLAB_GIT_DIRTY; }
std::string git_commit() { return git_commit_hash() + (git_dirty() ? "+dirty" : ""); }

std::string utc_now_iso() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

}  // namespace gillab
