// Golden structure tests: fixed evaluation results (tests/data/report/) render
// to HTML whose sections, numbers, suppressed cells, escaping and charts are
// checked. The expected numbers are read from the JSON independently of the
// report's own reader and rounded here by hand.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>
#include <string>

#include "core/file.h"
#include "report/report.h"
#include "report/result_json.h"
#include "report/svg.h"
#include "render_tools.h"

namespace tryghed::report {
namespace {

std::string Fixture(const std::string& name) {
  core::Result<std::string> text = core::ReadFile(std::string(TRYGHED_TEST_DATA) + "/report/" + name);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : std::string();
}

std::string Render(const std::string& name, Language lang = Language::kDanish) {
  ReportOptions options;
  options.lang = lang;
  core::Result<std::string> html = RenderReportFromJson(Fixture(name), name, options);
  EXPECT_TRUE(html.ok()) << html.status().ToString();
  return html.ok() ? *html : std::string();
}

using render_tools::Count;

// A whole number as the report writes it in Danish (minus sign U+2212).
std::string Whole(double x) {
  const long v = std::lround(x);
  return v < 0 ? "\u2212" + std::to_string(-v) : std::to_string(v);
}

void ExpectNoNonFinite(const std::string& html) {
  const std::regex bad("[^A-Za-z](nan|inf|infinity)[^A-Za-z]", std::regex::icase);
  std::smatch m;
  EXPECT_FALSE(std::regex_search(html, m, bad)) << "found \"" << m.str() << "\"";
}

// Every <figure> holds exactly one chart, a caption and a table of numbers.
void ExpectEveryChartHasCaptionAndTable(const std::string& html) {
  EXPECT_EQ(Count(html, "<svg"), Count(html, "<figure"));
  std::size_t pos = 0;
  int figures = 0;
  while ((pos = html.find("<figure", pos)) != std::string::npos) {
    const std::size_t end = html.find("</figure>", pos);
    ASSERT_NE(end, std::string::npos);
    const std::string figure = html.substr(pos, end - pos);
    EXPECT_EQ(Count(figure, "<svg"), 1u);
    EXPECT_EQ(Count(figure, "<figcaption>"), 1u);
    EXPECT_GE(Count(figure, "<table"), 1u);
    EXPECT_GE(Count(figure, "<td"), 1u) << "a chart without numbers";
    // A chart that draws nothing is empty: it must hold a line, a point or a bar.
    EXPECT_TRUE(figure.find("<path class=\"line\"") != std::string::npos ||
                figure.find("<circle") != std::string::npos || figure.find("<rect") != std::string::npos);
    pos = end;
    ++figures;
  }
  EXPECT_GT(figures, 0);
}

TEST(Report, DemoResultHasEverySectionAndNoExternalResources) {
  const std::string html = Render("demo-result.json");
  ASSERT_FALSE(html.empty());
  for (const char* id : {"resume", "data", "index", "shares", "items", "groups", "places", "crime", "appendix"}) {
    EXPECT_NE(html.find(std::string("<section id=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_NE(html.find("<html lang=\"da\">"), std::string::npos);
  EXPECT_NE(html.find("@page"), std::string::npos);
  EXPECT_NE(html.find("counter(page)"), std::string::npos);
  // Self-contained: no scripts, no links to anything outside the file.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("http://", html.find("</head>")), html.find("http://www.w3.org/2000/svg", html.find("</head>")));
  ExpectNoNonFinite(html);
  ExpectEveryChartHasCaptionAndTable(html);
  // Sections with data draw it: item bars, group tables, registered crime.
  auto SectionOf = [&](const std::string& id) {
    const std::size_t at = html.find("<section id=\"" + id + "\"");
    return html.substr(at, html.find("</section>", at) - at);
  };
  EXPECT_GE(Count(SectionOf("items"), "<figure"), 20u);  // 22 scored items in the demo
  EXPECT_GE(Count(SectionOf("groups"), "<table"), 3u);
  EXPECT_EQ(Count(SectionOf("crime"), "<figure"), 1u);
  EXPECT_NE(SectionOf("appendix").find("sex, age_band"), std::string::npos);  // the adjusted DiD
  // The places question: one chart per area (three areas, one place item).
  EXPECT_EQ(Count(SectionOf("places"), "<figure"), 3u);
  EXPECT_EQ(SectionOf("places").find("Ikke tilgængeligt i dette resultat."), std::string::npos);
}

// No group under the disclosure threshold shows a value: every suppressed
// level of the demo's groups appears as a dash with its reason, and none of
// the levels under min_cell is shown unsuppressed in the JSON.
TEST(Report, DemoGroupsUnderTheThresholdAreDashes) {
  const std::string json = Fixture("demo-result.json");
  const std::string html = Render("demo-result.json");
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError());
  const std::int64_t min_cell = doc["disclosure"]["min_cell"].GetInt64();
  const std::size_t groups = html.find("<section id=\"groups\"");
  const std::string section = html.substr(groups, html.find("</section>", groups) - groups);
  int suppressed = 0;
  for (const auto& c : doc["cells"].GetArray()) {
    if (std::string(c["series"].GetString()) != "invited") continue;
    for (const auto& g : c["groups"].GetArray()) {
      for (const auto& l : g["levels"].GetArray()) {
        if (l["respondents"].GetInt64() > 0 && l["respondents"].GetInt64() < min_cell) {
          EXPECT_TRUE(l["suppressed"].GetBool());
        }
        if (!l["suppressed"].GetBool()) continue;
        ++suppressed;
        std::string reason = l["suppression"].GetString();
        std::string escaped;
        for (char ch : reason) escaped += ch == '\'' ? std::string("&#39;") : std::string(1, ch);
        EXPECT_NE(section.find(escaped), std::string::npos) << reason;
      }
    }
  }
  EXPECT_GT(suppressed, 0) << "the demo has small groups (e.g. 15–17-year-olds)";
  EXPECT_GT(Count(section, "<span class=\"supp\">\u2013</span><sup>"), 0u);
}

// The Resumé's sentence for every area agrees with the JSON's baseline change
// to the latest wave: values rounded to whole points, the verdict's wording.
TEST(Report, DemoSummarySentencesAgreeWithTheJson) {
  const std::string json = Fixture("demo-result.json");
  const std::string html = Render("demo-result.json");
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError());
  const auto& waves = doc["waves"];
  auto WaveIndex = [&](const std::string& w) {
    for (rapidjson::SizeType i = 0; i < waves.Size(); ++i) {
      if (w == waves[i].GetString()) return static_cast<int>(i);
    }
    return -1;
  };
  auto Overall = [&](const std::string& wave, const std::string& area) {
    for (const auto& c : doc["cells"].GetArray()) {
      if (std::string(c["series"].GetString()) != "invited" || wave != c["wave"].GetString() ||
          area != c["area"].GetString())
        continue;
      for (const auto& e : c["estimates"].GetArray()) {
        if (std::string(e["id"].GetString()) == "tryghedsindeks") return e["estimate"].GetDouble();
      }
    }
    ADD_FAILURE() << "no estimate for " << wave << " " << area;
    return 0.0;
  };
  int checked = 0;
  for (const auto& area_value : doc["areas"].GetArray()) {
    const std::string area = area_value.GetString();
    const rapidjson::Value* latest = nullptr;
    for (const auto& c : doc["changes"].GetArray()) {
      if (std::string(c["series"].GetString()) != "invited" || area != c["area"].GetString() ||
          std::string(c["indicator"].GetString()) != "tryghedsindeks" ||
          std::string(c["comparison"].GetString()) != "baseline")
        continue;
      if (!latest || WaveIndex(c["to_wave"].GetString()) > WaveIndex((*latest)["to_wave"].GetString())) latest = &c;
    }
    ASSERT_NE(latest, nullptr) << area;
    const double from = Overall((*latest)["from_wave"].GetString(), area);
    const double to = Overall((*latest)["to_wave"].GetString(), area);
    const std::string verb = std::lround(to) > std::lround(from) ? "steg" : "faldt";
    ASSERT_NE(std::lround(to), std::lround(from)) << "the demo's changes are all visible at whole points";
    const std::string noun = verb == "steg" ? "Stigningen" : "Faldet";
    const std::string expected = "Tryghedsindekset i " + area + " " + verb + " fra " + Whole(from) + " til " +
                                 Whole(to) + " point (95\u00a0%-konfidensinterval for ændringen: " +
                                 Whole((*latest)["ci_lower"].GetDouble()) + " til " +
                                 Whole((*latest)["ci_upper"].GetDouble()) + "). " + noun + " er " +
                                 (*latest)["verdict"].GetString() + ".";
    EXPECT_NE(html.find(expected), std::string::npos) << expected;
    ++checked;
  }
  EXPECT_EQ(checked, 3);
  // The demo's DiD for the latest wave with a value.
  const rapidjson::Value* did = nullptr;
  for (const auto& d : doc["did"].GetArray()) {
    if (std::string(d["indicator"].GetString()) != "tryghedsindeks" || std::string(d["series"].GetString()) != "invited")
      continue;
    if (!did || WaveIndex(d["wave"].GetString()) > WaveIndex((*did)["wave"].GetString())) did = &d;
  }
  ASSERT_NE(did, nullptr);
  const std::string expected = "(forskel-i-forskelle) er " + Whole((*did)["estimate"].GetDouble()) +
                               " point (95\u00a0%-konfidensinterval: " + Whole((*did)["ci_lower"].GetDouble()) +
                               " til " + Whole((*did)["ci_upper"].GetDouble()) + "). Forskellen er " +
                               ((*did)["significant"].GetBool() ? "statistisk signifikant." : "ikke statistisk signifikant.");
  EXPECT_NE(html.find(expected), std::string::npos) << expected;
}

TEST(Report, SmallResultShowsSuppressedValuesAsDashesWithTheirReason) {
  const std::string html = Render("small-result.json");
  ASSERT_FALSE(html.empty());
  // The suppressed group level carries a (wrong) value in the file: never shown.
  EXPECT_EQ(html.find("12,3"), std::string::npos);
  EXPECT_EQ(html.find("12.3"), std::string::npos);
  // Groups: Mand shown, Kvinde and Andet suppressed with their reasons.
  const std::size_t groups = html.find("<section id=\"groups\"");
  const std::size_t groups_end = html.find("</section>", groups);
  ASSERT_NE(groups, std::string::npos);
  const std::string section = html.substr(groups, groups_end - groups);
  EXPECT_NE(section.find("63,3"), std::string::npos);
  EXPECT_NE(section.find("<span class=\"supp\">\u2013</span><sup>"), std::string::npos);
  EXPECT_NE(section.find("secondary: hides the suppressed level &#39;Andet&#39; from subtraction"), std::string::npos);
  EXPECT_NE(section.find("primary: 3 respondents, fewer than 5"), std::string::npos);
  // The comparison area's suppressed baseline: its sentence and the DiD say why.
  EXPECT_NE(html.find("primary: the wave Før 2025 has 4 respondents, fewer than 5"), std::string::npos);
  EXPECT_NE(html.find("primary: 4 respondents in a domain, fewer than 5"), std::string::npos);
  // The small base of a share is flagged with its caution.
  EXPECT_NE(html.find("base of 23 respondents, fewer than 30"), std::string::npos);
  ExpectNoNonFinite(html);
  ExpectEveryChartHasCaptionAndTable(html);
}

TEST(Report, SmallResultRendersTheNewSectionsAndTheExactSummary) {
  const std::string html = Render("small-result.json");
  EXPECT_NE(html.find("Tryghedsindekset i &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co steg fra 61 til 67 point "
                      "(95\u00a0%-konfidensinterval for ændringen: 1 til 10). Stigningen er statistisk signifikant."),
            std::string::npos);
  // Items: the diverging bars of T1 with their table (42,0 % answered "Tryg").
  const std::size_t items = html.find("<section id=\"items\"");
  ASSERT_NE(items, std::string::npos);
  EXPECT_NE(html.find("Hvor tryg føler du dig &lt;her&gt;?", items), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">42,0</td>", items), std::string::npos);
  // Response rates, reliability, counts with thousands separators.
  EXPECT_NE(html.find("49,4\u00a0%"), std::string::npos);   // RR1 0.4936
  EXPECT_NE(html.find(">0,81<"), std::string::npos);        // alpha 0.8123
  EXPECT_NE(html.find(">2.500<"), std::string::npos);       // invitations
  EXPECT_NE(html.find(">1.234<"), std::string::npos);       // respondents
}

// The text of <section id="id"> ... </section>.
std::string SectionOf(const std::string& html, const std::string& id) {
  const std::size_t begin = html.find("<section id=\"" + id + "\"");
  if (begin == std::string::npos) return "";
  return html.substr(begin, html.find("</section>", begin) - begin);
}

// A proportion as the report writes it in a Danish table: percent, one
// decimal, decimal comma (rounded here with printf, as by hand).
std::string DanishPercent1(double proportion) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", proportion * 100);
  std::string s = buffer;
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

TEST(Report, SmallResultMarginsShowPopulationSampleAndWeightedSharesWithSuppressedCounts) {
  const std::string html = Render("small-result.json");
  const std::string data = SectionOf(html, "data");
  ASSERT_FALSE(data.empty());
  EXPECT_EQ(data.find("ikke tilgængeligt"), std::string::npos);
  // Mand: population 0.5 → 50,0; sample 160 of 310 → 51,6; weighted 0.5 → 50,0.
  EXPECT_NE(data.find("<td>Nordparken</td><td>Efter 2026</td><td>Mand</td><td class=\"num\">50,0</td>"
                      "<td class=\"num\">160</td><td class=\"num\">51,6</td><td class=\"num\">50,0</td>"),
            std::string::npos)
      << data;
  // Kvinde: the count is suppressed (secondary), the population and weighted shares stay.
  EXPECT_NE(data.find("<td>Kvinde</td><td class=\"num\">50,0</td><td><span class=\"supp\">\u2013</span><sup>"),
            std::string::npos);
  EXPECT_NE(data.find("secondary: hidden so that a suppressed level of &#39;sex&#39; cannot be recovered"),
            std::string::npos);
  EXPECT_NE(data.find("<td class=\"num\">47,0</td>"), std::string::npos);
  // Ikke oplyst: primary; the file wrongly carries its count 3 and share 0.777777: never shown.
  EXPECT_NE(data.find("<td>Ikke oplyst</td><td class=\"num\">\u2013</td><td><span class=\"supp\">"),
            std::string::npos);
  EXPECT_NE(data.find("primary: fewer than 5 respondents in the level"), std::string::npos);
  EXPECT_EQ(html.find("77,8"), std::string::npos);
  EXPECT_EQ(data.find("<td class=\"num\">3</td>"), std::string::npos);
}

TEST(Report, SmallResultPlacesHaveABarChartWithWhiskersAndASuppressedPlace) {
  const std::string html = Render("small-result.json");
  const std::string places = SectionOf(html, "places");
  ASSERT_FALSE(places.empty());
  EXPECT_EQ(places.find("class=\"na\""), std::string::npos);
  EXPECT_EQ(Count(places, "<figure"), 1u);  // one place item, one area with places
  EXPECT_EQ(Count(places, "<path class=\"whisker\""), 1u);  // the shown place only
  // Parkeringspladsen 0.215 [0.16, 0.28] → "21,5 (16,0 til 28,0)", base 200.
  EXPECT_NE(places.find("<td>Parkeringspladsen</td><td>Efter 2026</td><td class=\"num\">21,5 "
                        "<span class=\"ci\">(16,0 til 28,0)</span></td><td class=\"num\">200</td>"),
            std::string::npos)
      << places;
  // Stierne is suppressed: "–" with its reason, its carried 0.4321 never shown; its label escaped.
  EXPECT_NE(places.find("<td>Stierne &lt;b&gt;</td><td>Efter 2026</td><td><span class=\"supp\">\u2013</span><sup>"),
            std::string::npos);
  EXPECT_NE(places.find("primary: fewer than 5 respondents with a value"), std::string::npos);
  EXPECT_EQ(html.find("43,2"), std::string::npos);
  EXPECT_EQ(html.find("Stierne <b>"), std::string::npos);
}

TEST(Report, SmallResultAppendixPrintsTheIndexDefinitions) {
  const std::string html = Render("small-result.json");
  const std::string appendix = SectionOf(html, "appendix");
  EXPECT_EQ(appendix.find("Spørgeskemaets og indeksenes definition: ikke tilgængeligt"), std::string::npos);
  EXPECT_NE(appendix.find("»Tryghed i boligområdet« (id tryghed-standard, version 1, versions-id abcdef012345…)"),
            std::string::npos);
  // T1 is reversed (1–7), T2 not (1–4); the sub-index needs 67 % (0.6667) of its items.
  EXPECT_NE(appendix.find("<td>T1</td><td>Hvor tryg føler du dig?</td><td>højere kode er værre (vendes)</td>"
                          "<td class=\"num\">1–7</td>"),
            std::string::npos);
  EXPECT_NE(appendix.find("<td>T2</td><td>Gå alene efter mørkets frembrud</td><td>højere kode er bedre</td>"
                          "<td class=\"num\">1–4</td>"),
            std::string::npos);
  EXPECT_NE(appendix.find("gyldigt med mindst 67\u00a0% af de stillede spørgsmål besvaret"), std::string::npos);
  EXPECT_NE(appendix.find("vægtene Tryghed 1,00; det beregnes, når mindst 1 af de 1 delindeks er gyldige"),
            std::string::npos);
  EXPECT_NE(appendix.find("<td>Andel utrygge</td><td>svaret 5 «Lidt utryg», 6 «Utryg», 7 «Meget utryg» på T1</td>"),
            std::string::npos);
}

TEST(Report, DemoResultCarriesMarginsPlacesDefinitionsAndKioskItemsAsInItsJson) {
  const std::string json = Fixture("demo-result.json");
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError());
  const std::string html = Render("demo-result.json");
  ExpectNoNonFinite(html);
  ExpectEveryChartHasCaptionAndTable(html);
  // Margins: the first level of the first invited cell with margins, in the
  // data section, with its three shares rounded here from the JSON.
  const std::string data = SectionOf(html, "data");
  bool margins_checked = false, places_checked = false;
  for (const auto& c : doc["cells"].GetArray()) {
    if (std::string(c["series"].GetString()) != "invited") continue;
    if (!margins_checked && c.HasMember("margins") && c["margins"].Size() > 0) {
      const auto& m = c["margins"][0];
      ASSERT_FALSE(m["suppressed"].GetBool());
      const std::string row = std::string("<td>") + c["area"].GetString() + "</td><td>" + c["wave"].GetString() +
                              "</td><td>" + m["label"].GetString() + "</td><td class=\"num\">" +
                              DanishPercent1(m["population_share"].GetDouble()) + "</td><td class=\"num\">" +
                              std::to_string(m["sample"].GetInt64()) + "</td><td class=\"num\">" +
                              DanishPercent1(m["sample_share"].GetDouble()) + "</td><td class=\"num\">" +
                              DanishPercent1(m["weighted_share"].GetDouble()) + "</td>";
      EXPECT_NE(data.find(row), std::string::npos) << row;
      // After raking the weighted share is the population share.
      EXPECT_NEAR(m["weighted_share"].GetDouble(), m["population_share"].GetDouble(), 1e-6);
      margins_checked = true;
    }
    if (!places_checked && c.HasMember("places") && c["places"].Size() > 0) {
      const auto& p = c["places"][0]["places"][0];
      if (p["estimate"].IsNull()) continue;
      const std::string row = std::string("<td>") + p["label"].GetString() + "</td><td>" + c["wave"].GetString() +
                              "</td><td class=\"num\">" + DanishPercent1(p["estimate"].GetDouble()) +
                              " <span class=\"ci\">(" + DanishPercent1(p["ci_lower"].GetDouble()) + " til " +
                              DanishPercent1(p["ci_upper"].GetDouble()) + ")</span>";
      EXPECT_NE(SectionOf(html, "places").find(row), std::string::npos) << row;
      places_checked = true;
    }
  }
  EXPECT_TRUE(margins_checked) << "the demo result has no margins";
  EXPECT_TRUE(places_checked) << "the demo result has no places";
  EXPECT_GE(Count(SectionOf(html, "places"), "<figure"), 1u);
  // The definitions come from the questionnaire in the JSON.
  ASSERT_TRUE(doc.HasMember("definitions") && doc["definitions"].IsObject());
  const std::string appendix = SectionOf(html, "appendix");
  for (const auto& sub : doc["definitions"]["subindices"].GetArray()) {
    EXPECT_NE(appendix.find(std::string(">") + sub["label"].GetString() + "<br>"), std::string::npos)
        << sub["label"].GetString();
  }
  // Kiosk answers are drawn apart and labelled as not a random sample.
  bool kiosk = false;
  for (const auto& c : doc["cells"].GetArray()) {
    kiosk = kiosk || (std::string(c["series"].GetString()) == "kiosk" && c["distributions"].Size() > 0);
  }
  if (kiosk) {
    const std::string items = SectionOf(html, "items");
    EXPECT_NE(items.find("(ikke en tilfældig stikprøve)</h3>"), std::string::npos);
    EXPECT_NE(items.find("<p class=\"caveat\">"), std::string::npos);
    EXPECT_NE(items.find("kiosk"), std::string::npos);
  }
}

TEST(Svg, BarChartDrawsBarsWhiskersAndDashesForMissingValues) {
  BarChart c;
  c.tick_suffix = "%";
  c.lang = Language::kEnglish;
  c.rows.push_back({"Car park", "Wave 1", "#0072B2", {21.5, 16.0, 28.0}});
  c.rows.push_back({"Car park", "Wave 2", "#E69F00", {}});
  c.rows.push_back({"<Path>", "Wave 1", "#0072B2", {8.0, 4.0, 12.0}});
  const std::string svg = BarChartSvg(c);
  EXPECT_EQ(Count(svg, "<rect"), 2u);
  EXPECT_EQ(Count(svg, "<path class=\"whisker\""), 2u);
  EXPECT_EQ(Count(svg, ">\u2013<"), 1u);
  EXPECT_EQ(Count(svg, ">Car park<"), 1u);  // the group label once per run
  EXPECT_NE(svg.find("&lt;Path&gt;"), std::string::npos);
  EXPECT_NE(svg.find(">22%<"), std::string::npos);  // 21.5 rounds to 22 (printf)
  EXPECT_NE(svg.find(">30%<"), std::string::npos);  // scale to 30: the largest upper bound 28, rounded up
}

TEST(Report, HostileNamesAreEscapedEverywhere) {
  const std::string html = Render("small-result.json");
  std::string lower = html;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  EXPECT_EQ(lower.find("<script"), std::string::npos);
  EXPECT_EQ(Count(lower, "</style>"), 1u);  // only the page's own
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"), std::string::npos);
  // The running header (a CSS string) cannot end the string or the style element.
  EXPECT_NE(html.find("content: \"Tryghedsrapport: Studie \\22 X\\22  \\3c /style\\3e \\3c script\\3e "),
            std::string::npos);
}

TEST(Report, EnglishUsesEnglishWordsAndNumbers) {
  const std::string html = Render("small-result.json", Language::kEnglish);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(html.find("rose from 61 to 67 points (95% confidence interval for the change: 1 to 10). "
                      "The increase is statistically significant."),
            std::string::npos);
  EXPECT_NE(html.find("63.3"), std::string::npos);
  EXPECT_EQ(html.find("Resumé"), std::string::npos);
}

TEST(Report, MalformedJsonIsAnErrorWithLineAndColumn) {
  core::Result<std::string> r = RenderReportFromJson("{\n  \"study\": \"x\",\n  \"waves\": [1,]\n}", "bad.json", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("bad.json:3:"), std::string::npos) << r.status().message();
  core::Result<evaluation::EvaluationResult> typed =
      ParseEvaluationJson(R"({"cells":[{"respondents":"many"}]})", "t.json");
  ASSERT_FALSE(typed.ok());
  EXPECT_NE(typed.status().message().find("t.json: cells[0].respondents: expected an integer"), std::string::npos)
      << typed.status().message();
}

TEST(Report, AnEmptyResultSaysWhatIsNotAvailable) {
  core::Result<std::string> r = RenderReportFromJson(R"({"study":"tom","waves":[],"areas":[],"cells":[]})", "e", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GE(Count(*r, "Ikke tilgængeligt i dette resultat."), 5u);
  ExpectNoNonFinite(*r);
}

TEST(Report, AResultWhoseQuestionnaireHasNoPlaceQuestionSaysSo) {
  core::Result<std::string> r = RenderReportFromJson(
      R"({"study":"s","waves":["a"],"areas":["P"],"cells":[{"wave":"a","area":"P","role":"pilot","series":"invited",
          "respondents":40,"estimates":[]}],
          "definitions":{"questionnaire":"q","version":"1","content_hash":"","title":"Q","subindices":[],
                         "overall":null,"shares":[],"notes":[]}})",
      "d", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string places = SectionOf(*r, "places");
  EXPECT_NE(places.find("Spørgeskemaet i dette resultat spørger ikke om steder"), std::string::npos) << places;
  EXPECT_EQ(Count(places, "<figure"), 0u);
}

TEST(Svg, LineChartLeavesGapsDrawsBandsAndEscapesLabels) {
  LineChart c;
  c.x_labels = {"A", "B", "C", "D"};
  c.lines.push_back({"<b>", "#0072B2", false, {{50.0, 45.0, 55.0}, {52.0, 47.0, 57.0}, {}, {60.0, 55.0, 65.0}}});
  c.aria_label = "x & y";
  const std::string svg = LineChartSvg(c);
  EXPECT_EQ(Count(svg, "<circle"), 3u);                    // no point for the gap
  EXPECT_EQ(Count(svg, "<polygon class=\"band\""), 1u);    // the run A–B
  EXPECT_EQ(Count(svg, "<line class=\"bar\""), 1u);        // D alone: an error bar
  EXPECT_EQ(Count(svg, " M"), 0u);
  EXPECT_EQ(Count(svg, "M"), 2u);                          // two path segments
  EXPECT_NE(svg.find("&lt;b&gt;"), std::string::npos);
  EXPECT_NE(svg.find("aria-label=\"x &amp; y\""), std::string::npos);
}

TEST(Svg, DivergingColoursAreOkabeItoBasedAndSymmetric) {
  EXPECT_EQ(DivergingColors(4), (std::vector<std::string>{"#D55E00", "#E69F00", "#56B4E9", "#0072B2"}));
  EXPECT_EQ(DivergingColors(5)[2], "#BBBBBB");
  DivergingChart c;
  c.categories = {"a", "b", "c", "d"};
  c.rows.push_back({"r", {0.1, 0.2, 0.3, 0.4}});
  const std::string svg = DivergingChartSvg(c);
  EXPECT_EQ(Count(svg, "fill=\"#D55E00\""), 2u);  // legend + segment
}

}  // namespace
}  // namespace tryghed::report
