#include "report/pdf.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace tryghed::report {

namespace {

namespace fs = std::filesystem;

bool Executable(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// file:///absolute/path with everything but unreserved characters and '/'
// percent-encoded.
std::string FileUrl(const std::string& path) {
  std::error_code ec;
  const std::string absolute = fs::absolute(path, ec).lexically_normal().string();
  std::string url = "file://";
  for (unsigned char c : absolute) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      url += static_cast<char>(c);
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      url += buffer;
    }
  }
  return url;
}

// The last non-empty line of a file, for error messages.
std::string LastLine(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

// A new folder (mode 0700) under the system's temporary directory whose
// name starts with `prefix`; the reason from the system when it fails.
core::Result<std::string> MakeTempFolder(const std::string& prefix) {
  std::error_code ec;
  std::string base = (fs::temp_directory_path(ec) / (prefix + "-XXXXXX")).string();
  std::vector<char> templ(base.begin(), base.end());
  templ.push_back('\0');
  if (::mkdtemp(templ.data()) == nullptr) return core::Unavailable(std::strerror(errno));
  return std::string(templ.data());
}

// Runs Chromium headless with `extra` arguments and then `url`; ok when it
// exits 0 and `output` exists and is not empty.
core::Status RunChromium(const std::vector<std::string>& extra, const std::string& url, const std::string& output,
                         const ChromiumOptions& options) {
  std::string exe = options.executable;
  if (exe.empty()) {
    const std::optional<std::string> found = FindChromium();
    if (!found) {
      return core::Unavailable(
          "chromium is not installed: PDF rendering needs Debian's chromium package (apt-get install chromium) "
          "or $TRYGHED_CHROMIUM naming a Chromium executable");
    }
    exe = *found;
  }
  if (!Executable(exe)) return core::Unavailable("chromium: " + exe + " is not an executable file");

  std::error_code ec;
  core::Result<std::string> folder = MakeTempFolder("tryghed-chromium");
  if (!folder.ok()) {
    return core::Unavailable("chromium: cannot make a temporary profile folder: " + folder.status().message());
  }
  const std::string profile = *folder;
  const std::string log = profile + "/chromium.log";
  fs::remove(output, ec);

  std::vector<std::string> args = {exe,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-dev-shm-usage",
                                   "--no-first-run",
                                   "--no-default-browser-check",
                                   "--disable-extensions",
                                   "--user-data-dir=" + profile};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(url);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) {
    fs::remove_all(profile, ec);
    return core::Unavailable("chromium: cannot start a process: " + std::string(std::strerror(errno)));
  }
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
    }
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::setpgid(0, 0);  // its own process group, so a timeout stops its helpers too
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  int status = 0;
  bool timed_out = false;
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + std::chrono::seconds(options.timeout_seconds);
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() > deadline) {
      timed_out = true;
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    if (options.waiting) {
      options.waiting(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string last = LastLine(log);
  fs::remove_all(profile, ec);
  if (timed_out) {
    return core::Internal("chromium: no result after " + std::to_string(options.timeout_seconds) + " s; stopped");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return core::Internal("chromium (" + exe + ") failed" +
                          (WIFEXITED(status) ? " with exit code " + std::to_string(WEXITSTATUS(status)) : "") +
                          (last.empty() ? "" : ": " + last));
  }
  if (!fs::exists(output, ec) || fs::file_size(output, ec) == 0) {
    return core::Internal("chromium (" + exe + ") wrote no " + output + (last.empty() ? "" : ": " + last));
  }
  return core::Status::Ok();
}

}  // namespace

std::optional<std::string> FindChromium() {
  if (const char* env = std::getenv("TRYGHED_CHROMIUM"); env && *env) return std::string(env);
  const char* path = std::getenv("PATH");
  if (!path) return std::nullopt;
  for (const char* name : {"chromium", "chromium-browser"}) {
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      if (dir.empty()) continue;
      const std::string candidate = dir + "/" + name;
      if (Executable(candidate)) return candidate;
    }
  }
  return std::nullopt;
}

core::Status PrintToPdf(const std::string& html_path, const std::string& pdf_path, const ChromiumOptions& options) {
  return RunChromium({"--no-pdf-header-footer", "--print-to-pdf=" + pdf_path}, FileUrl(html_path), pdf_path, options);
}

core::Result<std::string> HtmlToPdf(const std::string& html, const ChromiumOptions& options) {
  core::Result<std::string> folder = MakeTempFolder("tryghed-pdf");
  if (!folder.ok()) return core::Unavailable("cannot make a temporary folder for the PDF: " + folder.status().message());
  const std::string html_path = *folder + "/page.html", pdf_path = *folder + "/page.pdf";
  core::Result<std::string> pdf = [&]() -> core::Result<std::string> {
    {
      const int fd = ::open(html_path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
      if (fd < 0) return core::Unavailable("cannot write " + html_path + ": " + std::strerror(errno));
      std::size_t done = 0;
      while (done < html.size()) {
        const ssize_t n = ::write(fd, html.data() + done, html.size() - done);
        if (n <= 0) {
          ::close(fd);
          return core::Unavailable("cannot write " + html_path + ": " + std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
      }
      ::close(fd);
    }
    TRYGHED_RETURN_IF_ERROR(PrintToPdf(html_path, pdf_path, options));
    std::ifstream in(pdf_path, std::ios::binary);
    if (!in.is_open()) return core::Internal("cannot read back " + pdf_path);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }();
  std::error_code ec;
  fs::remove_all(*folder, ec);
  return pdf;
}

core::Status Screenshot(const std::string& html_path, const std::string& png_path, int width, int height,
                        const ChromiumOptions& options) {
  return RunChromium({"--hide-scrollbars", "--window-size=" + std::to_string(width) + "," + std::to_string(height),
                      "--screenshot=" + png_path},
                     FileUrl(html_path), png_path, options);
}

}  // namespace tryghed::report
