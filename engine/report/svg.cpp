#include "report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/html.h"
#include "report/internal/texts.h"

namespace tryghed::report {

namespace {

// A coordinate with one decimal (SVG numbers are locale-free).
std::string C(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

// Splits a long axis label into at most two lines at the space nearest its
// middle.
std::vector<std::string> SplitLabel(const std::string& label) {
  if (label.size() <= 12) return {label};
  std::size_t best = std::string::npos;
  const std::size_t middle = label.size() / 2;
  for (std::size_t i = 0; i < label.size(); ++i) {
    if (label[i] != ' ') continue;
    if (best == std::string::npos ||
        (i > middle ? i - middle : middle - i) < (best > middle ? best - middle : middle - best)) {
      best = i;
    }
  }
  if (best == std::string::npos) return {label};
  return {label.substr(0, best), label.substr(best + 1)};
}

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary, with an
// ellipsis when shortened.
std::string Shorten(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\u2026";
}

void Text(std::string& out, double x, double y, const std::string& text, const char* anchor,
          const std::string& extra = "") {
  out += "<text x=\"" + C(x) + "\" y=\"" + C(y) + "\" text-anchor=\"" + anchor + "\"" + extra + ">" +
         EscapeHtml(text) + "</text>";
}

}  // namespace

std::string_view ChartCss() { return internal::EmbeddedText("chart.css"); }

std::string LineChartSvg(const LineChart& chart) {
  const double left = 34, right = 118, top = 10, bottom = 34;
  const double w = chart.width, h = chart.height;
  const double plot_w = std::max(10.0, w - left - right), plot_h = std::max(10.0, h - top - bottom);

  // The y range: fixed, or from the data in steps of y_step.
  double lo = chart.y_min.value_or(0), hi = chart.y_max.value_or(0);
  if (!chart.y_min || !chart.y_max) {
    double dmin = INFINITY, dmax = -INFINITY;
    for (const ChartLine& line : chart.lines) {
      for (const ChartPoint& p : line.points) {
        for (const std::optional<double>& v : {p.value, p.lower, p.upper}) {
          if (v && std::isfinite(*v)) {
            dmin = std::min(dmin, *v);
            dmax = std::max(dmax, *v);
          }
        }
      }
    }
    if (!std::isfinite(dmin)) {
      dmin = chart.y_floor;
      dmax = chart.y_ceiling;
    }
    const double step = chart.y_step > 0 ? chart.y_step : 10;
    lo = chart.y_min.value_or(std::max(chart.y_floor, std::floor(dmin / step) * step));
    hi = chart.y_max.value_or(std::min(chart.y_ceiling, std::ceil(dmax / step) * step));
    if (hi <= lo) {
      lo = std::max(chart.y_floor, lo - step);
      hi = std::min(chart.y_ceiling, hi + step);
    }
    if (hi <= lo) hi = lo + step;
  }
  const std::size_t n = chart.x_labels.size();
  // Each wave gets an equal slot with its point in the middle, so the axis
  // labels have room.
  const double slot = plot_w / static_cast<double>(std::max<std::size_t>(n, 1));
  auto X = [&](std::size_t i) { return left + slot * (static_cast<double>(i) + 0.5); };
  auto Y = [&](double v) { return top + plot_h * (1.0 - (std::clamp(v, lo, hi) - lo) / (hi - lo)); };

  std::string out;
  out.reserve(4096);
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"" + C(w) + "\" height=\"" +
         C(h) + "\" viewBox=\"0 0 " + C(w) + " " + C(h) + "\" aria-label=\"" + EscapeHtml(chart.aria_label) + "\">";
  // Grid and y ticks: about five.
  double step = chart.y_step > 0 ? chart.y_step : 10;
  while ((hi - lo) / step > 6) step *= 2;
  for (double t = std::ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
    out += "<line class=\"grid\" x1=\"" + C(left) + "\" x2=\"" + C(left + plot_w) + "\" y1=\"" + C(Y(t)) +
           "\" y2=\"" + C(Y(t)) + "\"/>";
    Text(out, left - 4, Y(t) + 3.5, FormatDecimal(t * chart.tick_scale, chart.tick_decimals, chart.lang) +
                                        chart.tick_suffix, "end", " class=\"tick\"");
  }
  // X labels.
  const std::size_t every = std::max<std::size_t>(chart.x_label_every, 1);
  for (std::size_t i = 0; i < n; i += every) {
    const std::vector<std::string> lines = SplitLabel(chart.x_labels[i]);
    const char* anchor = "middle";
    for (std::size_t k = 0; k < lines.size(); ++k) {
      Text(out, X(i), top + plot_h + 13 + 11 * static_cast<double>(k), lines[k], anchor, " class=\"tick\"");
    }
  }
  // Bands, then lines and points, then direct labels.
  struct Label {
    double y;
    std::string text;
    std::string color;
    double x;
  };
  std::vector<Label> labels;
  for (const ChartLine& line : chart.lines) {
    // Runs of consecutive points with an interval form one band each.
    std::size_t i = 0;
    while (i < line.points.size() && i < n) {
      if (!(line.points[i].lower && line.points[i].upper)) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < line.points.size() && j < n && line.points[j].lower && line.points[j].upper) ++j;
      std::string pts;
      for (std::size_t k = i; k < j; ++k) pts += C(X(k)) + "," + C(Y(*line.points[k].upper)) + " ";
      for (std::size_t k = j; k-- > i;) pts += C(X(k)) + "," + C(Y(*line.points[k].lower)) + " ";
      if (j - i == 1) {
        // A single interval: a vertical error bar instead of a band.
        out += "<line class=\"bar\" stroke=\"" + line.color + "\" x1=\"" + C(X(i)) + "\" x2=\"" + C(X(i)) +
               "\" y1=\"" + C(Y(*line.points[i].upper)) + "\" y2=\"" + C(Y(*line.points[i].lower)) + "\"/>";
      } else {
        out += "<polygon class=\"band\" fill=\"" + line.color + "\" points=\"" + pts + "\"/>";
      }
      i = j;
    }
  }
  for (const ChartLine& line : chart.lines) {
    std::string path;
    bool pen = false;
    std::optional<std::size_t> last;
    for (std::size_t i = 0; i < line.points.size() && i < n; ++i) {
      const std::optional<double>& v = line.points[i].value;
      if (!v || !std::isfinite(*v)) {
        pen = false;
        continue;
      }
      path += (pen ? "L" : "M") + C(X(i)) + " " + C(Y(*v));
      pen = true;
      last = i;
    }
    if (!path.empty()) {
      out += "<path class=\"line\" stroke=\"" + line.color + "\"" +
             (line.dashed ? std::string(" stroke-dasharray=\"5 3\"") : std::string()) + " d=\"" + path + "\"/>";
    }
    for (std::size_t i = 0; i < line.points.size() && i < n; ++i) {
      const std::optional<double>& v = line.points[i].value;
      if (v && std::isfinite(*v)) {
        out += "<circle r=\"2.6\" fill=\"" + line.color + "\" cx=\"" + C(X(i)) + "\" cy=\"" + C(Y(*v)) + "\"/>";
      }
    }
    if (last) labels.push_back({Y(*line.points[*last].value), line.label, line.color, X(*last)});
  }
  // Direct labels right of the plot, pushed apart so they never overlap.
  std::sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) { return a.y < b.y; });
  const double gap = 11;
  for (std::size_t i = 1; i < labels.size(); ++i) labels[i].y = std::max(labels[i].y, labels[i - 1].y + gap);
  if (!labels.empty() && labels.back().y > h - 4) {
    labels.back().y = h - 4;
    for (std::size_t i = labels.size() - 1; i-- > 0;) labels[i].y = std::min(labels[i].y, labels[i + 1].y - gap);
  }
  for (const Label& l : labels) {
    const std::string text = Shorten(l.text, 22);
    Text(out, left + plot_w + 6, l.y + 3.5, text, "start", " class=\"dlabel\" fill=\"" + l.color + "\"");
  }
  out += "</svg>";
  return out;
}

std::vector<std::string> DivergingColors(std::size_t n) {
  switch (n) {
    case 0: return {};
    case 1: return {"#56B4E9"};
    case 2: return {"#D55E00", "#0072B2"};
    case 3: return {"#D55E00", "#BBBBBB", "#0072B2"};
    case 4: return {"#D55E00", "#E69F00", "#56B4E9", "#0072B2"};
    case 5: return {"#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2"};
    case 6: return {"#A33D00", "#D55E00", "#E69F00", "#56B4E9", "#0072B2", "#004B75"};
    default: break;
  }
  std::vector<std::string> colors = {"#A33D00", "#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2", "#004B75"};
  while (colors.size() < n) colors.push_back("#004B75");
  colors.resize(n);
  return colors;
}

std::string DivergingChartSvg(const DivergingChart& chart) {
  const std::size_t k = chart.categories.size();
  const std::vector<std::string> colors = DivergingColors(k);
  const double label_w = 150, row_h = 18, legend_h = 22, axis_h = 16;
  const double w = chart.width, plot_w = std::max(10.0, w - label_w - 10);
  const double h = legend_h + axis_h + row_h * static_cast<double>(chart.rows.size()) + 4;
  const std::size_t half = k / 2;  // categories [0, half) left; a middle one when k is odd
  const bool odd = k % 2 == 1;
  auto LeftOf = [&](const DivergingRow& r) {
    double s = 0;
    for (std::size_t c = 0; c < half && c < r.shares.size(); ++c) s += r.shares[c];
    if (odd && half < r.shares.size()) s += r.shares[half] / 2;
    return s;
  };
  auto RightOf = [&](const DivergingRow& r) {
    double s = 0;
    for (std::size_t c = half + (odd ? 1 : 0); c < k && c < r.shares.size(); ++c) s += r.shares[c];
    if (odd && half < r.shares.size()) s += r.shares[half] / 2;
    return s;
  };
  double extent = 0.5;
  for (const DivergingRow& r : chart.rows) extent = std::max({extent, LeftOf(r), RightOf(r)});
  extent = std::min(1.0, std::ceil(extent * 4 - 1e-9) / 4);
  const double centre = label_w + plot_w / 2;
  auto Px = [&](double share) { return share / extent * (plot_w / 2); };

  std::string out;
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"" + C(w) + "\" height=\"" +
         C(h) + "\" viewBox=\"0 0 " + C(w) + " " + C(h) + "\" aria-label=\"" + EscapeHtml(chart.aria_label) + "\">";
  // Legend.
  double lx = label_w;
  for (std::size_t c = 0; c < k; ++c) {
    out += "<rect x=\"" + C(lx) + "\" y=\"4\" width=\"10\" height=\"10\" fill=\"" + colors[c] + "\"/>";
    const std::string text = Shorten(chart.categories[c], 24);
    Text(out, lx + 13, 13, text, "start", " class=\"tick\"");
    lx += 18 + 5.2 * static_cast<double>(std::min<std::size_t>(text.size(), 24));
  }
  // Axis ticks at 0, ±extent/2, ±extent.
  for (double t : {-extent, -extent / 2, 0.0, extent / 2, extent}) {
    const double x = centre + Px(t);
    out += "<line class=\"grid\" x1=\"" + C(x) + "\" x2=\"" + C(x) + "\" y1=\"" + C(legend_h + axis_h - 2) +
           "\" y2=\"" + C(h - 2) + "\"/>";
    Text(out, x, legend_h + axis_h - 5, FormatPercent(std::fabs(t), 0, chart.lang), "middle", " class=\"tick\"");
  }
  for (std::size_t r = 0; r < chart.rows.size(); ++r) {
    const DivergingRow& row = chart.rows[r];
    const double y = legend_h + axis_h + row_h * static_cast<double>(r);
    const std::string label = Shorten(row.label, 30);
    Text(out, label_w - 6, y + row_h / 2 + 3.5, label, "end", " class=\"tick\"");
    double x = centre - Px(LeftOf(row));
    for (std::size_t c = 0; c < k && c < row.shares.size(); ++c) {
      const double share = std::isfinite(row.shares[c]) ? std::max(0.0, row.shares[c]) : 0.0;
      const double seg = Px(share);
      if (seg <= 0) continue;
      out += "<rect x=\"" + C(x) + "\" y=\"" + C(y + 2) + "\" width=\"" + C(seg) + "\" height=\"" + C(row_h - 4) +
             "\" fill=\"" + colors[c] + "\"/>";
      if (share >= 0.08) {
        Text(out, x + seg / 2, y + row_h / 2 + 3.5, FormatPercentNumber(share, 0, chart.lang), "middle",
             " class=\"seg\"");
      }
      x += seg;
    }
  }
  out += "<line class=\"axis\" x1=\"" + C(centre) + "\" x2=\"" + C(centre) + "\" y1=\"" + C(legend_h + axis_h - 2) +
         "\" y2=\"" + C(h - 2) + "\"/>";
  out += "</svg>";
  return out;
}

std::string BarChartSvg(const BarChart& chart) {
  const double group_w = 170, label_w = 110, right = 60, top = 18, row_h = 16;
  const double left = group_w + label_w;
  const double w = chart.width, plot_w = std::max(10.0, w - left - right);
  double x_max = 10;
  if (chart.x_max && *chart.x_max > 0) {
    x_max = *chart.x_max;
  } else {
    for (const BarRow& r : chart.rows) {
      for (const std::optional<double>& v : {r.point.value, r.point.upper}) {
        if (v && std::isfinite(*v)) x_max = std::max(x_max, std::ceil(*v / 10 - 1e-9) * 10);
      }
    }
    x_max = std::min(x_max, 100.0);
  }
  double gap = 0;  // extra space before each new group
  for (std::size_t r = 1; r < chart.rows.size(); ++r) gap += chart.rows[r].group != chart.rows[r - 1].group ? 6 : 0;
  const double h = top + row_h * static_cast<double>(chart.rows.size()) + gap + 4;
  auto Px = [&](double v) { return left + std::clamp(v, 0.0, x_max) / x_max * plot_w; };

  std::string out;
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"" + C(w) + "\" height=\"" +
         C(h) + "\" viewBox=\"0 0 " + C(w) + " " + C(h) + "\" aria-label=\"" + EscapeHtml(chart.aria_label) + "\">";
  for (int t = 0; t <= 5; ++t) {
    const double v = x_max * t / 5, x = Px(v);
    out += "<line class=\"grid\" x1=\"" + C(x) + "\" x2=\"" + C(x) + "\" y1=\"" + C(top - 4) + "\" y2=\"" + C(h - 2) +
           "\"/>";
    Text(out, x, top - 7, FormatDecimal(v, 0, chart.lang) + chart.tick_suffix, "middle", " class=\"tick\"");
  }
  double y = top;
  for (std::size_t r = 0; r < chart.rows.size(); ++r) {
    const BarRow& row = chart.rows[r];
    const bool first = r == 0 || row.group != chart.rows[r - 1].group;
    if (first && r > 0) y += 6;
    const double mid = y + row_h / 2;
    if (first) Text(out, 4, mid + 3.5, Shorten(row.group, 28), "start", " class=\"tick dlabel\"");
    Text(out, left - 6, mid + 3.5, Shorten(row.label, 22), "end", " class=\"tick\"");
    const std::optional<double>& v = row.point.value;
    if (!v || !std::isfinite(*v)) {
      Text(out, left + 4, mid + 3.5, "\u2013", "start", " class=\"tick\"");
      y += row_h;
      continue;
    }
    out += "<rect x=\"" + C(left) + "\" y=\"" + C(y + 3) + "\" width=\"" + C(Px(*v) - left) + "\" height=\"" +
           C(row_h - 6) + "\" fill=\"" + row.color + "\" fill-opacity=\"0.75\"/>";
    double end = Px(*v);
    if (row.point.lower && row.point.upper && std::isfinite(*row.point.lower) && std::isfinite(*row.point.upper)) {
      const double x1 = Px(*row.point.lower), x2 = Px(*row.point.upper);
      out += "<path class=\"whisker\" d=\"M" + C(x1) + " " + C(mid) + "H" + C(x2) + "M" + C(x1) + " " + C(mid - 4) +
             "V" + C(mid + 4) + "M" + C(x2) + " " + C(mid - 4) + "V" + C(mid + 4) + "\" stroke=\"#000\" fill=\"none\"/>";
      end = std::max(end, x2);
    }
    Text(out, end + 4, mid + 3.5, FormatDecimal(*v, 0, chart.lang) + chart.tick_suffix, "start", " class=\"tick\"");
    y += row_h;
  }
  out += "<line class=\"axis\" x1=\"" + C(left) + "\" x2=\"" + C(left) + "\" y1=\"" + C(top - 4) + "\" y2=\"" +
         C(h - 2) + "\"/>";
  out += "</svg>";
  return out;
}

}  // namespace tryghed::report
