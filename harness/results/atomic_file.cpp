#include "atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gillab {

namespace fs = std::filesystem;

namespace {

void write_all(const std::string& path, const std::string& content) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = errno;
      close(fd);
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(e));
    }
    off += static_cast<size_t>(n);
  }
  const bool synced = fsync(fd) == 0;
  const int e = errno;
  if (close(fd) != 0 || !synced) throw std::runtime_error("cannot flush " + path + ": " + std::strerror(e));
}

void fsync_dir(const std::string& dir) {
  int fd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  fsync(fd);  // best effort: some file systems refuse a directory fsync
  close(fd);
}

// The fault-injection hook: SIGKILL at the named step of a commit.
void fault_point(int step) {
  static const char* at = std::getenv("GILLAB_KILL_AT_COMMIT_STEP");
  if (at && std::atoi(at) == step) raise(SIGKILL);
}

// Applies a journal's lines: "tmp\tfinal" renames (where tmp still exists) and "-\tpath"
// removals. Both are idempotent, so a journal can be applied again after a second kill.
void apply_journal(const std::string& text, int& step) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const std::string a = line.substr(0, tab), b = line.substr(tab + 1);
    std::error_code ec;
    if (a == "-") fs::remove(b, ec);
    else if (fs::exists(a, ec) && std::rename(a.c_str(), b.c_str()) != 0)
      throw std::runtime_error("cannot rename " + a + " to " + b + ": " + std::strerror(errno));
    fault_point(step++);
  }
}

std::string journal_path(const std::string& first_target) {
  fs::path p(first_target);
  std::string name = ".";
  name.append(p.filename().string()).append(".commit");
  return (p.parent_path() / name).string();
}

}  // namespace

void AtomicWriter::stage(const std::string& path, const std::string& content) {
  fs::path p(path);
  std::string name = ".";  // built by append: g++ 12 warns falsely on a chain of + here
  name.append(p.filename().string()).append(".tmp.").append(std::to_string(getpid()));
  std::string tmp = (p.parent_path() / name).string();
  staged_.emplace_back(tmp, path);
  write_all(tmp, content);
}

void AtomicWriter::drop(const std::string& path) { dropped_.push_back(path); }

void AtomicWriter::commit() {
  if (staged_.empty()) return;
  const std::string dir = fs::path(staged_[0].second).parent_path().string();
  std::string journal;
  for (auto& [tmp, path] : staged_) journal.append(tmp).append("\t").append(path).append("\n");
  for (auto& path : dropped_) journal.append("-\t").append(path).append("\n");
  const std::string jpath = journal_path(staged_[0].second), jtmp = jpath + ".tmp";
  fault_point(-1);  // staged, not committed: the old set must survive this
  write_all(jtmp, journal);
  if (std::rename(jtmp.c_str(), jpath.c_str()) != 0) {
    std::remove(jtmp.c_str());
    throw std::runtime_error("cannot commit " + jpath + ": " + std::strerror(errno));
  }
  fsync_dir(dir);
  // Committed: from here on a failure is finished by recover_commits(), not undone.
  staged_.clear();
  dropped_.clear();
  int step = 0;
  fault_point(step++);
  apply_journal(journal, step);
  fsync_dir(dir);
  fault_point(step++);
  std::remove(jpath.c_str());
  fsync_dir(dir);
  fault_point(step++);
}

AtomicWriter::~AtomicWriter() {
  for (auto& [tmp, path] : staged_) std::remove(tmp.c_str());
}

int recover_commits(const std::string& dir) {
  std::error_code ec;
  const fs::path d = dir.empty() ? "." : dir;
  if (!fs::is_directory(d, ec)) return 0;
  std::vector<fs::path> journals, temporaries;
  for (auto& e : fs::directory_iterator(d, ec)) {
    const std::string n = e.path().filename().string();
    if (n.size() > 8 && n[0] == '.' && n.ends_with(".commit")) journals.push_back(e.path());
    else if (n[0] == '.' && (n.find(".tmp.") != std::string::npos || n.ends_with(".commit.tmp"))) temporaries.push_back(e.path());
  }
  int done = 0;
  for (const fs::path& j : journals) {
    std::ifstream in(j);
    std::stringstream s;
    s << in.rdbuf();
    int step = 1000000;  // no fault injection while recovering
    apply_journal(s.str(), step);
    fsync_dir(d.string());
    fs::remove(j, ec);
    ++done;
  }
  // Temporaries of a writer that died before its journal: nothing refers to them.
  for (const fs::path& t : temporaries) {
    const std::string n = t.filename().string();
    const size_t at = n.rfind(".tmp.");
    const long pid = at == std::string::npos ? 0 : std::atol(n.c_str() + at + 5);
    if (pid == getpid() || (pid > 0 && kill(static_cast<pid_t>(pid), 0) == 0)) continue;  // still writing
    if (fs::exists(t, ec)) fs::remove(t, ec);
  }
  if (done) fsync_dir(d.string());
  return done;
}

std::string content_hash(const std::string& content) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : content) h = (h ^ c) * 1099511628211ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string check_writable_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir.empty() ? "." : dir, ec);
  if (ec) return "cannot create directory '" + dir + "': " + ec.message();
  std::string probe = (fs::path(dir.empty() ? "." : dir) / (".gillab-probe." + std::to_string(getpid()))).string();
  int fd = open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return "cannot write in '" + dir + "': " + std::strerror(errno);
  close(fd);
  std::remove(probe.c_str());
  return "";
}

}  // namespace gillab
