#pragma once
// Results are written to a temporary file beside the target, flushed, then renamed over it:
// an interrupted run leaves either the old file or the new one, never half of one.
#include <string>
#include <vector>

namespace gillab {

class AtomicWriter {
 public:
  // Stages content for path; nothing is visible until commit().
  void stage(const std::string& path, const std::string& content);
  // Renames every staged file into place. Throws on failure, after removing what it staged.
  void commit();
  ~AtomicWriter();  // removes whatever was staged and not committed

 private:
  std::vector<std::pair<std::string, std::string>> staged_;  // (temp, final)
};

// Creates the directory (and parents) if needed and checks that a file can be made in it.
// Returns an empty string when it can, else why not.
std::string check_writable_dir(const std::string& dir);

}  // namespace gillab
