#pragma once
// Test helpers for checking rendered output: counting in HTML, and real tools: poppler-utils
// (pdfinfo, pdftoppm, pdftotext) and zbar-tools (zbarimg, which decodes QR
// codes from images). Used by tests/report and the invite CLI tests.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace tryghed::report::render_tools {

// How often `what` occurs in `text` (non-overlapping).
inline std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) ++n;
  return n;
}

// The output of a shell command; `status` gets its exit status.
inline std::string Shell(const std::string& command, int* status = nullptr) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  const int rc = ::pclose(pipe);
  if (status) *status = rc;
  return out;
}

inline bool OnPath(const std::string& tool) {
  int status = 0;
  Shell("command -v " + tool + " >/dev/null 2>&1", &status);
  return status == 0;
}

// The share of pixels of a binary PPM (P6, maxval 255) that are not white.
inline double InkShare(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string magic;
  int width = 0, height = 0, maxval = 0;
  in >> magic >> width >> height >> maxval;
  in.get();
  if (magic != "P6" || width <= 0 || height <= 0 || maxval != 255) return -1;
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 3);
  in.read(reinterpret_cast<char*>(pixels.data()), static_cast<std::streamsize>(pixels.size()));
  std::size_t ink = 0;
  for (std::size_t i = 0; i + 2 < pixels.size(); i += 3) {
    if (pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200) ++ink;
  }
  return static_cast<double>(ink) / (static_cast<double>(width) * height);
}

// The number of pages `pdfinfo` reports for `pdf`, or -1.
inline int PdfPages(const std::string& pdf, std::string* info_out = nullptr) {
  const std::string info = Shell("pdfinfo '" + pdf + "' 2>&1");
  if (info_out) *info_out = info;
  const std::size_t at = info.find("Pages:");
  return at == std::string::npos ? -1 : std::atoi(info.c_str() + at + 6);
}

// Every QR code zbarimg finds in the image `png`, one text per code (its
// --raw output split at line ends); empty when it finds none.
inline std::vector<std::string> DecodeQr(const std::string& png) {
  const std::string out = Shell("zbarimg --quiet --raw -Sdisable -Sqrcode.enable '" + png + "' 2>/dev/null");
  std::vector<std::string> codes;
  std::size_t pos = 0;
  while (pos < out.size()) {
    std::size_t end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    if (end > pos) codes.push_back(out.substr(pos, end - pos));
    pos = end + 1;
  }
  return codes;
}

// Page `page` (1-based) of `pdf` as the PNG file `stem`.png at `dpi`; the
// PNG's path, or empty when pdftoppm failed.
inline std::string PdfPagePng(const std::string& pdf, int page, const std::string& stem, int dpi = 150) {
  int status = 0;
  const std::string p = std::to_string(page);
  Shell("pdftoppm -png -singlefile -r " + std::to_string(dpi) + " -f " + p + " -l " + p + " '" + pdf + "' '" + stem +
            "'",
        &status);
  return status == 0 ? stem + ".png" : "";
}

}  // namespace tryghed::report::render_tools
