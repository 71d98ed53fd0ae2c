// The dashboard's live chart (report/live.h): responses per day per area and
// channel. Expected counts, days and totals are written out by hand from the
// rows below.
#include <gtest/gtest.h>

#include <string>

#include "report/live.h"
#include "render_tools.h"

namespace tryghed::report {
namespace {

using store::Channel;
using store::DailyResponses;

using render_tools::Count;

// Area 1 (Gadehavegård): 3 link answers on 1 May (2 complete), 5 link (5) and
// 2 kiosk (1) on 3 May. Area 2 (Tåstrupgård): 1 kiosk answer on 1 May (1).
// Totals: 11 responses, 9 complete; nothing on 2 May.
std::vector<DailyResponses> Rows() {
  return {{"2026-05-01", 1, Channel::kLink, 3, 2},
          {"2026-05-01", 2, Channel::kKiosk, 1, 1},
          {"2026-05-03", 1, Channel::kKiosk, 2, 1},
          {"2026-05-03", 1, Channel::kLink, 5, 5}};
}

DailyChartLabels Labels() {
  DailyChartLabels labels;
  labels.areas = {{1, "Gadehavegård"}, {2, "Tåstrupgård"}};
  return labels;
}

TEST(DailyChart, OneLinePerAreaAndChannelOverEveryDay) {
  core::Result<std::string> html = RenderDailyChart(Rows(), Labels());
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  const std::string& h = *html;
  EXPECT_EQ(Count(h, "<svg "), 1u);
  EXPECT_NE(h.find("role=\"img\""), std::string::npos);
  // Three series (area 1 link, area 1 kiosk, area 2 kiosk) over three days,
  // 2 May included as zero: nine points, two of the lines dashed.
  EXPECT_EQ(Count(h, "<path class=\"line\""), 3u);
  EXPECT_EQ(Count(h, "<circle "), 9u);
  EXPECT_EQ(Count(h, "stroke-dasharray"), 2u);
  for (const char* day : {">1/5<", ">2/5<", ">3/5<"}) EXPECT_NE(h.find(day), std::string::npos) << day;
  // One colour per area: Okabe–Ito blue for the first, orange for the second.
  EXPECT_EQ(Count(h, "<path class=\"line\" stroke=\"#0072B2\""), 2u);
  EXPECT_EQ(Count(h, "<path class=\"line\" stroke=\"#E69F00\""), 1u);
  // Direct labels name area and channel (cut to fit beside the plot).
  EXPECT_NE(h.find("class=\"dlabel\" fill=\"#0072B2\">Gadehavegård (pers"), std::string::npos);
  EXPECT_NE(h.find("class=\"dlabel\" fill=\"#E69F00\">Tåstrupgård (kiosk)<"), std::string::npos);
  // The y axis runs from 0 to the largest count (5) in steps of 1.
  EXPECT_NE(h.find(">5</text>"), std::string::npos);
  EXPECT_EQ(h.find(">6</text>"), std::string::npos);
  // Caption and table: four rows and the total.
  EXPECT_NE(h.find("<figcaption>Besvarelser pr. dag fra 2026-05-01 til 2026-05-03"), std::string::npos);
  EXPECT_EQ(Count(h, "<tr><td>"), 4u);
  EXPECT_NE(h.find("<tr><td>2026-05-03</td><td>Gadehavegård</td><td>personligt link</td><td class=\"num\">5</td>"
                   "<td class=\"num\">5</td></tr>"),
            std::string::npos);
  EXPECT_NE(h.find(">I alt</th><td class=\"num\">11</td><td class=\"num\">9</td>"), std::string::npos);
}

TEST(DailyChart, AGivenRangeAddsEmptyDays) {
  DailyChartLabels labels = Labels();
  labels.first_day = "2026-04-29";
  labels.last_day = "2026-05-05";
  core::Result<std::string> html = RenderDailyChart(Rows(), labels);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  EXPECT_EQ(Count(*html, "<circle "), 3u * 7u);
  EXPECT_NE(html->find("fra 2026-04-29 til 2026-05-05"), std::string::npos);
}

TEST(DailyChart, LongRunsLabelAboutTenDays) {
  DailyChartLabels labels = Labels();
  labels.first_day = "2026-05-01";
  labels.last_day = "2026-06-29";  // 60 days: every 6th labelled ((60 + 9) / 10), from 1/5
  core::Result<std::string> html = RenderDailyChart(Rows(), labels);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  EXPECT_NE(html->find(">1/5<"), std::string::npos);
  EXPECT_NE(html->find(">7/5<"), std::string::npos);
  EXPECT_NE(html->find(">13/5<"), std::string::npos);
  EXPECT_EQ(html->find(">2/5<"), std::string::npos);
  EXPECT_EQ(html->find(">3/5<"), std::string::npos);
}

TEST(DailyChart, NoResponsesYet) {
  core::Result<std::string> html = RenderDailyChart({}, Labels());
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(*html, "<p class=\"na\">Ingen besvarelser endnu.</p>");
  DailyChartLabels en = Labels();
  en.lang = Language::kEnglish;
  EXPECT_EQ(*RenderDailyChart({}, en), "<p class=\"na\">No responses yet.</p>");
}

TEST(DailyChart, EnglishAndEscaped) {
  DailyChartLabels labels = Labels();
  labels.lang = Language::kEnglish;
  labels.areas[2] = "<script>x</script>";
  core::Result<std::string> html = RenderDailyChart(Rows(), labels);
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(html->find("<script"), std::string::npos);
  EXPECT_NE(html->find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html->find("Responses per day from 2026-05-01 to 2026-05-03"), std::string::npos);
  EXPECT_NE(html->find(">Total</th>"), std::string::npos);
  // An area the labels do not name is still shown.
  std::vector<DailyResponses> rows = Rows();
  rows.push_back({"2026-05-02", 7, Channel::kOpen, 1, 0});
  html = RenderDailyChart(rows, labels);
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("area 7 (open link)"), std::string::npos);
}

TEST(DailyChart, RefusesBadDaysAndRanges) {
  std::vector<DailyResponses> rows = Rows();
  rows[0].day = "2026-13-01";
  EXPECT_EQ(RenderDailyChart(rows, Labels()).status().code(), core::StatusCode::kInvalidArgument);
  DailyChartLabels labels = Labels();
  labels.first_day = "2026-05-02";  // leaves out 1 May
  core::Result<std::string> r = RenderDailyChart(Rows(), labels);
  EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("2026-05-01"), std::string::npos) << r.status().message();
  labels = Labels();
  labels.first_day = "2026-05-10";
  labels.last_day = "2026-05-01";
  EXPECT_EQ(RenderDailyChart({}, labels).status().code(), core::StatusCode::kInvalidArgument);
  labels.first_day = "2025-01-01";
  labels.last_day = "2026-05-03";
  EXPECT_EQ(RenderDailyChart(Rows(), labels).status().code(), core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tryghed::report
