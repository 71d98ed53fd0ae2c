#include "core/file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

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

}  // namespace tryghed::core
