#include "report/live.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "report/html.h"
#include "report/internal/texts.h"
#include "report/svg.h"

namespace tryghed::report {

namespace {

using std::chrono::sys_days;

// One colour per area, in the areas' order: blue, orange, bluish green,
// reddish purple, vermillion, sky blue, black (Okabe–Ito; yellow is too
// light for a thin line on white).
constexpr int kAreaColors[] = {5, 1, 3, 7, 6, 2, 0};

std::string IsoDay(sys_days d) {
  const std::chrono::year_month_day ymd{d};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

// "12/5": day and month, for the axis.
std::string ShortDay(sys_days d) {
  const std::chrono::year_month_day ymd{d};
  return std::to_string(static_cast<unsigned>(ymd.day())) + "/" + std::to_string(static_cast<unsigned>(ymd.month()));
}

// A step of 1, 2 or 5 × 10^k giving at most about five ticks up to `max`.
double NiceStep(double max) {
  const double raw = std::max(1.0, max / 5);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 5.0, 10.0}) {
    if (f * magnitude >= raw) return f * magnitude;
  }
  return 10 * magnitude;
}

const char* ChannelKey(store::Channel c) {
  switch (c) {
    case store::Channel::kLink: return "series_link";
    case store::Channel::kKiosk: return "series_kiosk";
    case store::Channel::kOpen: return "series_open";
    case store::Channel::kImport: return "series_import";
  }
  return "series_link";
}

}  // namespace

core::Result<std::string> RenderDailyChart(const std::vector<store::DailyResponses>& rows,
                                           const DailyChartLabels& labels) {
  core::Result<std::map<std::string, std::string>> texts = internal::LoadTexts(labels.lang);
  if (!texts.ok()) return texts.status();
  const auto T = [&](const std::string& key) { return EscapeHtml(texts->at(key)); };

  // The days shown: the given range, else the first to the last day with responses.
  std::optional<sys_days> first, last;
  for (const auto& [given, bound, name] : {std::tuple(&labels.first_day, &first, "first day"),
                                           std::tuple(&labels.last_day, &last, "last day")}) {
    if (given->empty()) continue;
    const std::optional<std::chrono::year_month_day> d = ParseIsoDate(*given);
    if (!d) return core::InvalidArgument(std::string("the chart's ") + name + " \"" + *given + "\" is not a date YYYY-MM-DD");
    *bound = sys_days(*d);
  }
  std::vector<sys_days> row_days;
  for (const store::DailyResponses& r : rows) {
    const std::optional<std::chrono::year_month_day> d = ParseIsoDate(r.day);
    if (!d) return core::InvalidArgument("a response day \"" + r.day + "\" is not a date YYYY-MM-DD");
    row_days.push_back(sys_days(*d));
  }
  if (!row_days.empty()) {
    const auto [lo, hi] = std::minmax_element(row_days.begin(), row_days.end());
    if (!first) first = *lo;
    if (!last) last = std::max(*hi, *first);
    if (*lo < *first || *hi > *last) {
      return core::InvalidArgument("the chart's days " + IsoDay(*first) + " to " + IsoDay(*last) +
                                   " leave out responses of " + IsoDay(*lo < *first ? *lo : *hi));
    }
  }
  if (!first || !last) {
    if (rows.empty() && !first && !last) return "<p class=\"na\">" + T("live_none") + "</p>";
    if (!last) last = first;
    if (!first) first = last;
  }
  if (*last < *first) {
    return core::InvalidArgument("the chart's last day " + IsoDay(*last) + " is before its first day " + IsoDay(*first));
  }
  const auto days = static_cast<std::size_t>((*last - *first).count() + 1);
  if (days > static_cast<std::size_t>(kMaxChartDays)) {
    return core::InvalidArgument("the chart would show " + std::to_string(days) + " days; at most " +
                                 std::to_string(kMaxChartDays));
  }

  const auto AreaName = [&](store::Id id) {
    const auto it = labels.areas.find(id);
    if (it != labels.areas.end()) return it->second;
    std::string s = texts->at("area_fallback");
    const std::size_t p = s.find("{{id}}");
    if (p != std::string::npos) s.replace(p, 6, std::to_string(id));
    return s;
  };
  // The colour index of an area: its place in labels.areas, then unknown areas in id order.
  std::map<store::Id, std::size_t> color_of;
  for (const auto& [id, name] : labels.areas) color_of.emplace(id, color_of.size());
  for (const store::DailyResponses& r : rows) color_of.emplace(r.area_id, color_of.size());

  // One line per (area, channel) present, in area then channel order.
  std::map<std::pair<std::size_t, int>, ChartLine> lines;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const store::DailyResponses& r = rows[i];
    const std::size_t color = color_of.at(r.area_id);
    auto [it, added] = lines.try_emplace({color, static_cast<int>(r.channel)});
    ChartLine& line = it->second;
    if (added) {
      line.label = AreaName(r.area_id) + " (" + texts->at(ChannelKey(r.channel)) + ")";
      line.color = kOkabeIto[kAreaColors[color % std::size(kAreaColors)]];
      line.dashed = r.channel != store::Channel::kLink;
      line.points.assign(days, ChartPoint{0.0, std::nullopt, std::nullopt});
    }
    ChartPoint& p = line.points[static_cast<std::size_t>((row_days[i] - *first).count())];
    p.value = *p.value + static_cast<double>(r.responses);
  }

  LineChart chart;
  chart.lang = labels.lang;
  chart.width = 640;
  chart.height = 260;
  double max = 1;
  for (const auto& [key, line] : lines) {
    for (const ChartPoint& p : line.points) max = std::max(max, *p.value);
    chart.lines.push_back(line);
  }
  chart.y_step = NiceStep(max);
  chart.y_min = 0;
  chart.y_max = std::ceil(max / chart.y_step) * chart.y_step;
  for (std::size_t d = 0; d < days; ++d) chart.x_labels.push_back(ShortDay(*first + std::chrono::days(d)));
  chart.x_label_every = std::max<std::size_t>(1, (days + 9) / 10);  // at most about ten labels

  core::Result<std::string> caption =
      FillTemplate(texts->at("live_caption"), {{"first", IsoDay(*first)}, {"last", IsoDay(*last)}});
  if (!caption.ok()) return core::Internal("report text live_caption: " + caption.status().message());
  chart.aria_label = *caption;

  std::string table = "<table class=\"data small\"><thead><tr><th scope=\"col\">" + T("day") +
                      "</th><th scope=\"col\">" + T("area") + "</th><th scope=\"col\">" + T("channel") +
                      "</th><th scope=\"col\" class=\"num\">" + T("responses") + "</th><th scope=\"col\" class=\"num\">" +
                      T("of_which_complete") + "</th></tr></thead><tbody>";
  std::int64_t total = 0, total_complete = 0;
  for (const store::DailyResponses& r : rows) {
    table += "<tr><td>" + EscapeHtml(r.day) + "</td><td>" + EscapeHtml(AreaName(r.area_id)) + "</td><td>" +
             T(ChannelKey(r.channel)) + "</td><td class=\"num\">" + FormatCount(r.responses, labels.lang) +
             "</td><td class=\"num\">" + FormatCount(r.complete, labels.lang) + "</td></tr>";
    total += r.responses;
    total_complete += r.complete;
  }
  table += "</tbody><tfoot><tr><th scope=\"row\" colspan=\"3\">" + T("total") + "</th><td class=\"num\">" +
           FormatCount(total, labels.lang) + "</td><td class=\"num\">" + FormatCount(total_complete, labels.lang) +
           "</td></tr></tfoot></table>";

  return "<figure class=\"chart-figure live\">" + LineChartSvg(chart) + "<figcaption>" + EscapeHtml(*caption) +
         "</figcaption><details class=\"chart-table\" open><summary>" + T("numbers_of_chart") + "</summary>" +
         table + "</details></figure>";
}

}  // namespace tryghed::report
