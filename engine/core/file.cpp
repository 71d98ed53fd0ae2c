#include "core/file.h"

#include <cstdio>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace tryghed::core {

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return NotFound(path + ": no such file");
  }
  if (std::filesystem::is_directory(status)) {
    return InvalidInput(path + ": is a directory, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return InvalidInput(path + ": cannot be read (" + std::strerror(errno) + ")");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return InvalidInput(path + ": read error (" + std::strerror(errno) + ")");
  }
  return buffer.str();
}

namespace {

std::string SysError() { return std::strerror(errno); }

}  // namespace

std::string TempPathBeside(const std::string& path) {
  std::filesystem::path p(path);
  return (p.parent_path() / ("." + p.filename().string() + ".tmp-" + std::to_string(::getpid()))).string();
}

std::string DirectoryOf(const std::string& path) {
  std::string d = std::filesystem::path(path).parent_path().string();
  return d.empty() ? "." : d;
}

Status FsyncPath(const std::string& path, bool directory) {
  const int fd = ::open(path.empty() ? "." : path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return Unavailable("cannot open " + path + " to flush it: " + SysError());
  const int rc = ::fsync(fd);
  const std::string why = rc != 0 ? SysError() : "";
  ::close(fd);
  if (rc != 0) return Unavailable("cannot flush " + path + " to disk: " + why);
  return Status::Ok();
}

Status CommitTempFile(const std::string& tmp, const std::string& path) {
  Status st = FsyncPath(tmp, false);
  if (st.ok() && std::rename(tmp.c_str(), path.c_str()) != 0) {
    st = Unavailable("cannot write " + path + ": rename: " + SysError());
  }
  if (!st.ok()) {
    std::remove(tmp.c_str());
    return st;
  }
  return FsyncPath(DirectoryOf(path), true);
}

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  const std::string tmp = TempPathBeside(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return Unavailable("cannot write " + path + ": " + SysError());
  const bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  const std::string why = ok ? "" : SysError();
  if (std::fclose(f) != 0 || !ok) {
    std::remove(tmp.c_str());
    return Unavailable("cannot write " + path + ": " + (why.empty() ? SysError() : why));
  }
  return CommitTempFile(tmp, path);
}

Result<std::string> WriteTempBeside(const std::string& path, const std::string& content) {
  const std::string tmp = TempPathBeside(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable("cannot write " + path + ": " + SysError());
  const bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  const std::string why = ok ? "" : SysError();
  ::close(fd);
  if (!ok) {
    std::remove(tmp.c_str());
    return Unavailable("cannot write " + path + ": " + why);
  }
  return tmp;
}

}  // namespace tryghed::core
