#include "report/report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "report/html.h"
#include "report/internal/texts.h"
#include "report/result_json.h"
#include "report/svg.h"

namespace tryghed::report {

namespace {

using evaluation::Cell;
using evaluation::Change;
using evaluation::DiD;
using evaluation::Estimate;
using evaluation::EvaluationResult;
using evaluation::IndicatorKind;

struct Indicator {
  std::string id;
  std::string label;
  IndicatorKind kind = IndicatorKind::kOverall;
  bool percent() const { return kind == IndicatorKind::kShare || kind == IndicatorKind::kPrevalence; }
};

// Footnotes of one section: a suppressed or missing value shows "–" with a
// number that points to its reason.
class Notes {
 public:
  int Add(const std::string& reason) {
    for (std::size_t i = 0; i < reasons_.size(); ++i) {
      if (reasons_[i] == reason) return static_cast<int>(i) + 1;
    }
    reasons_.push_back(reason);
    return static_cast<int>(reasons_.size());
  }
  bool empty() const { return reasons_.empty(); }
  std::string Html() const {
    if (reasons_.empty()) return "";
    std::string out = "<ol class=\"notes\">";
    for (const std::string& r : reasons_) out += "<li>" + EscapeHtml(r) + "</li>";
    return out + "</ol>";
  }

 private:
  std::vector<std::string> reasons_;
};

class Renderer {
 public:
  Renderer(const EvaluationResult& r, const ReportOptions& o, std::map<std::string, std::string> texts)
      : r_(r), o_(o), lang_(o.lang), texts_(std::move(texts)) {
    to_ = T("to");
    for (const Cell& c : r_.cells) {
      cells_[{c.series, c.wave, c.area}] = &c;
      if (std::find(series_.begin(), series_.end(), c.series) == series_.end()) series_.push_back(c.series);
      if (role_.find(c.area) == role_.end()) role_[c.area] = c.role;
      for (const Estimate& e : c.estimates) {
        if (std::none_of(indicators_.begin(), indicators_.end(), [&](const Indicator& i) { return i.id == e.id; })) {
          indicators_.push_back({e.id, e.label, e.kind});
        }
      }
    }
    primary_ = r_.pooled_channels ? "all" : "invited";
    if (std::find(series_.begin(), series_.end(), primary_) == series_.end() && !series_.empty()) {
      primary_ = series_.front();
    }
    // Areas: pilot first, then comparison, each in the result's order.
    for (const char* role : {"pilot", "comparison"}) {
      for (const std::string& a : r_.areas) {
        if (RoleOf(a) == role) areas_.push_back(a);
      }
    }
    for (const std::string& a : r_.areas) {
      if (std::find(areas_.begin(), areas_.end(), a) == areas_.end()) areas_.push_back(a);
    }
    for (const Cell& c : r_.cells) {
      if (std::find(areas_.begin(), areas_.end(), c.area) == areas_.end()) areas_.push_back(c.area);
    }
    for (const Indicator& i : indicators_) {
      if (i.kind == IndicatorKind::kOverall && overall_.empty()) overall_ = i.id;
    }
    for (std::size_t i = 0; i < r_.areas.size() || i < areas_.size(); ++i) {
      const std::string& a = i < areas_.size() ? areas_[i] : r_.areas[i];
      if (colors_.find(a) != colors_.end()) continue;
      if (RoleOf(a) == "pilot") {
        colors_[a] = pilot_colors_used_++ == 0 ? kOkabeIto[5] : kOkabeIto[2];
      } else {
        static const char* const kComparison[] = {kOkabeIto[1], kOkabeIto[3], kOkabeIto[7],
                                                  kOkabeIto[6], kOkabeIto[0]};
        colors_[a] = kComparison[comparison_colors_used_++ % 5];
      }
    }
  }

  core::Result<std::string> Render() {
    std::string body;
    body += Resume();
    body += Data();
    body += IndexSection();
    body += SharesSection();
    body += ItemsSection();
    body += GroupsSection();
    body += PlacesSection();
    body += CrimeSection();
    body += Appendix();
    if (!status_.ok()) return status_;

    const std::string title =
        o_.title.empty() ? Fill("report_title", {{"study", EscapeHtml(r_.study)}}) : EscapeHtml(o_.title);
    const std::string plain_title = o_.title.empty() ? T("report_title_plain") + " " + r_.study : o_.title;
    std::string waves;
    if (!r_.waves.empty()) waves = EscapeHtml(r_.waves.front()) + " – " + EscapeHtml(r_.waves.back());
    core::Result<std::string> page =
        FillTemplate(internal::EmbeddedText("page.html"),
                     {{"lang", lang_ == Language::kDanish ? "da" : "en"},
                      {"title", title},
                      {"css", std::string(internal::EmbeddedText("style.css")) + std::string(ChartCss())},
                      {"running_header", EscapeCssString(plain_title)},
                      {"page_word", EscapeCssString(T("page"))},
                      {"subtitle", Fill("subtitle", {{"waves", waves}, {"areas", AreaList()}})},
                      {"contents", Contents()},
                      {"body", body}});
    if (!page.ok()) return core::Internal("reports/page.html: " + page.status().message());
    if (!status_.ok()) return status_;
    return *page;
  }

 private:
  // --- texts -----------------------------------------------------------------

  std::string T(const std::string& key) {
    const auto it = texts_.find(key);
    if (it == texts_.end()) {
      if (status_.ok()) status_ = core::Internal("the report texts have no key \"" + key + "\"");
      return key;
    }
    return it->second;
  }

  std::string Fill(const std::string& key, const std::map<std::string, std::string>& values) {
    core::Result<std::string> s = FillTemplate(T(key), values);
    if (!s.ok()) {
      if (status_.ok()) status_ = core::Internal("report text \"" + key + "\": " + s.status().message());
      return "";
    }
    return *s;
  }

  std::string E(const std::string& s) const { return EscapeHtml(s); }

  // --- lookups ---------------------------------------------------------------

  std::string RoleOf(const std::string& area) const {
    const auto it = role_.find(area);
    return it == role_.end() ? "" : it->second;
  }

  const Cell* CellOf(const std::string& series, const std::string& wave, const std::string& area) const {
    const auto it = cells_.find({series, wave, area});
    return it == cells_.end() ? nullptr : it->second;
  }

  static const Estimate* EstimateOf(const Cell* c, const std::string& id) {
    if (!c) return nullptr;
    for (const Estimate& e : c->estimates) {
      if (e.id == id) return &e;
    }
    return nullptr;
  }

  const Indicator* IndicatorOf(const std::string& id) const {
    for (const Indicator& i : indicators_) {
      if (i.id == id) return &i;
    }
    return nullptr;
  }

  std::string Label(const std::string& id) const {
    const Indicator* i = IndicatorOf(id);
    return i ? i->label : id;
  }

  std::string AreaList() const {
    std::string out;
    for (std::size_t i = 0; i < areas_.size(); ++i) out += (i ? ", " : "") + E(areas_[i]);
    return out;
  }

  std::string SeriesName(const std::string& series) {
    const auto it = texts_.find("series_" + series);
    return it == texts_.end() ? series : it->second;
  }

  std::string RoleName(const std::string& role) {
    const auto it = texts_.find("role_" + role);
    return it == texts_.end() ? role : it->second;
  }

  // --- numbers ---------------------------------------------------------------

  // A value of `ind` on its display scale: points with `d` decimals, shares
  // as percent.
  std::string V(std::optional<double> x, const Indicator* ind, int d) const {
    if (ind && ind->percent()) return FormatPercentNumber(x, d, lang_);
    return FormatDecimal(x, d, lang_);
  }

  std::string Unit(const Indicator* ind) {
    return ind && ind->percent() ? T("unit_pp") : T("unit_points");
  }

  std::string Interval(std::optional<double> lo, std::optional<double> hi, const Indicator* ind, int d) {
    if (!lo || !hi) return kDash;
    return V(lo, ind, d) + " " + to_ + " " + V(hi, ind, d);
  }

  // "–" with a footnote for a value that is not shown.
  std::string Dash(Notes& notes, const std::string& reason) {
    if (reason.empty()) return std::string("<span class=\"supp\">") + kDash + "</span>";
    return std::string("<span class=\"supp\">") + kDash + "</span><sup>" + std::to_string(notes.Add(reason)) +
           "</sup>";
  }

  std::string Reason(const Estimate& e) {
    if (e.suppressed) return e.suppression.empty() ? T("too_few") : e.suppression;
    return e.note;
  }

  // A table cell with an estimate and its interval, or a dash with the reason.
  std::string EstimateTd(const Estimate* e, const Indicator* ind, Notes& notes, const Cell* cell) {
    if (!e) {
      if (cell && cell->suppressed) return "<td>" + Dash(notes, cell->suppression) + "</td>";
      if (cell && !cell->note.empty()) return "<td>" + Dash(notes, cell->note) + "</td>";
      return "<td>" + Dash(notes, "") + "</td>";
    }
    if (e->suppressed || !e->estimate) return "<td>" + Dash(notes, Reason(*e)) + "</td>";
    std::string s = "<td class=\"num\">" + V(e->estimate, ind, 1) + " <span class=\"ci\">(" +
                    Interval(e->ci_lower, e->ci_upper, ind, 1) + ")</span>";
    if (e->small_base) s += "<sup>" + std::to_string(notes.Add(e->caution.empty() ? T("small_base") : e->caution)) + "</sup>";
    return s + "</td>";
  }

  ChartPoint Point(const Estimate* e, double scale) const {
    ChartPoint p;
    if (!e || e->suppressed || !e->estimate) return p;
    p.value = *e->estimate * scale;
    if (e->ci_lower && e->ci_upper) {
      p.lower = *e->ci_lower * scale;
      p.upper = *e->ci_upper * scale;
    }
    return p;
  }

  // --- structure -------------------------------------------------------------

  std::string Section(const std::string& id, const std::string& title, const std::string& content) {
    toc_.emplace_back(id, title);
    const bool short_section = content.rfind("<p class=\"na\">", 0) == 0 && content.size() < 200;
    return "<section id=\"" + id + "\"" + (short_section ? " class=\"short\"" : "") + "><h2>" + title + "</h2>" + content + "</section>\n";
  }

  std::string Contents() {
    std::string out = "<nav class=\"toc\"><h2>" + T("contents") + "</h2><ol>";
    for (const auto& [id, title] : toc_) out += "<li><a href=\"#" + id + "\">" + title + "</a></li>";
    return out + "</ol></nav>";
  }

  // A chart with its caption and the table of its numbers.
  std::string Figure(const std::string& svg, const std::string& caption, const std::string& table,
                     const std::string& cls = "") {
    ++figures_;
    return "<figure class=\"chart-figure" + (cls.empty() ? "" : " " + cls) + "\">" + svg + "<figcaption>" +
           Fill("figure", {{"n", std::to_string(figures_)}}) + " " + caption + "</figcaption>" +
           "<details class=\"chart-table\" open><summary>" + T("numbers_of_chart") + "</summary>" + table +
           "</details></figure>";
  }

  // --- 1 Resumé ---------------------------------------------------------------

  // The latest later wave with a baseline change of `indicator` in `area`.
  const Change* LatestBaselineChange(const std::string& area, const std::string& indicator) const {
    const Change* best = nullptr;
    std::size_t best_index = 0;
    for (const Change& c : r_.changes) {
      if (c.series != primary_ || c.area != area || c.indicator != indicator || c.comparison != "baseline") continue;
      const auto it = std::find(r_.waves.begin(), r_.waves.end(), c.to_wave);
      const std::size_t index = static_cast<std::size_t>(it - r_.waves.begin());
      if (!best || index > best_index) {
        best = &c;
        best_index = index;
      }
    }
    return best;
  }

  std::string VerdictKey(const std::string& verdict, bool significant, bool computable) const {
    if (verdict == "statistisk signifikant") return "sig";
    if (verdict == "ikke statistisk signifikant") return "notsig";
    if (verdict.empty() && computable) return significant ? "sig" : "notsig";
    return "na";
  }

  // The one-sentence summary of an indicator's change in an area.
  std::string ChangeSentence(const std::string& area, const Indicator& ind, Notes& notes) {
    const Change* c = LatestBaselineChange(area, ind.id);
    if (!c) return Fill("sentence_no_change", {{"area", E(area)}, {"indicator", E(ind.label)}});
    const Estimate* from = EstimateOf(CellOf(primary_, c->from_wave, area), ind.id);
    const Estimate* to = EstimateOf(CellOf(primary_, c->to_wave, area), ind.id);
    const bool hidden = c->suppressed || !from || !to || from->suppressed || to->suppressed || !from->estimate ||
                        !to->estimate;
    if (hidden) {
      std::string reason = c->suppressed ? c->suppression : (from && from->suppressed ? from->suppression
                                                            : to && to->suppressed   ? to->suppression
                                                                                     : c->note);
      return Fill("sentence_hidden", {{"area", E(area)},
                                      {"indicator", E(ind.label)},
                                      {"wave", E(c->to_wave)},
                                      {"dash", Dash(notes, reason)}});
    }
    const int d = 0;
    const std::string a = V(from->estimate, &ind, d), b = V(to->estimate, &ind, d);
    const double ra = std::round(*from->estimate * (ind.percent() ? 100 : 1));
    const double rb = std::round(*to->estimate * (ind.percent() ? 100 : 1));
    const std::string direction = rb > ra ? "up" : (rb < ra ? "down" : "same");
    std::map<std::string, std::string> v = {
        {"area", E(area)},       {"indicator", E(ind.label)}, {"from", a},
        {"to", b},               {"unit", Unit(&ind)},        {"ci", ConfidenceIntervalName(r_.level, lang_)},
        {"lo", V(c->ci_lower, &ind, d)}, {"hi", V(c->ci_upper, &ind, d)},
        {"from_wave", E(c->from_wave)},  {"to_wave", E(c->to_wave)}};
    std::string s = Fill("sentence_" + direction, v);
    if (c->ci_lower && c->ci_upper) s += " " + Fill("sentence_interval", v);
    const std::string key = VerdictKey(c->verdict, c->significant, c->p.has_value());
    s += ". " + T("verdict_" + direction + "_" + key);
    return s;
  }

  std::string Resume() {
    Notes notes;
    std::string out;
    if (r_.cells.empty() || overall_.empty()) {
      return Section("resume", T("s1_title"), "<p class=\"na\">" + T("not_available") + "</p>");
    }
    const Indicator* overall = IndicatorOf(overall_);
    std::string pilot, comparison;
    for (const std::string& area : areas_) {
      const std::string p = "<p class=\"summary\">" + ChangeSentence(area, *overall, notes) + "</p>";
      (RoleOf(area) == "comparison" ? comparison : pilot) += p;
    }
    if (r_.waves.size() > 0) {
      out += "<p class=\"lead\">" +
             Fill("resume_lead", {{"baseline", E(r_.waves.front())}, {"series", E(SeriesName(primary_))}}) + "</p>";
    }
    out += "<h3>" + T("pilot_areas") + "</h3>" + (pilot.empty() ? "<p class=\"na\">" + T("none") + "</p>" : pilot);
    out += "<h3>" + T("comparison_areas") + "</h3>" +
           (comparison.empty() ? "<p class=\"na\">" + T("none") + "</p>" : comparison);
    // Difference-in-differences of the overall index, latest wave.
    out += "<h3>" + T("did_title") + "</h3>";
    const DiD* latest = nullptr;
    std::size_t latest_index = 0;
    for (const DiD& d : r_.did) {
      if (d.series != primary_ || d.indicator != overall_) continue;
      const std::size_t index =
          static_cast<std::size_t>(std::find(r_.waves.begin(), r_.waves.end(), d.wave) - r_.waves.begin());
      if (!latest || index > latest_index) {
        latest = &d;
        latest_index = index;
      }
    }
    if (!latest) {
      out += "<p class=\"na\">" + T("did_none") + "</p>";
    } else if (latest->suppressed || !latest->estimate) {
      out += "<p class=\"summary\">" +
             Fill("did_hidden", {{"wave", E(latest->wave)},
                                 {"dash", Dash(notes, latest->suppressed ? latest->suppression : latest->note)}}) +
             "</p>";
    } else {
      std::map<std::string, std::string> v = {{"baseline", E(latest->baseline_wave)},
                                               {"wave", E(latest->wave)},
                                               {"est", V(latest->estimate, overall, 0)},
                                               {"ci", ConfidenceIntervalName(r_.level, lang_)},
                                               {"lo", V(latest->ci_lower, overall, 0)},
                                               {"hi", V(latest->ci_upper, overall, 0)}};
      out += "<p class=\"summary\">" + Fill("did_sentence", v) + " " +
             T(std::string("did_verdict_") + (latest->p ? (latest->significant ? "sig" : "notsig") : "na")) + "</p>";
      // The regression-adjusted DiD of the same wave, when computed.
      for (const evaluation::AdjustedDiD& a : r_.robustness.adjusted_did) {
        if (a.series != latest->series || a.indicator != overall_ || a.wave != latest->wave || !a.estimate) continue;
        out += "<p class=\"summary\">" +
               Fill("adjusted_did_sentence", {{"covariates", E(a.covariates)},
                                              {"est", V(a.estimate, overall, 0)},
                                              {"ci", ConfidenceIntervalName(r_.level, lang_)},
                                              {"lo", V(a.ci_lower, overall, 0)},
                                              {"hi", V(a.ci_upper, overall, 0)}}) +
               "</p>";
      }
    }
    // Headline shares: baseline against the latest wave.
    std::string rows;
    for (const Indicator& ind : indicators_) {
      if (!ind.percent()) continue;
      for (const std::string& area : areas_) {
        const Change* c = LatestBaselineChange(area, ind.id);
        const std::string wave = c ? c->to_wave : "";
        rows += std::string("<tr>") +
                (area == areas_.front() ? "<th scope=\"row\" rowspan=\"" + std::to_string(areas_.size()) + "\">" +
                                              E(ind.label) + "</th>"
                                        : "") +
                "<td>" + E(area) + "</td>" +
                EstimateTd(EstimateOf(CellOf(primary_, r_.waves.empty() ? "" : r_.waves.front(), area), ind.id), &ind,
                           notes, CellOf(primary_, r_.waves.empty() ? "" : r_.waves.front(), area)) +
                (c ? EstimateTd(EstimateOf(CellOf(primary_, wave, area), ind.id), &ind, notes,
                                CellOf(primary_, wave, area))
                   : "<td>" + Dash(notes, "") + "</td>") +
                "<td>" + E(wave) + "</td>" + ChangeTds(c, &ind, notes) + "</tr>";
      }
    }
    if (!rows.empty()) {
      out += "<h3>" + T("headline_shares") + "</h3><table class=\"data\"><caption>" +
             Fill("headline_caption", {{"ci", ConfidenceIntervalName(r_.level, lang_)}}) +
             "</caption><thead><tr><th scope=\"col\">" + T("indicator") + "</th><th scope=\"col\">" + T("area") +
             "</th><th scope=\"col\">" + T("baseline_percent") + "</th><th scope=\"col\">" + T("latest_percent") +
             "</th><th scope=\"col\">" + T("wave") + "</th><th scope=\"col\">" + T("change_pp") +
             "</th><th scope=\"col\">" + T("verdict") + "</th></tr></thead><tbody>" + rows + "</tbody></table>";
    }
    return Section("resume", T("s1_title"), out + notes.Html());
  }

  std::string VerdictText(const Change& c) {
    return T("verdict_" + VerdictKey(c.verdict, c.significant, c.p.has_value()));
  }

  // Two cells: the change with its interval, and the verdict.
  std::string ChangeTds(const Change* c, const Indicator* ind, Notes& notes) {
    if (!c) return "<td>" + Dash(notes, "") + "</td><td></td>";
    if (c->suppressed || !c->difference) {
      return "<td>" + Dash(notes, c->suppressed ? c->suppression : c->note) + "</td><td>" + VerdictText(*c) + "</td>";
    }
    return "<td class=\"num\">" + V(c->difference, ind, 1) + " <span class=\"ci\">(" +
           Interval(c->ci_lower, c->ci_upper, ind, 1) + ")</span></td><td>" + VerdictText(*c) + "</td>";
  }

  // --- 2 Data ------------------------------------------------------------------

  std::string Data() {
    Notes notes;
    std::string out;
    // Respondents per wave × area × series.
    std::string head = "<tr><th scope=\"col\">" + T("wave") + "</th>";
    std::vector<std::pair<std::string, std::string>> cols;
    for (const std::string& s : series_) {
      for (const std::string& a : areas_) {
        bool any = false;
        for (const std::string& w : r_.waves) any = any || CellOf(s, w, a);
        if (any) cols.emplace_back(s, a);
      }
    }
    for (const auto& [s, a] : cols) {
      head += "<th scope=\"col\">" + E(a) + "<br><span class=\"sub\">" + E(SeriesName(s)) + "</span></th>";
    }
    head += "</tr>";
    std::string body;
    for (const std::string& w : r_.waves) {
      body += "<tr><th scope=\"row\">" + E(w) + "</th>";
      for (const auto& [s, a] : cols) {
        const Cell* c = CellOf(s, w, a);
        if (!c) {
          body += "<td>" + Dash(notes, "") + "</td>";
        } else {
          body += "<td class=\"num\">" + FormatCount(c->respondents, lang_) +
                  (c->suppressed ? "<sup>" + std::to_string(notes.Add(c->suppression)) + "</sup>" : "") + "</td>";
        }
      }
      body += "</tr>";
    }
    out += "<table class=\"data\"><caption>" + T("respondents_caption") + "</caption><thead>" + head +
           "</thead><tbody>" + body + "</tbody></table>";
    // Responses per channel, when counted.
    out += "<h3>" + T("responses_by_channel") + "</h3>";
    std::string rows;
    for (const evaluation::ResponseCount& rc : r_.response_counts) {
      if (!rc.day.empty()) continue;
      rows += "<tr><td>" + E(rc.wave) + "</td><td>" + E(rc.area) + "</td><td>" + E(SeriesName(rc.channel)) +
              "</td><td class=\"num\">" + FormatCount(rc.count, lang_) + "</td></tr>";
    }
    out += rows.empty() ? "<p class=\"na\">" + T("not_available") + "</p>"
                        : "<table class=\"data\"><thead><tr><th>" + T("wave") + "</th><th>" + T("area") + "</th><th>" +
                              T("channel") + "</th><th>" + T("responses") + "</th></tr></thead><tbody>" + rows +
                              "</tbody></table>";
    // Response rates.
    out += "<h3>" + T("response_rates") + "</h3>";
    rows.clear();
    for (const evaluation::ResponseRates& rr : r_.response_rates) {
      rows += "<tr><td>" + E(rr.wave) + "</td><td>" + E(rr.area) + "</td><td class=\"num\">" +
              FormatCount(rr.invitations, lang_) + "</td><td class=\"num\">" + FormatCount(rr.complete, lang_) +
              "</td><td class=\"num\">" + FormatCount(rr.partial, lang_) + "</td><td class=\"num\">" +
              FormatPercent(rr.rr1, 1, lang_) + "</td><td class=\"num\">" + FormatPercent(rr.rr2, 1, lang_) +
              "</td><td class=\"num\">" + FormatPercent(rr.coop1, 1, lang_) + "</td><td>" + E(rr.note) + "</td></tr>";
    }
    out += rows.empty() ? "<p class=\"na\">" + T("not_available") + "</p>"
                        : "<table class=\"data\"><caption>" + T("response_rates_caption") +
                              "</caption><thead><tr><th>" + T("wave") + "</th><th>" + T("area") + "</th><th>" +
                              T("invitations") + "</th><th>" + T("complete") + "</th><th>" + T("partial") +
                              "</th><th>RR1</th><th>RR2</th><th>COOP1</th><th>" + T("note") +
                              "</th></tr></thead><tbody>" + rows + "</tbody></table>";
    // Weighting.
    out += "<h3>" + T("weighting") + "</h3>";
    if (r_.weighting.empty()) {
      out += "<p class=\"na\">" + (r_.weighted ? T("not_available") : T("unweighted")) + "</p>";
    }
    for (const evaluation::WeightingNote& w : r_.weighting) {
      out += "<p><strong>" + E(SeriesName(w.series)) + ":</strong> " + E(w.method) + ". " +
             Fill("trimmed", {{"n", FormatCount(w.trimmed, lang_)}}) + "</p>";
      if (!w.notes.empty()) {
        out += "<ul class=\"small\">";
        for (const std::string& n : w.notes) out += "<li>" + E(n) + "</li>";
        out += "</ul>";
      }
    }
    out += Margins(notes);
    return Section("data", T("s2_title"), out + notes.Html());
  }

  // The sample against the population margins before and after weighting:
  // one table per margin variable, rows area × wave × level (primary series).
  std::string Margins(Notes& notes) {
    std::vector<std::string> names;
    for (const Cell& c : r_.cells) {
      if (c.series != primary_) continue;
      for (const evaluation::MarginShare& m : c.margins) {
        if (std::find(names.begin(), names.end(), m.margin) == names.end()) names.push_back(m.margin);
      }
    }
    std::string out = "<h3>" + T("margins_title") + "</h3>";
    if (names.empty()) return out + "<p class=\"na\">" + T("margins_not_available") + "</p>";
    out += "<p>" + T(r_.weighted ? "margins_intro" : "margins_intro_unweighted") + "</p>";
    for (const std::string& name : names) {
      std::string label = name;
      for (const Cell& c : r_.cells) {
        for (const evaluation::GroupVariable& g : c.groups) {
          if (g.variable == name && !g.label.empty()) label = g.label;
        }
      }
      std::string body;
      for (const std::string& area : areas_) {
        for (const std::string& w : r_.waves) {
          const Cell* c = CellOf(primary_, w, area);
          if (!c) continue;
          for (const evaluation::MarginShare& m : c->margins) {
            if (m.margin != name) continue;
            const bool suppressed = m.suppressed || !m.sample;
            body += "<tr><td>" + E(area) + "</td><td>" + E(w) + "</td><td>" +
                    E(m.level.empty() ? T("not_stated") : m.label) + "</td><td class=\"num\">" +
                    FormatPercentNumber(m.population_share, 1, lang_) + "</td>" +
                    (suppressed ? "<td>" + Dash(notes, m.suppression.empty() ? T("too_few") : m.suppression) +
                                      "</td><td>" + kDash + "</td>"
                                : "<td class=\"num\">" + FormatCount(*m.sample, lang_) + "</td><td class=\"num\">" +
                                      FormatPercentNumber(m.sample_share, 1, lang_) + "</td>") +
                    "<td class=\"num\">" + FormatPercentNumber(m.weighted_share, 1, lang_) + "</td></tr>";
          }
        }
      }
      if (body.empty()) continue;
      out += "<table class=\"data margins\"><caption>" +
             Fill("margins_caption", {{"variable", E(label)}, {"series", E(SeriesName(primary_))}}) +
             "</caption><thead><tr><th scope=\"col\">" + T("area") + "</th><th scope=\"col\">" + T("wave") +
             "</th><th scope=\"col\">" + T("level") + "</th><th scope=\"col\">" + T("population_share") +
             "</th><th scope=\"col\">n</th><th scope=\"col\">" + T("sample_share") + "</th><th scope=\"col\">" +
             T("weighted_share") + "</th></tr></thead><tbody>" + body + "</tbody></table>";
    }
    return out;
  }

  // --- 3 Index over waves ------------------------------------------------------

  // A table of one indicator over waves for several (series, area) lines,
  // one row per line and wave (narrow enough for a chart beside another).
  std::string OverWavesTable(const Indicator& ind, const std::vector<std::pair<std::string, std::string>>& lines,
                             Notes& notes) {
    std::string out = "<table class=\"data\"><thead><tr><th scope=\"col\">" + T("area") + "</th><th scope=\"col\">" +
                      T("wave") + "</th><th scope=\"col\">" + T("estimate_ci") + (ind.percent() ? " (%)" : "") +
                      "</th><th scope=\"col\">n</th></tr></thead><tbody>";
    for (const auto& [s, a] : lines) {
      for (const std::string& w : r_.waves) {
        const Cell* c = CellOf(s, w, a);
        const Estimate* e = EstimateOf(c, ind.id);
        out += "<tr><td>" + E(a) + (series_.size() > 1 ? " <span class=\"sub\">" + E(SeriesName(s)) + "</span>" : "") +
               "</td><td>" + E(w) + "</td>" + EstimateTd(e, &ind, notes, c) + "<td class=\"num\">" +
               (e ? FormatCount(e->n, lang_) : kDash) + "</td></tr>";
      }
    }
    return out + "</tbody></table>";
  }

  ChartLine Line(const std::string& series, const std::string& area, const Indicator& ind, bool label_series) {
    ChartLine line;
    line.label = label_series ? SeriesName(series) : area;
    line.color = series == primary_ ? colors_[area] : kOkabeIto[0];
    line.dashed = series != primary_;
    for (const std::string& w : r_.waves) line.points.push_back(Point(EstimateOf(CellOf(series, w, area), ind.id), ind.percent() ? 100 : 1));
    return line;
  }

  LineChart BaseChart(const Indicator& ind) const {
    LineChart chart;
    chart.x_labels = r_.waves;
    chart.lang = lang_;
    if (ind.percent()) chart.tick_suffix = lang_ == Language::kDanish ? "\u00a0%" : "%";
    return chart;
  }

  std::string IndexSection() {
    Notes notes;
    std::string out;
    const Indicator* overall = IndicatorOf(overall_);
    if (!overall) return Section("index", T("s3_title"), "<p class=\"na\">" + T("not_available") + "</p>");
    out += "<p>" + Fill("s3_intro", {{"ci", ConfidenceIntervalName(r_.level, lang_)}}) + "</p>";
    for (const char* role : {"pilot", "comparison"}) {
      std::string grid;
      for (const std::string& area : areas_) {
        if (RoleOf(area) != role) continue;
        LineChart chart = BaseChart(*overall);
        std::vector<std::pair<std::string, std::string>> lines;
        for (const std::string& s : series_) {
          bool any = false;
          for (const std::string& w : r_.waves) any = any || EstimateOf(CellOf(s, w, area), overall->id);
          if (!any) continue;
          chart.lines.push_back(Line(s, area, *overall, true));
          lines.emplace_back(s, area);
        }
        if (lines.empty()) continue;
        chart.aria_label = overall->label + ", " + area;
        grid += Figure(LineChartSvg(chart),
                       Fill("index_caption", {{"indicator", E(overall->label)},
                                              {"area", E(area)},
                                              {"role", E(RoleName(role))},
                                              {"ci", ConfidenceIntervalName(r_.level, lang_)}}),
                       OverWavesTable(*overall, lines, notes), "half");
      }
      if (!grid.empty()) out += "<h3>" + T(std::string(role) + "_areas") + "</h3><div class=\"grid\">" + grid + "</div>";
    }
    // Sub-indices as small multiples.
    std::string grid;
    for (const Indicator& ind : indicators_) {
      if (ind.kind != IndicatorKind::kSubIndex) continue;
      grid += SmallMultiple(ind, notes);
    }
    out += "<h3>" + T("subindices") + "</h3>" +
           (grid.empty() ? "<p class=\"na\">" + T("not_available") + "</p>" : "<div class=\"grid\">" + grid + "</div>");
    return Section("index", T("s3_title"), out + notes.Html());
  }

  // One indicator over waves, a line per area (primary series).
  std::string SmallMultiple(const Indicator& ind, Notes& notes) {
    LineChart chart = BaseChart(ind);
    std::vector<std::pair<std::string, std::string>> lines;
    for (const std::string& area : areas_) {
      bool any = false;
      for (const std::string& w : r_.waves) any = any || EstimateOf(CellOf(primary_, w, area), ind.id);
      if (!any) continue;
      chart.lines.push_back(Line(primary_, area, ind, false));
      lines.emplace_back(primary_, area);
    }
    if (lines.empty()) return "";
    if (ind.percent()) {
      chart.y_step = 10;
      chart.y_ceiling = 100;
    }
    chart.aria_label = ind.label;
    return Figure(LineChartSvg(chart),
                  Fill(ind.percent() ? "share_caption" : "subindex_caption",
                       {{"indicator", E(ind.label)}, {"ci", ConfidenceIntervalName(r_.level, lang_)},
                        {"series", E(SeriesName(primary_))}}),
                  OverWavesTable(ind, lines, notes), "half");
  }

  // --- 4 Shares ------------------------------------------------------------------

  std::string SharesSection() {
    Notes notes;
    std::string grid;
    for (const Indicator& ind : indicators_) {
      if (ind.percent()) grid += SmallMultiple(ind, notes);
    }
    if (grid.empty()) return Section("shares", T("s4_title"), "<p class=\"na\">" + T("not_available") + "</p>");
    return Section("shares", T("s4_title"),
                   "<p>" + Fill("s4_intro", {{"ci", ConfidenceIntervalName(r_.level, lang_)}}) +
                       "</p><div class=\"grid\">" + grid + "</div>" + notes.Html());
  }

  // --- 5 Items -------------------------------------------------------------------

  std::string ItemsSection() {
    Notes notes;
    std::string out = ItemFigures(primary_, notes);
    // Kiosk, open-link and imported answers: their own charts, apart from
    // the probability sample and labelled as not a random sample.
    for (const std::string& s : series_) {
      if (s == primary_) continue;
      const std::string figures = ItemFigures(s, notes);
      if (figures.empty()) continue;
      out += "<h3>" + Fill("items_nonprob_title", {{"series", E(SeriesName(s))}}) + "</h3><p class=\"caveat\">" +
             T("items_nonprob_caveat") + "</p>" + figures;
    }
    if (out.empty()) return Section("items", T("s5_title"), "<p class=\"na\">" + T("not_available") + "</p>");
    return Section("items", T("s5_title"), "<p>" + T("s5_intro") + "</p>" + out + notes.Html());
  }

  // The diverging bars of every item of one series ("" when it has no
  // answer distributions).
  std::string ItemFigures(const std::string& series, Notes& notes) {
    const bool probability = series == primary_;
    // Items in first-seen order, with their text and substantive categories.
    struct Item {
      std::string id, text;
      std::vector<std::pair<std::int64_t, std::string>> categories;  // substantive, in order
      std::vector<std::pair<std::int64_t, std::string>> other;       // non-substantive
    };
    std::vector<Item> items;
    for (const Cell& c : r_.cells) {
      if (c.series != series) continue;
      for (const evaluation::ItemDistribution& d : c.distributions) {
        auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == d.item; });
        if (it == items.end()) {
          items.push_back({d.item, d.text, {}, {}});
          it = items.end() - 1;
        }
        for (const evaluation::AnswerCategory& a : d.categories) {
          auto& list = a.non_substantive ? it->other : it->categories;
          if (std::none_of(list.begin(), list.end(), [&](const auto& p) { return p.first == a.code; })) {
            list.emplace_back(a.code, a.label);
          }
        }
      }
    }
    std::string out;
    for (Item& item : items) {
      std::sort(item.categories.begin(), item.categories.end());
      DivergingChart chart;
      chart.lang = lang_;
      chart.aria_label = item.id + ": " + item.text;
      for (const auto& [code, label] : item.categories) chart.categories.push_back(label);
      std::string head = "<tr><th scope=\"col\">" + T("area") + "</th><th scope=\"col\">" + T("wave") + "</th>";
      for (const auto& [code, label] : item.categories) head += "<th scope=\"col\">" + E(label) + "</th>";
      for (const auto& [code, label] : item.other) head += "<th scope=\"col\">" + E(label) + "</th>";
      head += "<th scope=\"col\">n</th></tr>";
      std::string body;
      for (const std::string& area : areas_) {
        for (const std::string& w : r_.waves) {
          const Cell* c = CellOf(series, w, area);
          if (!c || c->respondents == 0) continue;
          const evaluation::ItemDistribution* d = nullptr;
          for (const evaluation::ItemDistribution& x : c->distributions) {
            if (x.item == item.id) d = &x;
          }
          body += "<tr><td>" + E(area) + "</td><td>" + E(w) + "</td>";
          if (!d) {
            body += "<td colspan=\"" + std::to_string(item.categories.size() + item.other.size() + 1) + "\">" +
                    Dash(notes, c->suppressed ? c->suppression : c->note) + "</td></tr>";
            continue;
          }
          DivergingRow row;
          row.label = area + ", " + w;
          auto ShareOf = [&](std::int64_t code) -> std::optional<double> {
            for (const evaluation::AnswerCategory& a : d->categories) {
              if (a.code == code) return a.share;
            }
            return std::nullopt;
          };
          for (const auto& [code, label] : item.categories) {
            const std::optional<double> s = ShareOf(code);
            row.shares.push_back(s.value_or(0));
            body += "<td class=\"num\">" + FormatPercentNumber(s, 1, lang_) + "</td>";
          }
          for (const auto& [code, label] : item.other) body += "<td class=\"num\">" + FormatPercentNumber(ShareOf(code), 1, lang_) + "</td>";
          body += "<td class=\"num\">" + FormatCount(d->answered, lang_) + "</td></tr>";
          chart.rows.push_back(row);
        }
      }
      if (chart.rows.empty()) continue;
      out += Figure(DivergingChartSvg(chart),
                    Fill(probability ? "item_caption" : "item_caption_nonprob",
                         {{"item", E(item.id)}, {"text", E(item.text)}, {"series", E(SeriesName(series))}}),
                    "<table class=\"data\"><thead>" + head + "</thead><tbody>" + body + "</tbody></table>");
    }
    return out;
  }

  // --- 6 Groups ------------------------------------------------------------------

  std::string GroupsSection() {
    Notes notes;
    // Variables in first-seen order.
    std::vector<std::pair<std::string, std::string>> variables;
    for (const Cell& c : r_.cells) {
      if (c.series != primary_) continue;
      for (const evaluation::GroupVariable& g : c.groups) {
        if (std::none_of(variables.begin(), variables.end(), [&](const auto& v) { return v.first == g.variable; })) {
          variables.emplace_back(g.variable, g.label);
        }
      }
    }
    if (variables.empty() || overall_.empty()) {
      return Section("groups", T("s6_title"), "<p class=\"na\">" + T("not_available") + "</p>");
    }
    const Indicator* overall = IndicatorOf(overall_);
    std::string out = "<p>" + Fill("s6_intro", {{"indicator", E(overall->label)},
                                                {"ci", ConfidenceIntervalName(r_.level, lang_)},
                                                {"min_cell", FormatCount(r_.disclosure.min_cell, lang_)}}) + "</p>";
    for (const auto& [variable, label] : variables) {
      out += "<h3>" + E(label.empty() ? variable : label) + "</h3>";
      for (const std::string& area : areas_) {
        // Levels in first-seen order across the waves of the area.
        std::vector<std::string> levels;
        for (const std::string& w : r_.waves) {
          const Cell* c = CellOf(primary_, w, area);
          if (!c) continue;
          for (const evaluation::GroupVariable& g : c->groups) {
            if (g.variable != variable) continue;
            for (const evaluation::Group& l : g.levels) {
              const std::string name = l.label.empty() ? T("not_stated") : l.label;
              if (std::find(levels.begin(), levels.end(), name) == levels.end()) levels.push_back(name);
            }
          }
        }
        if (levels.empty()) continue;
        std::string table = "<table class=\"data\"><caption>" + E(area) + "</caption><thead><tr><th scope=\"col\">" +
                            E(label.empty() ? variable : label) + "</th>";
        for (const std::string& w : r_.waves) table += "<th scope=\"col\">" + E(w) + "</th>";
        table += "</tr></thead><tbody>";
        for (const std::string& level : levels) {
          table += "<tr><th scope=\"row\">" + E(level) + "</th>";
          for (const std::string& w : r_.waves) {
            const evaluation::Group* found = nullptr;
            if (const Cell* c = CellOf(primary_, w, area)) {
              for (const evaluation::GroupVariable& g : c->groups) {
                if (g.variable != variable) continue;
                for (const evaluation::Group& l : g.levels) {
                  if ((l.label.empty() ? T("not_stated") : l.label) == level) found = &l;
                }
              }
            }
            if (!found) {
              table += "<td>" + Dash(notes, "") + "</td>";
            } else if (found->suppressed) {
              table += "<td>" + Dash(notes, found->suppression) + "</td>";
            } else {
              const Estimate* e = nullptr;
              for (const Estimate& x : found->estimates) {
                if (x.id == overall_) e = &x;
              }
              std::string td = EstimateTd(e, overall, notes, nullptr);
              if (e && !e->suppressed && e->estimate) {
                td.insert(td.size() - 5, " <span class=\"sub\">n\u00a0=\u00a0" + FormatCount(found->respondents, lang_) + "</span>");
              }
              table += td;
            }
          }
          table += "</tr>";
        }
        out += table + "</tbody></table>";
      }
    }
    return Section("groups", T("s6_title"), out + notes.Html());
  }

  // --- 8 Registered crime ----------------------------------------------------------

  std::string CrimeSection() {
    if (!r_.crime || r_.crime->rates.empty()) {
      return Section("crime", T("s8_title"), "<p class=\"na\">" + T("not_available") + "</p>");
    }
    Notes notes;
    const evaluation::CrimeResult& crime = *r_.crime;
    const std::string per = FormatDecimal(crime.per, 0, lang_);
    const std::string ci = ConfidenceIntervalName(crime.level, lang_);
    std::string out = "<p>" + Fill("s8_intro", {{"per", per}, {"source", E(crime.source)}}) + "</p>";
    // The chart: the total over offence groups per area and period.
    LineChart chart;
    chart.x_labels = crime.periods;
    chart.lang = lang_;
    chart.y_floor = 0;
    chart.y_ceiling = 1e12;
    chart.y_step = 5;
    std::vector<std::string> areas;
    for (const evaluation::CrimeRate& x : crime.rates) {
      if (std::find(areas.begin(), areas.end(), x.area) == areas.end()) areas.push_back(x.area);
    }
    for (const std::string& area : areas) {
      ChartLine line;
      line.label = area;
      line.color = colors_.count(area) ? colors_[area] : kOkabeIto[0];
      for (const std::string& period : crime.periods) {
        ChartPoint p;
        for (const evaluation::CrimeRate& x : crime.rates) {
          if (x.area == area && x.period == period && x.offence_group == evaluation::kAllOffences && x.rate) {
            p = {x.rate, x.ci_lower, x.ci_upper};
          }
        }
        line.points.push_back(p);
      }
      chart.lines.push_back(line);
    }
    chart.aria_label = T("s8_title");
    std::string table = "<table class=\"data\"><thead><tr><th>" + T("area") + "</th><th>" + T("period") + "</th><th>" +
                        T("offence_group") + "</th><th>" + T("reports") + "</th><th>" + T("population") + "</th><th>" +
                        Fill("rate_per", {{"per", per}}) + "</th></tr></thead><tbody>";
    for (const evaluation::CrimeRate& x : crime.rates) {
      table += "<tr><td>" + E(x.area) + "</td><td>" + E(x.period) + "</td><td>" + E(x.offence_group) +
               "</td><td class=\"num\">" + FormatCount(x.count, lang_) + "</td><td class=\"num\">" +
               FormatDecimal(x.population, 0, lang_) + "</td>" +
               (x.rate ? "<td class=\"num\">" + FormatDecimal(x.rate, 1, lang_) + " <span class=\"ci\">(" +
                             Interval(x.ci_lower, x.ci_upper, nullptr, 1) + ")</span></td>"
                       : "<td>" + Dash(notes, x.note) + "</td>") +
               "</tr>";
    }
    table += "</tbody></table>";
    out += Figure(LineChartSvg(chart), Fill("crime_caption", {{"per", per}, {"ci", ci}}), table);
    std::string rows;
    for (const evaluation::CrimeChange& c : crime.changes) {
      rows += "<tr><td>" + E(c.area) + "</td><td>" + E(c.offence_group) + "</td><td>" + E(c.from_period) + " \u2192 " +
              E(c.to_period) + "</td><td class=\"num\">" + FormatCount(c.from_count, lang_) + " \u2192 " +
              FormatCount(c.to_count, lang_) + "</td>" +
              (c.ratio ? "<td class=\"num\">" + FormatDecimal(c.ratio, 2, lang_) + " <span class=\"ci\">(" +
                             FormatDecimal(c.ci_lower, 2, lang_) + " " + to_ + " " + FormatDecimal(c.ci_upper, 2, lang_) +
                             ")</span></td>"
                       : "<td>" + Dash(notes, c.note) + "</td>") +
              "<td class=\"num\">" + FormatP(c.p, lang_) + "</td></tr>";
    }
    if (!rows.empty()) {
      out += "<table class=\"data\"><caption>" + Fill("crime_changes_caption", {{"ci", ci}}) + "</caption><thead><tr><th>" +
             T("area") + "</th><th>" + T("offence_group") + "</th><th>" + T("period") + "</th><th>" + T("reports") +
             "</th><th>" + T("rate_ratio") + "</th><th>p</th></tr></thead><tbody>" + rows + "</tbody></table>";
    }
    if (!crime.notes.empty()) {
      out += "<ul class=\"small\">";
      for (const std::string& n : crime.notes) out += "<li>" + E(n) + "</li>";
      out += "</ul>";
    }
    return Section("crime", T("s8_title"), out + notes.Html());
  }

  // --- 7 Places --------------------------------------------------------------------

  // Per place item and area (primary series): the share naming each place,
  // a bar per wave with its interval.
  std::string PlacesSection() {
    Notes notes;
    std::vector<std::pair<std::string, std::string>> items;  // id, text
    for (const Cell& c : r_.cells) {
      if (c.series != primary_) continue;
      for (const evaluation::PlaceShares& p : c.places) {
        if (std::none_of(items.begin(), items.end(), [&](const auto& i) { return i.first == p.item; })) {
          items.emplace_back(p.item, p.text);
        }
      }
    }
    if (items.empty()) {
      return Section("places", T("s7_title"),
                     "<p class=\"na\">" + T(r_.definitions ? "places_not_asked" : "not_available") + "</p>");
    }
    static const char* const kWaveColors[] = {kOkabeIto[5], kOkabeIto[1], kOkabeIto[3],
                                              kOkabeIto[7], kOkabeIto[6], kOkabeIto[2]};
    const std::string ci = ConfidenceIntervalName(r_.level, lang_);
    std::string out = "<p>" + Fill("places_intro", {{"ci", ci}}) + "</p>";
    const Indicator share{"", "", IndicatorKind::kShare};
    for (const auto& [item, text] : items) {
      for (const std::string& area : areas_) {
        // Places in the order of the first cell that has them.
        std::vector<std::pair<std::string, std::string>> places;  // code, label
        for (const std::string& w : r_.waves) {
          const Cell* c = CellOf(primary_, w, area);
          if (!c) continue;
          for (const evaluation::PlaceShares& p : c->places) {
            if (p.item != item) continue;
            for (const Estimate& e : p.places) {
              if (std::none_of(places.begin(), places.end(), [&](const auto& x) { return x.first == e.id; })) {
                places.emplace_back(e.id, e.label);
              }
            }
          }
        }
        if (places.empty()) continue;
        BarChart chart;
        chart.lang = lang_;
        chart.tick_suffix = lang_ == Language::kDanish ? "\u00a0%" : "%";
        chart.aria_label = item + ": " + text + ", " + area;
        std::string body;
        for (const auto& [code, label] : places) {
          for (std::size_t wi = 0; wi < r_.waves.size(); ++wi) {
            const std::string& w = r_.waves[wi];
            const Cell* c = CellOf(primary_, w, area);
            if (!c || c->respondents == 0) continue;
            const evaluation::PlaceShares* ps = nullptr;
            for (const evaluation::PlaceShares& p : c->places) {
              if (p.item == item) ps = &p;
            }
            const Estimate* e = nullptr;
            if (ps) {
              for (const Estimate& x : ps->places) {
                if (x.id == code) e = &x;
              }
            }
            chart.rows.push_back({label, w, kWaveColors[wi % 6], Point(e, 100)});
            body += "<tr><td>" + E(label) + "</td><td>" + E(w) + "</td>" + EstimateTd(e, &share, notes, c) +
                    "<td class=\"num\">" + (ps ? FormatCount(ps->base, lang_) : std::string(kDash)) + "</td></tr>";
          }
        }
        if (chart.rows.empty()) continue;
        const std::string caption = Fill("places_caption", {{"item", E(item)}, {"text", E(text)}, {"area", E(area)},
                                                            {"series", E(SeriesName(primary_))}, {"ci", ci}});
        const std::string head = "<thead><tr><th scope=\"col\">" + T("place") + "</th><th scope=\"col\">" +
                                 T("wave") + "</th><th scope=\"col\">" + T("estimate_ci") +
                                 " (%)</th><th scope=\"col\">" + T("places_base") + "</th></tr></thead>";
        // Every value suppressed: the table with its dashes and reasons, no empty chart.
        if (std::none_of(chart.rows.begin(), chart.rows.end(), [](const BarRow& b) { return b.point.value.has_value(); })) {
          out += "<table class=\"data\"><caption>" + caption + "</caption>" + head + "<tbody>" + body + "</tbody></table>";
          continue;
        }
        out += Figure(BarChartSvg(chart), caption, "<table class=\"data\">" + head + "<tbody>" + body + "</tbody></table>");
      }
    }
    return Section("places", T("s7_title"), out + notes.Html());
  }

  // --- Appendix ------------------------------------------------------------------

  // The questionnaire's index definitions, as the result carries them.
  std::string Definitions() {
    std::string out = "<h3>" + T("defs_title") + "</h3>";
    if (!r_.definitions) return out + "<p class=\"na\">" + T("questionnaire_not_available") + "</p>";
    const evaluation::IndexDefinitions& d = *r_.definitions;
    out += "<p>" + Fill("defs_questionnaire", {{"title", E(d.title)},
                                               {"id", E(d.questionnaire)},
                                               {"version", E(d.version)},
                                               {"hash", E(d.content_hash.substr(0, 12))}}) +
           " " + T("defs_scoring") + "</p>";
    std::string body;
    for (const evaluation::SubIndexDefinition& sub : d.subindices) {
      for (std::size_t i = 0; i < sub.items.size(); ++i) {
        const evaluation::IndexItemDefinition& item = sub.items[i];
        body += "<tr>";
        if (i == 0) {
          body += "<th scope=\"row\" rowspan=\"" + std::to_string(sub.items.size()) + "\">" + E(sub.label) +
                  "<br><span class=\"sub\">" +
                  Fill("defs_min_share", {{"share", FormatPercent(sub.min_share, 0, lang_)}}) + "</span></th>";
        }
        body += "<td>" + E(item.item) + "</td><td>" + E(item.text) + "</td><td>" +
                T(item.reversed ? "defs_higher_worse" : "defs_higher_better") + "</td><td class=\"num\">" +
                FormatDecimal(item.min, 0, lang_) + "–" + FormatDecimal(item.max, 0, lang_) + "</td></tr>";
      }
    }
    if (!body.empty()) {
      out += "<table class=\"data small\"><caption>" + T("defs_subindex_caption") +
             "</caption><thead><tr><th scope=\"col\">" + T("subindex") + "</th><th scope=\"col\">" +
             T("defs_item") + "</th><th scope=\"col\">" + T("defs_question") + "</th><th scope=\"col\">" +
             T("defs_direction") + "</th><th scope=\"col\">" + T("defs_range") + "</th></tr></thead><tbody>" + body +
             "</tbody></table>";
    }
    if (d.overall) {
      std::string weights;
      for (const auto& [id, w] : d.overall->weights) {
        std::string label = id;
        for (const evaluation::SubIndexDefinition& sub : d.subindices) {
          if (sub.id == id) label = sub.label;
        }
        weights += (weights.empty() ? "" : ", ") + E(label) + " " + FormatDecimal(w, 2, lang_);
      }
      out += "<p>" + Fill("defs_overall", {{"label", E(d.overall->label)},
                                           {"weights", weights},
                                           {"min", FormatCount(d.overall->min_subindices, lang_)},
                                           {"count", FormatCount(static_cast<std::int64_t>(d.overall->weights.size()), lang_)}}) +
             "</p>";
    }
    body.clear();
    for (const evaluation::ShareDefinition& sh : d.shares) {
      std::string codes;
      for (std::size_t i = 0; i < sh.codes.size(); ++i) {
        codes += (i ? ", " : "") + std::to_string(sh.codes[i]);
        if (i < sh.code_labels.size() && !sh.code_labels[i].empty()) codes += " «" + E(sh.code_labels[i]) + "»";
      }
      std::string items;
      for (std::size_t i = 0; i < sh.items.size(); ++i) items += (i ? ", " : "") + E(sh.items[i]);
      const std::string key = sh.kind == IndicatorKind::kPrevalence ? "defs_rule_any"
                              : sh.items.size() == 1                 ? "defs_rule_one"
                                                                     : "defs_rule_count";
      body += "<tr><td>" + E(sh.label) + "</td><td>" +
              Fill(key, {{"items", items}, {"codes", codes}, {"min", FormatCount(sh.min_count, lang_)}}) + "</td></tr>";
    }
    if (!body.empty()) {
      out += "<table class=\"data small\"><caption>" + T("defs_shares_caption") + "</caption><thead><tr><th scope=\"col\">" +
             T("indicator") + "</th><th scope=\"col\">" + T("defs_rule") + "</th></tr></thead><tbody>" + body +
             "</tbody></table>";
    }
    if (!d.notes.empty()) {
      out += "<ul class=\"small\">";
      for (const std::string& n : d.notes) out += "<li>" + E(n) + "</li>";
      out += "</ul>";
    }
    return out;
  }

  std::string Appendix() {
    Notes notes;
    std::string out;
    out += "<h3>" + T("methods") + "</h3><ul>";
    out += "<li>" + Fill("method_level", {{"ci", ConfidenceIntervalName(r_.level, lang_)},
                                          {"proportion_method", E(r_.proportion_method)},
                                          {"adjust_method", E(r_.adjust_method)}}) + "</li>";
    out += "<li>" + T(r_.weighted ? "method_weighted" : "method_unweighted") + "</li>";
    out += "<li>" + T(r_.pooled_channels ? "method_pooled" : "method_channels") + "</li>";
    out += "<li>" + Fill("method_disclosure", {{"min_cell", FormatCount(r_.disclosure.min_cell, lang_)},
                                               {"min_base", FormatCount(r_.disclosure.min_base, lang_)}}) + "</li>";
    out += "<li>" + T("method_mdd") + "</li>";
    out += "<li>" + T("method_rounding") + "</li>";
    out += "<li>" + T("method_kiosk") + "</li>";
    out += "</ul>";
    if (!r_.notes.empty()) {
      out += "<h3>" + T("result_notes") + "</h3><ul class=\"small\">";
      for (const std::string& n : r_.notes) out += "<li>" + E(n) + "</li>";
      out += "</ul>";
    }
    out += Definitions();
    // Reliability.
    out += "<h3>" + T("reliability") + "</h3>";
    std::string rows;
    for (const evaluation::ScaleReliability& s : r_.reliability) {
      rows += "<tr><td>" + E(SeriesName(s.series)) + "</td><td>" + E(s.wave) + "</td><td>" +
              E(s.area.empty() ? T("all_areas") : s.area) + "</td><td>" + E(Label(s.subindex)) +
              "</td><td class=\"num\">" + FormatCount(s.n, lang_) + "</td><td class=\"num\">" +
              (s.alpha ? FormatDecimal(s.alpha, 2, lang_) : Dash(notes, s.note)) + "</td><td class=\"num\">" +
              (s.ci_lower && s.ci_upper ? FormatDecimal(s.ci_lower, 2, lang_) + " " + to_ + " " + FormatDecimal(s.ci_upper, 2, lang_)
                                        : std::string(kDash)) + "</td></tr>";
    }
    out += rows.empty() ? "<p class=\"na\">" + T("not_available") + "</p>"
                        : "<table class=\"data\"><caption>" + Fill("reliability_caption", {{"ci", ConfidenceIntervalName(r_.level, lang_)}}) +
                              "</caption><thead><tr><th>" + T("series") + "</th><th>" + T("wave") + "</th><th>" +
                              T("area") + "</th><th>" + T("subindex") + "</th><th>n</th><th>alpha</th><th>" +
                              T("interval") + "</th></tr></thead><tbody>" + rows + "</tbody></table>";
    rows.clear();
    for (const evaluation::AreaReliabilityEstimate& a : r_.area_reliability) {
      std::string lambdas;
      for (const evaluation::AreaLambda& l : a.areas) {
        lambdas += (lambdas.empty() ? "" : "; ") + E(l.area) + ": " + FormatDecimal(l.lambda, 2, lang_);
      }
      rows += "<tr><td>" + E(SeriesName(a.series)) + "</td><td>" + E(a.wave) + "</td><td>" + E(Label(a.indicator)) +
              "</td><td class=\"num\">" + FormatDecimal(a.icc, 3, lang_) + "</td><td>" + lambdas + "</td><td>" +
              E(a.note) + "</td></tr>";
    }
    if (!rows.empty()) {
      out += "<table class=\"data\"><caption>" + T("area_reliability_caption") + "</caption><thead><tr><th>" +
             T("series") + "</th><th>" + T("wave") + "</th><th>" + T("indicator") + "</th><th>ICC</th><th>\u03bb</th><th>" +
             T("note") + "</th></tr></thead><tbody>" + rows + "</tbody></table>";
    }
    // Every estimate.
    out += "<h3>" + T("all_estimates") + "</h3>";
    for (const std::string& s : series_) {
      for (const std::string& area : areas_) {
        std::string body;
        for (const std::string& w : r_.waves) {
          const Cell* c = CellOf(s, w, area);
          if (!c) continue;
          if (c->estimates.empty()) {
            body += "<tr><td>" + E(w) + "</td><td colspan=\"6\">" +
                    Dash(notes, c->suppressed ? c->suppression : c->note) + "</td></tr>";
            continue;
          }
          for (const Estimate& e : c->estimates) {
            const Indicator* ind = IndicatorOf(e.id);
            body += "<tr><td>" + E(w) + "</td><td>" + E(e.label) + (ind && ind->percent() ? " (%)" : "") + "</td>" +
                    EstimateTd(&e, ind, notes, c) + "<td class=\"num\">" +
                    (e.suppressed ? std::string(kDash) : V(e.se, ind, 2)) + "</td><td class=\"num\">" +
                    FormatCount(e.n, lang_) + "</td><td class=\"num\">" +
                    (e.suppressed ? std::string(kDash) : FormatDecimal(e.effective_n, 0, lang_)) +
                    "</td><td class=\"num\">" + FormatCount(e.missing, lang_) + "</td></tr>";
          }
        }
        if (body.empty()) continue;
        out += "<table class=\"data small\"><caption>" + E(area) + ", " + E(SeriesName(s)) +
               "</caption><thead><tr><th>" + T("wave") + "</th><th>" + T("indicator") + "</th><th>" + T("estimate_ci") +
               "</th><th>SE</th><th>n</th><th>" + T("effective_n") + "</th><th>" + T("missing") +
               "</th></tr></thead><tbody>" + body + "</tbody></table>";
      }
    }
    // Every change.
    out += "<h3>" + T("all_changes") + "</h3>";
    std::string body;
    for (const Change& c : r_.changes) {
      const Indicator* ind = IndicatorOf(c.indicator);
      body += "<tr><td>" + E(SeriesName(c.series)) + "</td><td>" + E(c.area) + "</td><td>" + E(Label(c.indicator)) +
              "</td><td>" + E(c.from_wave) + " \u2192 " + E(c.to_wave) + "</td>" + ChangeTds(&c, ind, notes) +
              "<td class=\"num\">" + (c.suppressed ? std::string(kDash) : FormatP(c.p, lang_)) + "</td><td class=\"num\">" +
              (c.suppressed ? std::string(kDash) : FormatP(c.p_adjusted, lang_)) + "</td><td class=\"num\">" +
              (c.suppressed ? std::string(kDash) : V(c.mdd, ind, 1)) + "</td></tr>";
    }
    out += body.empty() ? "<p class=\"na\">" + T("not_available") + "</p>"
                        : "<table class=\"data small\"><caption>" + Fill("changes_caption", {{"ci", ConfidenceIntervalName(r_.level, lang_)}}) +
                              "</caption><thead><tr><th>" + T("series") + "</th><th>" + T("area") + "</th><th>" +
                              T("indicator") + "</th><th>" + T("waves") + "</th><th>" + T("change_ci") + "</th><th>" +
                              T("verdict") + "</th><th>p</th><th>" + T("p_adjusted") + "</th><th>" + T("mdd") +
                              "</th></tr></thead><tbody>" + body + "</tbody></table>";
    // Every DiD.
    out += "<h3>" + T("all_did") + "</h3>";
    body.clear();
    for (const DiD& d : r_.did) {
      const Indicator* ind = IndicatorOf(d.indicator);
      body += "<tr><td>" + E(SeriesName(d.series)) + "</td><td>" + E(Label(d.indicator)) + "</td><td>" +
              E(d.baseline_wave) + " \u2192 " + E(d.wave) + "</td>";
      if (d.suppressed || !d.estimate) {
        body += "<td>" + Dash(notes, d.suppressed ? d.suppression : d.note) + "</td><td>" + kDash + "</td><td>" +
                kDash + "</td></tr>";
      } else {
        body += "<td class=\"num\">" + V(d.estimate, ind, 1) + " <span class=\"ci\">(" +
                Interval(d.ci_lower, d.ci_upper, ind, 1) + ")</span></td><td class=\"num\">" + FormatP(d.p, lang_) +
                "</td><td>" + T(std::string("verdict_") + (d.p ? (d.significant ? "sig" : "notsig") : "na")) +
                "</td></tr>";
      }
    }
    out += body.empty() ? "<p class=\"na\">" + T("did_none") + "</p>"
                        : "<table class=\"data small\"><caption>" + T("did_caption") + "</caption><thead><tr><th>" +
                              T("series") + "</th><th>" + T("indicator") + "</th><th>" + T("waves") + "</th><th>" +
                              T("did_ci") + "</th><th>p</th><th>" + T("verdict") + "</th></tr></thead><tbody>" + body +
                              "</tbody></table>";
    // Robustness: the regression-adjusted DiD and the pre-trend checks.
    out += "<h3>" + T("robustness") + "</h3>";
    body.clear();
    for (const evaluation::AdjustedDiD& a : r_.robustness.adjusted_did) {
      const Indicator* ind = IndicatorOf(a.indicator);
      body += "<tr><td>" + E(SeriesName(a.series)) + "</td><td>" + E(Label(a.indicator)) + "</td><td>" +
              E(a.baseline_wave) + " \u2192 " + E(a.wave) + "</td><td>" + E(a.covariates) + "</td>" +
              (a.estimate ? "<td class=\"num\">" + V(a.estimate, ind, 1) + " <span class=\"ci\">(" +
                                Interval(a.ci_lower, a.ci_upper, ind, 1) + ")</span></td>"
                          : "<td>" + Dash(notes, a.note) + "</td>") +
              "<td class=\"num\">" + FormatP(a.p, lang_) + "</td><td class=\"num\">" + FormatCount(a.n, lang_) +
              "</td></tr>";
    }
    out += body.empty() ? "<p class=\"na\">" + T("not_available") + "</p>"
                        : "<table class=\"data small\"><caption>" + T("adjusted_did_caption") +
                              "</caption><thead><tr><th>" + T("series") + "</th><th>" + T("indicator") + "</th><th>" +
                              T("waves") + "</th><th>" + T("covariates") + "</th><th>" + T("did_ci") +
                              "</th><th>p</th><th>n</th></tr></thead><tbody>" + body + "</tbody></table>";
    for (const evaluation::PreTrendCheck& t : r_.robustness.pre_trends) {
      out += "<p>" + Fill("pre_trend", {{"series", E(SeriesName(t.series))},
                                        {"indicator", E(Label(t.indicator))},
                                        {"f", FormatDecimal(t.f, 2, lang_)},
                                        {"p", FormatP(t.p, lang_)},
                                        {"verdict", E(t.verdict)}}) +
             (t.note.empty() ? "" : " " + E(t.note)) + "</p>";
    }
    if (r_.robustness.pre_trends.empty() && !r_.robustness.adjusted_did.empty()) {
      out += "<p class=\"na\">" + T("pre_trend_none") + "</p>";
    }
    return Section("appendix", T("appendix_title"), out + notes.Html());
  }

  const EvaluationResult& r_;
  const ReportOptions& o_;
  Language lang_;
  std::map<std::string, std::string> texts_;
  core::Status status_;
  std::map<std::tuple<std::string, std::string, std::string>, const Cell*> cells_;
  std::map<std::string, std::string> role_;
  std::map<std::string, std::string> colors_;
  int pilot_colors_used_ = 0;
  int comparison_colors_used_ = 0;
  std::vector<std::string> series_;
  std::vector<std::string> areas_;
  std::vector<Indicator> indicators_;
  std::string primary_;
  std::string to_;  // "til" / "to" between the bounds of an interval
  std::string overall_;
  std::vector<std::pair<std::string, std::string>> toc_;
  int figures_ = 0;
};

}  // namespace

core::Result<std::string> RenderReport(const EvaluationResult& result, const ReportOptions& options) {
  core::Result<std::map<std::string, std::string>> texts = internal::LoadTexts(options.lang);
  if (!texts.ok()) return core::Internal(texts.status().message());
  Renderer renderer(result, options, std::move(*texts));
  return renderer.Render();
}

core::Result<std::string> RenderReportFromJson(std::string_view json, const std::string& source,
                                               const ReportOptions& options) {
  core::Result<EvaluationResult> result = ParseEvaluationJson(json, source);
  if (!result.ok()) return result.status();
  return RenderReport(*result, options);
}

}  // namespace tryghed::report
