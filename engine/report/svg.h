#pragma once
// tryghed::report — the report's charts as inline SVG text: a line chart with
// interval bands (the index and shares over waves), a diverging stacked
// bar chart (answer distributions of an item) and a horizontal bar chart
// with interval whiskers (the places where residents feel unsafe).
//
// Charts draw only what they are given: a point without a value leaves a gap
// (never a zero), an interval is always drawn as a band around its line, and
// lines carry their label at their last point (direct labels, no legend).
// Every text placed in the SVG is escaped here; colours come from the
// Okabe–Ito palette, which stays distinguishable with the common colour
// vision deficiencies. The chart's caption and its table of numbers are the
// caller's (report.cpp puts them beside every chart).
//
// Example:
//
//   LineChart c;
//   c.x_labels = {"Baseline", "Opfølgning 1"};
//   c.lines.push_back({"Gadehavegård", kOkabeIto[5], false,
//                      {{52.7, 49.5, 55.8}, {55.1, 52.0, 58.2}}});
//   c.aria_label = "Tryghedsindeks i Gadehavegård";
//   std::string svg = LineChartSvg(c);   // "<svg ...>...</svg>"
//
// Pure functions; safe from any thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/format.h"

namespace tryghed::report {

// Okabe & Ito (2008): black, orange, sky blue, bluish green, yellow, blue,
// vermillion, reddish purple.
inline constexpr const char* kOkabeIto[8] = {"#000000", "#E69F00", "#56B4E9", "#009E73",
                                             "#F0E442", "#0072B2", "#D55E00", "#CC79A7"};

// One point of a line: its value and interval on the chart's scale; empty
// value = no point (a gap).
struct ChartPoint {
  std::optional<double> value;
  std::optional<double> lower;
  std::optional<double> upper;
};

struct ChartLine {
  std::string label;               // direct label at the last point (plain text)
  std::string color;               // "#RRGGBB"
  bool dashed = false;
  std::vector<ChartPoint> points;  // one per x label
};

struct LineChart {
  std::vector<std::string> x_labels;  // e.g. the waves
  std::vector<ChartLine> lines;
  // Fixed y range; when both are empty the range is chosen from the data
  // (intervals included) in steps of y_step, clamped to [y_floor, y_ceiling].
  std::optional<double> y_min;
  std::optional<double> y_max;
  double y_step = 10;
  double y_floor = 0;
  double y_ceiling = 100;
  // Tick labels: value × tick_scale with tick_decimals, followed by tick_suffix.
  double tick_scale = 1;
  int tick_decimals = 0;
  std::string tick_suffix;
  int width = 440;
  int height = 230;
  // Label every n-th x position only (the first, then each n-th), for long
  // runs such as days; 1 labels every position.
  std::size_t x_label_every = 1;
  std::string aria_label;          // plain text; the chart's accessible name
  Language lang = Language::kDanish;
};

// The chart as an <svg> element (role="img", aria-label, viewBox; scales to
// its container's width).
std::string LineChartSvg(const LineChart& chart);

// The stylesheet for the classes the charts use (reports/chart.css: grid,
// ticks, lines, bands); every page showing a chart includes it once.
std::string_view ChartCss();

// One bar of a diverging stacked bar chart.
struct DivergingRow {
  std::string label;                 // plain text, left of the bar
  std::vector<double> shares;        // one per category, proportions of the bar's base
};

struct DivergingChart {
  std::vector<std::string> categories;  // in scale order, first = most negative
  std::vector<DivergingRow> rows;
  int width = 640;
  std::string aria_label;
  Language lang = Language::kDanish;
};

// Colours of `n` ordered categories, diverging around the middle (vermillion
// and orange on the first side, sky blue and blue on the last, grey in the
// middle for an odd count).
std::vector<std::string> DivergingColors(std::size_t n);

// The chart as an <svg> element: the categories of the first half to the
// left of the centre line, the rest to the right (a middle category is
// split across it), a legend row above, percentages written in segments of
// 8 % or more.
std::string DivergingChartSvg(const DivergingChart& chart);

// One bar of a horizontal bar chart: a value with its interval, on the
// chart's 0..x_max scale. An empty value draws no bar and writes "–".
struct BarRow {
  std::string group;     // written left of the first row of a run of equal groups (e.g. the place)
  std::string label;     // written left of the bar (e.g. the wave)
  std::string color;     // "#RRGGBB"
  ChartPoint point;
};

struct BarChart {
  std::vector<BarRow> rows;
  // Scale from 0 to x_max; empty: the largest upper bound (or value),
  // rounded up to whole 10, at least 10 and at most 100.
  std::optional<double> x_max;
  std::string tick_suffix;       // after tick and value labels, e.g. " %"
  int width = 640;
  std::string aria_label;
  Language lang = Language::kDanish;
};

// The chart as an <svg> element: a bar per row from 0 to its value, a
// whisker from lower to upper with end caps, and the value (no decimals)
// written right of the whisker; grid lines at a fifth of the scale.
std::string BarChartSvg(const BarChart& chart);

}  // namespace tryghed::report
