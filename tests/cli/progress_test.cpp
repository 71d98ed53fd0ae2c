#include "cli/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace tryghed::cli {
namespace {

TEST(TerminalProgressTest, SilentWhenNotATerminal) {
  std::ostringstream err;
  {
    TerminalProgress p("Import", err, /*interactive=*/false);
    auto fn = p.Callback();
    fn(1, 10);
    fn(10, 10);
  }
  EXPECT_EQ(err.str(), "");
}

TEST(TerminalProgressTest, DrawsPercentAndClearsAtTheEnd) {
  std::ostringstream err;
  {
    TerminalProgress p("Import", err, /*interactive=*/true);
    p.Update(1, 4);   // first update is always drawn: 25 %
    p.Update(2, 4);   // within 100 ms of the first: throttled away
    p.Update(4, 4);   // completion is always drawn: 100 %
  }
  const std::string s = err.str();
  EXPECT_NE(s.find("Import 25 % (1/4)"), std::string::npos) << s;
  EXPECT_EQ(s.find("(2/4)"), std::string::npos) << s;
  EXPECT_NE(s.find("Import 100 % (4/4)"), std::string::npos) << s;
  // The destructor erases the line so later output starts clean.
  EXPECT_EQ(s.substr(s.size() - 4), "\r\033[K");
}

TEST(TerminalProgressTest, ElapsedDrawsASpinnerWithWholeSecondsAndIsSilentInPipes) {
  std::ostringstream err;
  {
    TerminalProgress p("Printing r.pdf with Chromium", err, /*interactive=*/true);
    auto fn = p.ElapsedCallback();
    fn(0.05);   // first call always drawn: "| 0 s"
    fn(0.1);    // within 100 ms of the first: throttled away
  }
  const std::string s = err.str();
  EXPECT_EQ(s, "\r\033[KPrinting r.pdf with Chromium | 0 s\r\033[K");

  std::ostringstream pipe;
  {
    TerminalProgress p("Printing", pipe, /*interactive=*/false);
    p.Elapsed(3.7);
  }
  EXPECT_EQ(pipe.str(), "");
}

}  // namespace
}  // namespace tryghed::cli
