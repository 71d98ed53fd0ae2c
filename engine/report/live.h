#pragma once
// tryghed::report — the dashboard's live view of a wave: responses per day
// per area and channel as an inline SVG line chart (report/svg.h, Okabe–Ito
// colours, one colour per area, dashed lines for the non-probability
// channels), with its caption and a table of the numbers (accessible and
// readable without the chart). Counts only: nothing of any single answer.
//
// Days without responses between the first and the last day are drawn as
// zero (a day with no row has no responses, it is not missing).
//
// Example:
//
//   core::Result<std::vector<store::DailyResponses>> rows = db.ResponsesPerDay(wave_id);
//   if (!rows.ok()) return rows.status();
//   DailyChartLabels labels;
//   labels.areas = {{1, "Gadehavegård"}, {2, "Tåstrupgård"}};
//   labels.first_day = "2026-05-01";   // the wave's start; default: the first day with responses
//   core::Result<std::string> html = RenderDailyChart(*rows, labels);  // "<figure ...><svg ...>...</figure>"
//
// The figure uses the classes of report::ChartCss() and the report's table
// classes; the page showing it includes that stylesheet. Pure function;
// safe from any thread.
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "report/format.h"
#include "store/store.h"

namespace tryghed::report {

struct DailyChartLabels {
  std::map<store::Id, std::string> areas;  // area id -> name (plain text); colours follow this order
  std::string first_day;  // YYYY-MM-DD or empty: the first day with responses
  std::string last_day;   // YYYY-MM-DD or empty: the last day with responses
  Language lang = Language::kDanish;
};

// Most days one chart shows.
inline constexpr int kMaxChartDays = 400;

// The figure: chart, caption and table (one row per input row and a total).
// With no rows and no range it says that there are no responses yet.
// InvalidArgument when a day is not a date YYYY-MM-DD, the range is
// reversed, longer than kMaxChartDays or leaves out a row's day.
core::Result<std::string> RenderDailyChart(const std::vector<store::DailyResponses>& rows,
                                           const DailyChartLabels& labels);

}  // namespace tryghed::report
