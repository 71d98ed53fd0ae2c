// `tryghed invite` with printable letters and `tryghed invite mark`, end to
// end in process on a temporary SQLite file with the standard questionnaire
// (Danish, English, Arabic). The PDF check prints with Chromium and reads
// the pages with poppler-utils and the QR code with zbarimg; it is skipped
// (with the reason) only when one of them is missing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/exit_codes.h"
#include "core/file.h"
#include "core/sha256.h"
#include "core/token.h"
#include "questionnaire/builtin.h"
#include "questionnaire/loader.h"
#include "report/pdf.h"
#include "store/store.h"
#include "cli_run.h"
#include "render_tools.h"

namespace tryghed::cli {
namespace {

namespace fs = std::filesystem;

using testing::CliRun;

using report::render_tools::Count;

class InviteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tryghed_invite_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_path_ = (dir_ / "invite.db").string();
    auto db = store::Store::Open(db_path_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    store_ = std::move(db).value();
    const std::string json(questionnaire::BuiltinQuestionnaireJson("tryghed-standard"));
    auto q = questionnaire::LoadQuestionnaire(json, "tryghed-standard");
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    auto qv = store_->AddQuestionnaireVersion(json, q->content_hash);
    ASSERT_TRUE(qv.ok()) << qv.status().ToString();
    auto study = store_->CreateStudy("Gadehavegård 2026", "");
    ASSERT_TRUE(study.ok());
    ASSERT_TRUE(store_->AddArea(*study, "Gadehavegård", store::AreaRole::kPilot, 1800).ok());
    auto wave = store_->CreateWave(*study, "baseline", "2026-05-01", "2026-05-31", *qv);
    ASSERT_TRUE(wave.ok());
    wave_ = *wave;
    ASSERT_TRUE(store_->OpenWave(wave_).ok());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  CliRun Tryghed(const std::vector<std::string>& args) { return testing::RunTryghed(args, db_path_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  CliRun Invite(int count, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"invite", "--study", "Gadehavegård 2026", "--wave", "baseline", "--area",
                                     "Gadehavegård", "--count", std::to_string(count), "--out", Path("tokens.csv"),
                                     "--base-url", "https://tryg.example.dk"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Tryghed(args);
  }

  // The tokens of the CSV written by invite, in file order.
  std::vector<std::string> Tokens() {
    std::vector<std::string> tokens;
    auto text = core::ReadFile(Path("tokens.csv"));
    EXPECT_TRUE(text.ok());
    if (!text.ok()) return tokens;
    std::istringstream lines(*text);
    std::string line;
    std::getline(lines, line);
    while (std::getline(lines, line)) tokens.push_back(line.substr(0, line.find(',')));
    return tokens;
  }

  std::int64_t CountOf(store::Disposition d) {
    auto counts = store_->CountDispositions(wave_);
    EXPECT_TRUE(counts.ok());
    for (const store::DispositionCount& c : *counts) {
      if (c.disposition == d) return c.count;
    }
    return -1;
  }

  fs::path dir_;
  std::string db_path_;
  std::unique_ptr<store::Store> store_;
  store::Id wave_ = 0;
};

TEST_F(InviteTest, LettersCarryTheLinksOfTheTokensFile) {
  CliRun r = Invite(4, {"--letters", Path("letters.html"), "--sender", "Høje-Taastrup Kommune"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("wrote 4 letters to " + Path("letters.html")), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the back in en, ar"), std::string::npos) << r.out;
  const std::vector<std::string> tokens = Tokens();
  ASSERT_EQ(tokens.size(), 4u);
  auto html = core::ReadFile(Path("letters.html"));
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(Count(*html, "<section class=\"sheet front\""), 4u);
  EXPECT_EQ(Count(*html, "<section class=\"sheet back"), 4u);
  std::size_t last = 0;
  for (const std::string& t : tokens) {
    EXPECT_TRUE(core::IsToken(t)) << t;
    const std::string link = "https://tryg.example.dk/s/" + t;
    const std::size_t at = html->find(link);
    ASSERT_NE(at, std::string::npos) << link;
    EXPECT_GT(at, last) << "letters are not in the file's order";
    last = at;
    EXPECT_TRUE(store_->FindInvitation(core::Sha256Hex(t)).ok());
  }
  // The wave's end date and the questionnaire's title and languages.
  EXPECT_NE(html->find("31. maj 2026"), std::string::npos);
  EXPECT_NE(html->find("<h1>Tryghed i dit boligområde</h1>"), std::string::npos);
  EXPECT_NE(html->find("omkring 10 minutter"), std::string::npos);  // 33 items
  EXPECT_NE(html->find("lang=\"ar\" dir=\"rtl\""), std::string::npos);
  // Never overwritten, and nothing stored then.
  r = Invite(2, {"--letters", Path("letters.html")});
  EXPECT_EQ(r.code, kExitUsage);
  auto other = Tryghed({"invite", "--study", "Gadehavegård 2026", "--wave", "baseline", "--area", "Gadehavegård",
                        "--count", "2", "--out", Path("other.csv"), "--letters", Path("letters.html")});
  EXPECT_EQ(other.code, kExitUsage);
  EXPECT_NE(other.err.find("letters.html exists"), std::string::npos) << other.err;
  EXPECT_FALSE(fs::exists(Path("other.csv")));
  EXPECT_EQ(CountOf(store::Disposition::kNotUsed), 4);
}

TEST_F(InviteTest, ABadBaseUrlOrMissingOptionStoresNothing) {
  CliRun r = Tryghed({"invite", "--study", "Gadehavegård 2026", "--wave", "baseline", "--area", "Gadehavegård",
                      "--count", "3", "--out", Path("tokens.csv"), "--base-url", "tryg.example.dk"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("https://"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Path("tokens.csv")));
  r = Tryghed({"invite", "--study", "Gadehavegård 2026", "--count", "3"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("--study, --wave, --area, --count and --out are required"), std::string::npos) << r.err;
  r = Invite(3, {"--letters-pdf", Path("letters.pdf")});
  EXPECT_EQ(r.code, kExitUsage) << "--letters-pdf needs --letters";
  EXPECT_EQ(CountOf(store::Disposition::kNotUsed), 0);
}

TEST_F(InviteTest, HelpShowsMarkAndAnExample) {
  std::ostringstream out, err;
  EXPECT_EQ(Main({"tryghed", "invite", "--help"}, out, err), kExitOk);
  EXPECT_NE(out.str().find("mark"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("--letters-pdf"), std::string::npos);
  EXPECT_NE(out.str().find("Example"), std::string::npos);
  std::ostringstream out2, err2;
  EXPECT_EQ(Main({"tryghed", "invite", "mark", "--help"}, out2, err2), kExitOk);
  EXPECT_NE(out2.str().find("token,disposition"), std::string::npos) << out2.str();
}

TEST_F(InviteTest, PdfHasTwoPagesPerResidentAndTheFirstQrIsTheFirstLink) {
  if (!report::FindChromium()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
  if (!report::render_tools::OnPath("pdfinfo") || !report::render_tools::OnPath("pdftoppm")) {
    GTEST_SKIP() << "poppler-utils is not installed (apt-get install poppler-utils)";
  }
  if (!report::render_tools::OnPath("zbarimg")) GTEST_SKIP() << "zbarimg is not installed (apt-get install zbar-tools)";
  CliRun r = Invite(3, {"--letters", Path("letters.html"), "--letters-pdf", Path("letters.pdf")});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::vector<std::string> tokens = Tokens();
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(report::render_tools::PdfPages(Path("letters.pdf")), 6);
  // Every file holding tokens is readable by its owner only.
  for (const char* f : {"tokens.csv", "letters.html", "letters.pdf"}) {
    EXPECT_EQ(fs::status(Path(f)).permissions() & (fs::perms::group_all | fs::perms::others_all), fs::perms::none) << f;
  }
  const std::string png = report::render_tools::PdfPagePng(Path("letters.pdf"), 1, Path("page-1"));
  ASSERT_FALSE(png.empty());
  EXPECT_EQ(report::render_tools::DecodeQr(png),
            std::vector<std::string>{"https://tryg.example.dk/s/" + tokens[0]});
}

TEST_F(InviteTest, MarkFromAFileIsAllOrNothingWithLocatedProblems) {
  ASSERT_EQ(Invite(5, {}).code, kExitOk);
  const std::vector<std::string> t = Tokens();
  ASSERT_EQ(t.size(), 5u);
  // Line 2 fine; line 3 a bad token; line 4 a bad disposition; line 5 repeats line 2.
  std::ofstream(Path("bad.csv")) << "token,disposition\n"
                                 << t[0] << ",undeliverable\n"
                                 << "not-a-token,refused\n"
                                 << t[1] << ",moved away\n"
                                 << t[0] << ",refused\n";
  CliRun r = Tryghed({"invite", "mark", "--file", Path("bad.csv")});
  EXPECT_EQ(r.code, kExitInvalid) << r.err;
  EXPECT_NE(r.err.find(Path("bad.csv") + ":3: column \"token\": \"not-a-token\": not an invitation token"),
            std::string::npos) << r.err;
  EXPECT_NE(r.err.find(Path("bad.csv") + ":4: column \"disposition\": \"moved away\": must be undeliverable, "
                                         "not_eligible or refused"),
            std::string::npos) << r.err;
  EXPECT_NE(r.err.find(Path("bad.csv") + ":5: column \"token\": the token is also on " + Path("bad.csv") + ":2"),
            std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3 problems"), std::string::npos) << r.err;
  EXPECT_EQ(CountOf(store::Disposition::kNotUsed), 5);

  // A token the database does not know stops the whole file, naming its line.
  std::ofstream(Path("unknown.csv")) << "token,disposition\n"
                                     << t[0] << ",undeliverable\n"
                                     << "zzzzzzzzzzzzzzzzzzzzzzzzzz,refused\n";
  r = Tryghed({"invite", "mark", "--file", Path("unknown.csv")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find(Path("unknown.csv") + ":3: no invitation with this token; nothing was marked"),
            std::string::npos) << r.err;
  EXPECT_EQ(CountOf(store::Disposition::kNotUsed), 5);

  // A good file (';'-separated, capitals and spaces as typed) marks every row.
  std::string upper = t[2];
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::ofstream(Path("good.csv")) << "disposition;token\n"
                                  << "undeliverable;" << t[0] << "\n"
                                  << " not_eligible ;" << t[1] << "\n"
                                  << "refused;" << upper << "\n";
  r = Tryghed({"invite", "mark", "--file", Path("good.csv")});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "marked 3 invitations: 1 refused, 1 undeliverable, 1 not eligible\n");
  EXPECT_EQ(CountOf(store::Disposition::kUndeliverable), 1);
  EXPECT_EQ(CountOf(store::Disposition::kNotEligible), 1);
  EXPECT_EQ(CountOf(store::Disposition::kRefused), 1);
  EXPECT_EQ(CountOf(store::Disposition::kNotUsed), 2);

  // One token from the command line; marking it twice is refused.
  r = Tryghed({"invite", "mark", "--token", t[3], "--disposition", "refused"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  r = Tryghed({"invite", "mark", "--token", t[3], "--disposition", "undeliverable"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("already 'refused'"), std::string::npos) << r.err;
  r = Tryghed({"invite", "mark"});
  EXPECT_EQ(r.code, kExitUsage);
}

}  // namespace
}  // namespace tryghed::cli
