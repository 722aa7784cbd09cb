#pragma once
// A run's files are committed as one set, so that a kill at any instant leaves the old set or
// the new one, never a mix. The protocol:
//
//   1. stage: each file is written to a temporary beside its target and fsynced;
//   2. the journal `.<first target>.commit` lists every (temporary, target) pair and every file
//      the new set no longer has; it is itself written to a temporary, fsynced and renamed into
//      place, then the directory is fsynced: from this instant the new set is committed;
//   3. the temporaries are renamed over their targets, stale files removed, the directory
//      fsynced, and the journal removed.
//
// A kill before step 2 completes leaves the old set and some temporaries (removed by the next
// recovery); a kill after it leaves a journal that recover_commits() rolls forward. Every gillab
// command that reads or writes a results directory recovers it first, so what it reads is
// always one whole set. GILLAB_KILL_AT_COMMIT_STEP=k (tests only) sends the process SIGKILL at
// step k of the commit: -1 before the journal, 0 after it, then one step per rename or removal, then after
// the directory's fsync, then after the journal's removal.
#include <string>
#include <vector>

namespace gillab {

class AtomicWriter {
 public:
  // Stages content for path; nothing is visible until commit().
  void stage(const std::string& path, const std::string& content);
  // The committed set no longer has this file: it is removed at commit, if it exists.
  void drop(const std::string& path);
  // Commits every staged file (all in one directory) as one set. Throws on failure before
  // the journal is in place, having removed what it staged.
  void commit();
  ~AtomicWriter();  // removes whatever was staged and not committed

 private:
  std::vector<std::pair<std::string, std::string>> staged_;  // (temp, final)
  std::vector<std::string> dropped_;
};

// Rolls forward any commit that a kill interrupted in `dir`, and removes temporaries that no
// journal names and whose writer is gone. Returns how many commits it completed.
int recover_commits(const std::string& dir);

// FNV-1a, 64 bits, as 16 hex digits: the manifest names each file of its set by it.
std::string content_hash(const std::string& content);

// Creates the directory (and parents) if needed and checks that a file can be made in it.
// Returns an empty string when it can, else why not.
std::string check_writable_dir(const std::string& dir);

}  // namespace gillab
