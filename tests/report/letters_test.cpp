// Invitation letters and their QR codes (report/letters.h,
// report/internal/qr.h): the HTML's structure, texts and escaping; and,
// with real tools, the QR codes decoded back by zbarimg from a Chromium
// screenshot and from the printed PDF (pdftoppm), and the PDF's pages
// counted by pdfinfo. The tool checks are skipped (with the reason) only
// when chromium, poppler-utils or zbar-tools is missing; `scripts/install-deps
// --test` installs them. Artifacts stay in letters-artifacts/ in the test's
// build folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "core/file.h"
#include "render_tools.h"
#include "report/internal/qr.h"
#include "report/internal/texts.h"
#include "report/letters.h"
#include "report/pdf.h"

namespace tryghed::report {
namespace {

namespace fs = std::filesystem;
using render_tools::DecodeQr;
using render_tools::OnPath;
using render_tools::PdfPagePng;
using render_tools::PdfPages;
using render_tools::Shell;

using render_tools::Count;

const std::string kLink1 = "https://tryg.example.dk/s/0123456789abcdefghjkmnpqrs";
const std::string kLink2 = "https://tryg.example.dk/s/tvwxyz0123456789abcdefghjk";
const std::string kLink3 = "https://tryg.example.dk/s/mnpqrstvwxyz0123456789abcd";

LetterSpec Spec() {
  LetterSpec spec;
  spec.study = "Gadehavegård 2026";
  spec.area = "Gadehavegård";
  spec.sender = "Høje-Taastrup Kommune";
  spec.contact = "Boligsocialt Hus, tlf. 43 59 10 00";
  spec.languages = {"da", "en", "ar"};
  spec.titles = {{"da", "Tryghed i dit boligområde"}, {"en", "Safety in your area"}};
  spec.last_date = "2026-05-31";
  spec.minutes = 10;
  spec.links = {kLink1, kLink2, kLink3};
  return spec;
}

// ---------------------------------------------------------------- QR codes

TEST(QrSvg, IsOneCrispPathWithAQuietZone) {
  // "HELLO" fits a version-1 symbol: 21 × 21 modules, 29 with the quiet zone.
  core::Result<std::string> svg = internal::QrSvg("HELLO", "QR <code>");
  ASSERT_TRUE(svg.ok()) << svg.status().ToString();
  EXPECT_EQ(svg->rfind("<svg ", 0), 0u);
  EXPECT_NE(svg->find("viewBox=\"0 0 29 29\""), std::string::npos) << *svg;
  EXPECT_NE(svg->find("shape-rendering=\"crispEdges\""), std::string::npos);
  EXPECT_NE(svg->find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg->find("aria-label=\"QR &lt;code&gt;\""), std::string::npos);
  EXPECT_EQ(Count(*svg, "<path"), 1u);
  // Every dark run lies inside the 4-module quiet zone: x, y >= 4 and x + length <= 25.
  const std::regex run("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  std::size_t runs = 0;
  for (auto it = std::sregex_iterator(svg->begin(), svg->end(), run); it != std::sregex_iterator(); ++it) {
    const int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), len = std::stoi((*it)[3]);
    EXPECT_GE(x, 4);
    EXPECT_GE(y, 4);
    EXPECT_LE(x + len, 25);
    EXPECT_LE(y, 24);
    EXPECT_EQ((*it)[3], (*it)[4]);
    ++runs;
  }
  // The three finder patterns alone need runs on 21 rows.
  EXPECT_GT(runs, 21u);
}

TEST(QrSvg, RefusesWhatNoQrCodeHolds) {
  EXPECT_EQ(internal::QrSvg("", "x").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(internal::QrSvg(std::string("a\0b", 3), "x").status().code(), core::StatusCode::kInvalidArgument);
  // Level M holds at most 2,331 bytes in 8-bit mode.
  core::Result<std::string> big = internal::QrSvg(std::string(3000, 'a'), "x");
  EXPECT_EQ(big.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(big.status().message().find("too long"), std::string::npos) << big.status().message();
}

class QrDecodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!FindChromium()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium): needed to rasterise the SVG";
    if (!OnPath("zbarimg")) GTEST_SKIP() << "zbarimg is not installed (apt-get install zbar-tools): needed to decode QR codes";
    dir_ = fs::absolute("letters-artifacts");
    fs::create_directories(dir_);
  }
  fs::path dir_;
};

TEST_F(QrDecodeTest, ZbarimgReadsBackTheText) {
  // A link, and a text with characters outside the URL alphabet.
  const std::string texts[] = {kLink1, "Tryghed i Gadehavegård: æøå ÆØÅ & <svar>"};
  for (std::size_t i = 0; i < std::size(texts); ++i) {
    core::Result<std::string> svg = internal::QrSvg(texts[i], "QR");
    ASSERT_TRUE(svg.ok()) << svg.status().ToString();
    const std::string html = (dir_ / ("qr-" + std::to_string(i) + ".html")).string();
    const std::string png = (dir_ / ("qr-" + std::to_string(i) + ".png")).string();
    std::ofstream(html, std::ios::binary) << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>"
                                             "body{margin:20px;background:#fff} svg{width:300px;height:300px}"
                                             "</style></head><body>"
                                          << *svg << "</body></html>";
    const core::Status shot = Screenshot(html, png, 400, 400);
    ASSERT_TRUE(shot.ok()) << shot.ToString();
    const std::vector<std::string> codes = DecodeQr(png);
    ASSERT_EQ(codes.size(), 1u) << "zbarimg found " << codes.size() << " codes in " << png;
    EXPECT_EQ(codes[0], texts[i]);
  }
}

// ---------------------------------------------------------------- letters: HTML

TEST(Letters, OneSheetPerLinkWithFrontAndBack) {
  core::Result<Letters> letters = RenderLetters(Spec());
  ASSERT_TRUE(letters.ok()) << letters.status().ToString();
  const std::string& h = letters->html;
  EXPECT_EQ(Count(h, "<section class=\"sheet front\""), 3u);
  EXPECT_EQ(Count(h, "<section class=\"sheet back"), 3u);
  EXPECT_EQ(Count(h, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\""), 3u);
  // Each link: once large on the front and once in each of the two back blocks, in order.
  std::size_t last = 0;
  for (const std::string& link : {kLink1, kLink2, kLink3}) {
    EXPECT_EQ(Count(h, link), 3u) << link;
    const std::size_t at = h.find(link);
    EXPECT_GT(at, last) << "letters out of order";
    last = at;
  }
  // Each front is followed by its own back before the next front.
  const std::size_t front2 = h.find("<section class=\"sheet front\"", h.find("<section class=\"sheet front\"") + 1);
  const std::size_t back1 = h.find("<section class=\"sheet back");
  EXPECT_LT(back1, front2);
  EXPECT_LT(h.find(kLink1, back1), front2);
  EXPECT_EQ(letters->back_languages, (std::vector<std::string>{"en", "ar"}));
  EXPECT_TRUE(letters->left_out.empty());
  EXPECT_NE(h.find("@page { size: A4"), std::string::npos);
  EXPECT_NE(h.find("Content-Security-Policy"), std::string::npos);
  EXPECT_EQ(h.find("<script"), std::string::npos);
}

TEST(Letters, TheTextsSayWhoWhyAnonymousHowLongAndUntilWhen) {
  core::Result<Letters> letters = RenderLetters(Spec());
  ASSERT_TRUE(letters.ok()) << letters.status().ToString();
  const std::string& h = letters->html;
  // Danish front.
  EXPECT_NE(h.find("<h1>Tryghed i dit boligområde</h1>"), std::string::npos);
  EXPECT_NE(h.find("trygheden i <bdi>Gadehavegård</bdi>"), std::string::npos);
  EXPECT_NE(h.find("projektet »<bdi>Gadehavegård 2026</bdi>«"), std::string::npos);
  EXPECT_NE(h.find("Undersøgelsen er anonym"), std::string::npos);
  EXPECT_NE(h.find("frivilligt"), std::string::npos);
  EXPECT_NE(h.find("omkring 10 minutter"), std::string::npos);
  EXPECT_NE(h.find("senest <bdi class=\"date\">31. maj 2026</bdi>"), std::string::npos);
  EXPECT_NE(h.find("<bdi>Boligsocialt Hus, tlf. 43 59 10 00</bdi>"), std::string::npos);
  EXPECT_NE(h.find("Med venlig hilsen<br><bdi>Høje-Taastrup Kommune</bdi>"), std::string::npos);
  // English back, with the questionnaire's English title; Arabic right to left with its default title.
  EXPECT_NE(h.find("<div class=\"lang-block\" lang=\"en\" dir=\"ltr\">\n<h2>Safety in your area</h2>"),
            std::string::npos);
  EXPECT_NE(h.find("by <bdi class=\"date\">31 May 2026</bdi>"), std::string::npos);
  EXPECT_NE(h.find("<div class=\"lang-block\" lang=\"ar\" dir=\"rtl\">"), std::string::npos);
  EXPECT_NE(h.find("<bdi class=\"date\">31 مايو 2026</bdi>"), std::string::npos);
  // The front points to the back in each back language.
  EXPECT_NE(h.find("<p lang=\"en\" dir=\"ltr\">This letter in English: see the back.</p>"), std::string::npos);
  EXPECT_NE(h.find("<p lang=\"ar\" dir=\"rtl\">"), std::string::npos);
}

TEST(Letters, ALanguageWithoutALetterTextIsLeftOutAndNamed) {
  LetterSpec spec = Spec();
  spec.languages = {"da", "so", "en"};
  core::Result<Letters> letters = RenderLetters(spec);
  ASSERT_TRUE(letters.ok()) << letters.status().ToString();
  EXPECT_EQ(letters->left_out, std::vector<std::string>{"so"});
  EXPECT_EQ(letters->back_languages, std::vector<std::string>{"en"});
  EXPECT_NE(letters->html.find("Spørgeskemaet findes også på so,"), std::string::npos);
  EXPECT_EQ(letters->html.find("lang=\"so\""), std::string::npos);
}

TEST(Letters, DanishOnlyLettersStillHaveABackPage) {
  LetterSpec spec = Spec();
  spec.languages = {"da"};
  core::Result<Letters> letters = RenderLetters(spec);
  ASSERT_TRUE(letters.ok()) << letters.status().ToString();
  EXPECT_EQ(Count(letters->html, "<section class=\"sheet back"), 3u);
  EXPECT_EQ(Count(letters->html, "class=\"lang-block\""), 0u);
  EXPECT_NE(letters->html.find("en tom bagside"), std::string::npos);
  EXPECT_EQ(Count(letters->html, "class=\"see-back\""), 0u) << "no pointer to an empty back";
}

TEST(Letters, EveryValueIsEscaped) {
  LetterSpec spec = Spec();
  spec.study = "<script>alert('study')</script>";
  spec.area = "Area \"<b>\" & co";
  spec.sender = "<img src=x onerror=alert(1)>";
  spec.contact = "<a href='javascript:x'>";
  spec.titles = {{"da", "<i>titel</i>"}};
  spec.links = {"https://tryg.example.dk/s/\"><script>x</script>"};
  core::Result<Letters> letters = RenderLetters(spec);
  ASSERT_TRUE(letters.ok()) << letters.status().ToString();
  const std::string& h = letters->html;
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("<img"), std::string::npos);
  EXPECT_EQ(h.find("<a href"), std::string::npos);
  EXPECT_EQ(h.find("<i>titel"), std::string::npos);
  EXPECT_EQ(h.find("<b>"), std::string::npos);
  EXPECT_NE(h.find("&lt;script&gt;alert(&#39;study&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(h.find("Area &quot;&lt;b&gt;&quot; &amp; co"), std::string::npos);
}

TEST(Letters, RefusesBadSpecs) {
  LetterSpec spec = Spec();
  spec.links.clear();
  EXPECT_EQ(RenderLetters(spec).status().code(), core::StatusCode::kInvalidArgument);
  spec = Spec();
  spec.last_date = "2026-02-30";
  EXPECT_EQ(RenderLetters(spec).status().code(), core::StatusCode::kInvalidArgument);
  spec = Spec();
  spec.minutes = 0;
  EXPECT_EQ(RenderLetters(spec).status().code(), core::StatusCode::kInvalidArgument);
  spec = Spec();
  spec.links[1] = std::string(3000, 'x');
  core::Result<Letters> r = RenderLetters(spec);
  EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("letter 2"), std::string::npos) << r.status().message();
}

TEST(Letters, EveryLetterTextHasTheDanishKeysAndRenders) {
  const std::vector<std::string> langs = LetterLanguages();
  EXPECT_EQ(langs, (std::vector<std::string>{"ar", "da", "en"}));
  auto da = internal::ParseTexts(internal::EmbeddedText("letter-da.txt"), "letter-da.txt");
  ASSERT_TRUE(da.ok()) << da.status().ToString();
  for (const std::string& lang : langs) {
    auto t = internal::ParseTexts(internal::EmbeddedText("letter-" + lang + ".txt"), lang);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    std::set<std::string> want, have;
    for (const auto& [k, v] : *da) {
      if (k.rfind("note_", 0) != 0) want.insert(k);
    }
    for (const auto& [k, v] : *t) {
      if (k.rfind("note_", 0) != 0) have.insert(k);
    }
    EXPECT_EQ(have, want) << "letter-" << lang << ".txt";
  }
  LetterSpec spec = Spec();
  spec.languages = langs;
  EXPECT_TRUE(RenderLetters(spec).ok());
}

// ---------------------------------------------------------------- letters: PDF

TEST(LettersPdf, TwoPagesPerResidentAndTheQrCodesDecodeToTheirLinks) {
  if (!FindChromium()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium): needed to print the PDF";
  if (!OnPath("pdfinfo") || !OnPath("pdftoppm")) {
    GTEST_SKIP() << "poppler-utils (pdfinfo, pdftoppm) is not installed: apt-get install poppler-utils";
  }
  if (!OnPath("zbarimg")) GTEST_SKIP() << "zbarimg is not installed (apt-get install zbar-tools)";
  const fs::path dir = fs::absolute("letters-artifacts");
  fs::create_directories(dir);
  core::Result<Letters> letters = RenderLetters(Spec());
  ASSERT_TRUE(letters.ok()) << letters.status().ToString();
  const std::string html = (dir / "letters.html").string(), pdf = (dir / "letters.pdf").string();
  ASSERT_TRUE(core::WriteFileAtomically(html, letters->html).ok());
  const core::Status printed = PrintToPdf(html, pdf);
  ASSERT_TRUE(printed.ok()) << printed.ToString();
  std::string info;
  EXPECT_EQ(PdfPages(pdf, &info), 6) << info;
  EXPECT_NE(info.find("(A4)"), std::string::npos) << info;
  // Page 1 is the first resident's front; page 3 the second's.
  EXPECT_EQ(DecodeQr(PdfPagePng(pdf, 1, (dir / "page-1").string())), std::vector<std::string>{kLink1});
  EXPECT_EQ(DecodeQr(PdfPagePng(pdf, 3, (dir / "page-3").string())), std::vector<std::string>{kLink2});
  // Backs carry no QR code; page 2 holds the English text and the first link.
  EXPECT_TRUE(DecodeQr(PdfPagePng(pdf, 2, (dir / "page-2").string())).empty());
  const std::string page2 = Shell("pdftotext -f 2 -l 2 '" + pdf + "' -");
  EXPECT_NE(page2.find("Dear resident"), std::string::npos) << page2;
  const std::string page1 = Shell("pdftotext -f 1 -l 1 '" + pdf + "' -");
  EXPECT_NE(page1.find("Kære beboer"), std::string::npos) << page1;
  EXPECT_NE(page1.find("31. maj 2026"), std::string::npos) << page1;
}

}  // namespace
}  // namespace tryghed::report
