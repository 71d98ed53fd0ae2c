// Rendering checks with a real renderer: headless Chromium prints the demo
// report to PDF and takes a screenshot; poppler's pdftoppm and pdfinfo check
// the pages. Artifacts stay in report-artifacts/ under the test's build
// folder. Skipped (with the reason) only when chromium is not installed; CI
// installs it (scripts/install-deps --test).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/file.h"
#include "report/pdf.h"
#include "report/report.h"
#include "render_tools.h"

namespace tryghed::report {
namespace {

namespace fs = std::filesystem;

using render_tools::InkShare;
using render_tools::OnPath;
using render_tools::Shell;

class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!FindChromium()) {
      GTEST_SKIP() << "chromium is not installed (apt-get install chromium poppler-utils, or set "
                      "$TRYGHED_CHROMIUM): the rendering test needs a real browser";
    }
    if (!OnPath("pdftoppm") || !OnPath("pdfinfo")) {
      GTEST_SKIP() << "poppler-utils (pdftoppm, pdfinfo) is not installed: apt-get install poppler-utils";
    }
    dir_ = fs::absolute("report-artifacts");
    fs::create_directories(dir_);
    core::Result<std::string> json = core::ReadFile(std::string(TRYGHED_TEST_DATA) + "/report/demo-result.json");
    ASSERT_TRUE(json.ok()) << json.status().ToString();
    core::Result<std::string> html = RenderReportFromJson(*json, "demo-result.json", {});
    ASSERT_TRUE(html.ok()) << html.status().ToString();
    html_ = (dir_ / "demo-report.html").string();
    std::ofstream(html_, std::ios::binary) << *html;
  }

  fs::path dir_;
  std::string html_;
};

TEST_F(RenderTest, PdfHasSeveralNonEmptyA4Pages) {
  const std::string pdf = (dir_ / "demo-report.pdf").string();
  const core::Status s = PrintToPdf(html_, pdf);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::string info = Shell("pdfinfo '" + pdf + "'");
  const std::size_t at = info.find("Pages:");
  ASSERT_NE(at, std::string::npos) << info;
  const int pages = std::atoi(info.c_str() + at + 6);
  EXPECT_GT(pages, 1);
  // A4 is 595 × 842 points.
  EXPECT_NE(info.find("(A4)"), std::string::npos) << info;
  // Every page rasterised (PPM at 20 dpi) has ink on it.
  for (const fs::directory_entry& e : fs::directory_iterator(dir_)) {
    if (e.path().filename().string().rfind("page-", 0) == 0) fs::remove(e.path());
  }
  int status = 0;
  Shell("pdftoppm -r 20 '" + pdf + "' '" + (dir_ / "page").string() + "'", &status);
  ASSERT_EQ(status, 0);
  int rasterised = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir_)) {
    if (e.path().filename().string().rfind("page-", 0) != 0) continue;
    ++rasterised;
    EXPECT_GT(InkShare(e.path().string()), 0.002) << e.path() << " looks empty";
  }
  EXPECT_EQ(rasterised, pages);
  // The text survives with its Danish letters, and the running header and
  // page numbers are printed.
  const std::string text = Shell("pdftotext -layout '" + pdf + "' -");
  EXPECT_NE(text.find("Tryghedsindekset i Gadehavegård"), std::string::npos);
  EXPECT_NE(text.find("Side 2 / " + std::to_string(pages)), std::string::npos);
  EXPECT_NE(text.find("Tryghedsrapport: demo"), std::string::npos);
}

TEST_F(RenderTest, ScreenshotIsAPng) {
  const std::string png = (dir_ / "demo-report.png").string();
  const core::Status s = Screenshot(html_, png, 1000, 1400);
  ASSERT_TRUE(s.ok()) << s.ToString();
  core::Result<std::string> bytes = core::ReadFile(png);
  ASSERT_TRUE(bytes.ok());
  ASSERT_GT(bytes->size(), 20000u) << "a blank page compresses to a few kB";
  EXPECT_EQ(bytes->substr(1, 3), "PNG");
}

TEST(Chromium, AMissingExecutableIsAClearError) {
  ChromiumOptions options;
  options.executable = "/nonexistent/chromium";
  const core::Status s = PrintToPdf("x.html", "x.pdf", options);
  EXPECT_EQ(s.code(), core::StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("/nonexistent/chromium"), std::string::npos);
}

}  // namespace
}  // namespace tryghed::report
