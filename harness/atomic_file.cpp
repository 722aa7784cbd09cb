#include "atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace gillab {

void AtomicWriter::stage(const std::string& path, const std::string& content) {
  std::filesystem::path p(path);
  std::string name = ".";  // built by append: g++ 12 warns falsely on a chain of + here
  name.append(p.filename().string()).append(".tmp.").append(std::to_string(getpid()));
  std::string tmp = (p.parent_path() / name).string();
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
  staged_.emplace_back(tmp, path);
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
    }
    off += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) throw std::runtime_error("cannot flush " + tmp + ": " + std::strerror(errno));
}

void AtomicWriter::commit() {
  for (auto& [tmp, path] : staged_)
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
  staged_.clear();
}

AtomicWriter::~AtomicWriter() {
  for (auto& [tmp, path] : staged_) std::remove(tmp.c_str());
}

std::string check_writable_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir.empty() ? "." : dir, ec);
  if (ec) return "cannot create directory '" + dir + "': " + ec.message();
  std::string probe = (std::filesystem::path(dir.empty() ? "." : dir) / (".gillab-probe." + std::to_string(getpid()))).string();
  int fd = open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return "cannot write in '" + dir + "': " + std::strerror(errno);
  close(fd);
  std::remove(probe.c_str());
  return "";
}

}  // namespace gillab
