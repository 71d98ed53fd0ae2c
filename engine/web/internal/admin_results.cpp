// The admin site's wave page and results (docs/web.md, "Live view" and
// "Results"): responses per day per area and channel (report/live.h),
// completion and AAPOR response rates so far, the forms for invitations and
// dispositions; the evaluation of a study (evaluation::EvaluateStudy, as
// `tryghed evaluate` runs it), its latest report in the browser and as
// HTML/PDF, and the raw-data exports (exchange/export.h).
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "evaluation/dataset.h"
#include "evaluation/evaluate.h"
#include "evaluation/result.h"
#include "exchange/export.h"
#include "report/format.h"
#include "report/live.h"
#include "report/pdf.h"
#include "report/report.h"
#include "web/internal/admin_site.h"

namespace tryghed::web::internal {

using namespace admin;  // NOLINT(google-build-using-namespace): the admin site's own helpers

namespace {

report::Language ReportLanguage(const std::string& lang) {
  return lang == "en" ? report::Language::kEnglish : report::Language::kDanish;
}

// A table cell with a number (right-aligned by the admin style).
std::string TdNumber(const std::string& text) { return "<td class=\"number\">" + EscapeHtml(text) + "</td>"; }

struct ExportKind {
  exchange::ExportFormat format;
  const char* content_type;
};

const std::map<std::string, ExportKind>& ExportKinds() {
  static const std::map<std::string, ExportKind> kinds = {
      {"csv", {exchange::ExportFormat::kCsv, "text/csv; charset=utf-8"}},
      {"sav", {exchange::ExportFormat::kSav, "application/x-spss-sav"}},
      {"dta", {exchange::ExportFormat::kDta, "application/x-stata-dta"}},
      {"xlsx", {exchange::ExportFormat::kXlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}},
  };
  return kinds;
}

}  // namespace

// ---------------------------------------------------------------- the wave page

Reply AdminSite::Impl::Wave(Ctx& c, int status, const std::string& error, const std::string& notice) {
  core::Status failed;
  std::optional<store::Study> study = StudyById(c.ids.at(0), &failed);
  if (!failed.ok()) return Failed(c, failed);
  if (!study) return Message(c, 404, "notfound");
  std::optional<store::Wave> wave = WaveOfStudy(c.ids[0], c.ids.at(1));
  if (!wave) return Message(c, 404, "notfound");
  core::Result<std::vector<store::Area>> areas = db_.ListAreas(study->id);
  if (!areas.ok()) return Failed(c, areas.status());
  core::Result<std::vector<store::DailyResponses>> rows = db_.ResponsesPerDay(wave->id);
  if (!rows.ok()) return Failed(c, rows.status());
  const report::Language rl = ReportLanguage(c.lang);
  const std::string base = "/admin/study/" + std::to_string(study->id);
  const std::string self = base + "/wave/" + std::to_string(wave->id);

  const std::string title = study->name + " – " + wave->label;
  std::string body = "<p><a href=\"" + EscapeHtml(Url(c, base)) + "\">" + EscapeHtml(T(c.lang, "back_to_study")) +
                     "</a></p>\n<h1>" + EscapeHtml(title) + "</h1>\n<p>" +
                     EscapeHtml(Fmt(T(c.lang, "wave_summary"),
                                    {{"status", T(c.lang, std::string("status_") + store::WaveStatusName(wave->status))},
                                     {"from", wave->starts_on.empty() ? T(c.lang, "none") : wave->starts_on},
                                     {"to", wave->ends_on.empty() ? T(c.lang, "none") : wave->ends_on}})) +
                     "</p>\n" + ErrorBox(c.lang, error);
  if (!notice.empty()) body += "<p class=\"notice\" role=\"status\">" + EscapeHtml(notice) + "</p>\n";

  // Live view: responses per day per area and channel. Evaluators only (the
  // route's role): they may download every response anyway, so exact counts
  // tell them nothing new; readers get reports, never daily counts.
  body += "<section aria-labelledby=\"live\">\n<h2 id=\"live\">" + EscapeHtml(T(c.lang, "live_title")) + "</h2>\n<p>" +
          EscapeHtml(T(c.lang, "live_intro")) + "</p>\n";
  report::DailyChartLabels labels;
  for (const store::Area& a : *areas) labels.areas[a.id] = a.name;
  labels.lang = rl;
  if (!rows->empty() && !wave->starts_on.empty() && wave->starts_on <= rows->front().day) {
    labels.first_day = wave->starts_on;
  }
  core::Result<std::string> chart = report::RenderDailyChart(*rows, labels);
  body += chart.ok() ? *chart + "\n" : ErrorBox(c.lang, chart.status().message());

  // Completion and response rates so far, per area.
  struct Totals {
    std::int64_t responses = 0, complete = 0;
  };
  std::map<store::Id, Totals> totals;
  for (const store::DailyResponses& r : *rows) {
    totals[r.area_id].responses += r.responses;
    totals[r.area_id].complete += r.complete;
  }
  std::string completion, rates;
  for (const store::Area& a : *areas) {
    const Totals t = totals[a.id];
    completion += "<tr>" + Td(a.name) + TdNumber(report::FormatCount(t.responses, rl)) +
                  TdNumber(report::FormatCount(t.complete, rl)) +
                  TdNumber(report::FormatCount(t.responses - t.complete, rl)) +
                  TdNumber(report::FormatPercent(
                      t.responses > 0 ? std::optional<double>(static_cast<double>(t.complete) / static_cast<double>(t.responses)) : std::nullopt,
                      0, rl)) +
                  "</tr>\n";
    core::Result<std::vector<store::DispositionCount>> counts = db_.CountDispositions(wave->id, a.id);
    if (!counts.ok()) return Failed(c, counts.status());
    const evaluation::ResponseRates r = evaluation::ComputeResponseRates(evaluation::SumDispositions(*counts));
    if (r.invitations == 0) continue;
    rates += "<tr>" + Td(a.name) + TdNumber(report::FormatCount(r.invitations, rl)) +
             TdNumber(report::FormatCount(r.complete, rl)) + TdNumber(report::FormatCount(r.partial, rl)) +
             TdNumber(report::FormatCount(r.refused, rl)) + TdNumber(report::FormatCount(r.not_used, rl)) +
             TdNumber(report::FormatCount(r.undeliverable, rl)) + TdNumber(report::FormatCount(r.not_eligible, rl)) +
             TdNumber(report::FormatPercent(r.rr1, 1, rl)) + TdNumber(report::FormatPercent(r.rr2, 1, rl)) + "</tr>\n";
  }
  body += "<h3 id=\"completion\">" + EscapeHtml(T(c.lang, "completion_title")) +
          "</h3>\n<div class=\"table\"><table aria-labelledby=\"completion\">\n" +
          Th(c.lang, {"area_name", "responses", "complete", "partial", "share_complete"}) + "<tbody>\n" + completion +
          "</tbody></table></div>\n<h3 id=\"rates\">" + EscapeHtml(T(c.lang, "rates_title")) +
          "</h3>\n<p class=\"hint\">" + EscapeHtml(T(c.lang, "rates_help")) + "</p>\n";
  if (rates.empty()) {
    body += "<p>" + EscapeHtml(T(c.lang, "no_invitations")) + "</p>\n";
  } else {
    body += "<div class=\"table\"><table aria-labelledby=\"rates\">\n" +
            Th(c.lang, {"area_name", "invitations", "complete", "partial", "refused", "not_used", "undeliverable",
                        "not_eligible", "rr1", "rr2"}) +
            "<tbody>\n" + rates + "</tbody></table></div>\n";
  }
  body += "</section>\n";

  // Invitations.
  std::vector<std::pair<std::string, std::string>> area_options;
  for (const store::Area& a : *areas) area_options.emplace_back(std::to_string(a.id), a.name);
  body += "<section aria-labelledby=\"invitations\">\n<h2 id=\"invitations\">" +
          EscapeHtml(T(c.lang, "invitations_title")) + "</h2>\n";
  if (wave->status == store::WaveStatus::kClosed) {
    body += "<p>" + EscapeHtml(Fmt(T(c.lang, "invite_closed"), {{"label", wave->label}})) + "</p>\n";
  } else if (areas->empty()) {
    body += "<p>" + EscapeHtml(T(c.lang, "no_areas")) + "</p>\n";
  } else {
    body += "<p>" + EscapeHtml(T(c.lang, "invite_help")) + "</p>\n" + FormStart(c, self + "/invitations") +
            Select("invite_area", T(c.lang, "area_name"), area_options) +
            Field("invite_count", T(c.lang, "invite_count"), "number", true, " min=\"1\" max=\"1000\" step=\"1\"") +
            Select("invite_format", T(c.lang, "invite_format"),
                   {{"csv", T(c.lang, "format_csv")}, {"letters", T(c.lang, "format_letters")},
                    {"pdf", T(c.lang, "format_pdf")}}) +
            Field("invite_sender", T(c.lang, "invite_sender"), "text") +
            Field("invite_contact", T(c.lang, "invite_contact"), "text") + "<p><button type=\"submit\">" +
            EscapeHtml(T(c.lang, "invite_make")) + "</button></p>\n</form>\n";
  }
  body += "<h3>" + EscapeHtml(T(c.lang, "mark_title")) + "</h3>\n<p class=\"hint\">" +
          EscapeHtml(T(c.lang, "mark_help")) + "</p>\n" + FormStart(c, self + "/dispositions", true) +
          Field("mark_token", T(c.lang, "mark_token"), "text", false, " autocomplete=\"off\" spellcheck=\"false\"") +
          Select("mark_disposition", T(c.lang, "mark_disposition"),
                 {{"undeliverable", T(c.lang, "disposition_undeliverable")},
                  {"not_eligible", T(c.lang, "disposition_not_eligible")},
                  {"refused", T(c.lang, "disposition_refused")}}) +
          Field("marks_csv", T(c.lang, "marks_csv"), "textarea") +
          Field("marks_file", T(c.lang, "marks_file"), "file", false, " accept=\".csv,text/csv\"") +
          "<p><button type=\"submit\">" + EscapeHtml(T(c.lang, "mark_submit")) + "</button></p>\n</form>\n</section>\n";
  return Page(c, status, title, body, self, "<link rel=\"stylesheet\" href=\"/static/chart.css\">\n");
}

// ---------------------------------------------------------------- results

std::string AdminSite::Impl::ReportLink(const Ctx& c, store::Id study) {
  core::Result<store::StoredEvaluation> latest = db_.LatestEvaluation(study);
  if (!latest.ok()) return EscapeHtml(T(c.lang, "none"));
  return "<a href=\"" + EscapeHtml(Url(c, "/admin/study/" + std::to_string(study) + "/report")) + "\">" +
         EscapeHtml(Fmt(T(c.lang, "report_of"), {{"date", latest->made_at.substr(0, 10)}})) + "</a>";
}

std::string AdminSite::Impl::ResultsSection(const Ctx& c, store::Id study) {
  const std::string base = "/admin/study/" + std::to_string(study);
  std::string out = "<section aria-labelledby=\"results\">\n<h2 id=\"results\">" + EscapeHtml(T(c.lang, "results")) +
                    "</h2>\n";
  core::Result<store::StoredEvaluation> latest = db_.LatestEvaluation(study);
  if (latest.ok()) {
    out += "<p>" +
           EscapeHtml(Fmt(T(c.lang, "latest_evaluation"), {{"at", latest->made_at}, {"by", latest->made_by}})) +
           "</p>\n<ul>\n<li><a href=\"" + EscapeHtml(Url(c, base + "/report")) + "\">" +
           EscapeHtml(T(c.lang, "report_view")) + "</a></li>\n<li><a href=\"" +
           EscapeHtml(Url(c, base + "/report/html")) + "\">" + EscapeHtml(T(c.lang, "report_html")) +
           "</a></li>\n<li><a href=\"" + EscapeHtml(Url(c, base + "/report/pdf")) + "\">" +
           EscapeHtml(T(c.lang, "report_pdf")) + "</a></li>\n</ul>\n";
  } else {
    out += "<p>" + EscapeHtml(T(c.lang, "no_evaluation")) + "</p>\n";
  }
  out += FormStart(c, base + "/evaluate") + "<p><button type=\"submit\">" + EscapeHtml(T(c.lang, "evaluate")) +
         "</button></p>\n</form>\n<h3>" + EscapeHtml(T(c.lang, "exports")) + "</h3>\n<p class=\"hint\">" +
         EscapeHtml(T(c.lang, "exports_help")) + "</p>\n<ul>\n";
  for (const char* format : {"csv", "sav", "dta", "xlsx"}) {
    out += "<li><a href=\"" + EscapeHtml(Url(c, base + "/export/" + format)) + "\">" +
           EscapeHtml(T(c.lang, std::string("export_") + format)) + "</a></li>\n";
  }
  return out + "</ul>\n</section>\n";
}

Reply AdminSite::Impl::RunEvaluation(Ctx& c) {
  core::Status failed;
  std::optional<store::Study> study = StudyById(c.ids[0], &failed);
  if (!failed.ok()) return Failed(c, failed);
  if (!study) return Message(c, 404, "notfound");
  // The defaults of `tryghed evaluate` and `tryghed report`.
  core::Result<evaluation::EvaluationResult> result = evaluation::EvaluateStudy(db_, study->name, {});
  if (!result.ok()) return StudyFailed(c, result.status());
  core::Result<store::Id> saved = db_.SaveEvaluation(study->id, evaluation::ToJson(*result));
  if (!saved.ok()) return StudyFailed(c, saved.status());
  return Redirect(Url(c, "/admin/study/" + std::to_string(study->id) + "/report"));
}

Reply AdminSite::Impl::ReportDocument(Ctx& c, bool download) {
  core::Status failed;
  std::optional<store::Study> study = StudyById(c.ids[0], &failed);
  if (!failed.ok()) return Failed(c, failed);
  if (!study) return Message(c, 404, "notfound");
  core::Result<store::StoredEvaluation> latest = db_.LatestEvaluation(study->id);
  if (!latest.ok()) {
    return latest.status().code() == core::StatusCode::kNotFound ? Message(c, 404, "noreport")
                                                                 : Failed(c, latest.status());
  }
  report::ReportOptions options;
  options.lang = ReportLanguage(c.lang);
  core::Result<std::string> html = report::RenderReportFromJson(
      latest->result_json, "the evaluation of " + study->name + " of " + latest->made_at, options);
  if (!html.ok()) return Failed(c, html.status());
  Reply r;
  r.body = std::move(html).value();
  r.csp = kDocumentCsp;
  if (download) r.filename = "report-study" + std::to_string(study->id) + "-" + c.lang + ".html";
  return r;
}

Reply AdminSite::Impl::ReportPdf(Ctx& c) {
  if (!report::FindChromium()) return Message(c, 503, "nochromium");
  Reply html = ReportDocument(c, false);
  if (html.status != 200) return html;
  core::Result<std::string> pdf = report::HtmlToPdf(html.body);
  if (!pdf.ok()) {  // Chromium's own failure, with its message; the HTML download still works
    const std::string title = T(c.lang, "nochromium_title");
    return Page(c, 503, title,
                "<h1>" + EscapeHtml(title) + "</h1>\n" + ErrorBox(c.lang, pdf.status().message()) + "<p><a href=\"" +
                    EscapeHtml(Url(c, "/admin/study/" + std::to_string(c.ids[0]) + "/report/html")) + "\">" +
                    EscapeHtml(T(c.lang, "report_html")) + "</a></p>\n",
                "/admin/study/" + std::to_string(c.ids[0]) + "/report/pdf");
  }
  Reply r;
  r.body = std::move(pdf).value();
  r.content_type = "application/pdf";
  r.filename = "report-study" + std::to_string(c.ids[0]) + "-" + c.lang + ".pdf";
  return r;
}

Reply AdminSite::Impl::Export(Ctx& c) {
  auto kind = ExportKinds().find(c.last);
  if (kind == ExportKinds().end()) return Message(c, 404, "notfound");
  core::Status failed;
  std::optional<store::Study> study = StudyById(c.ids[0], &failed);
  if (!failed.ok()) return Failed(c, failed);
  if (!study) return Message(c, 404, "notfound");
  exchange::ExportOptions options;
  options.format = kind->second.format;
  core::Result<exchange::ExportTable> table = exchange::BuildExportTable(db_, study->id, std::nullopt, options);
  if (!table.ok()) return StudyFailed(c, table.status());
  core::Result<std::string> bytes = exchange::ExportBytes(*table, options);
  if (!bytes.ok()) return StudyFailed(c, bytes.status());
  // Raw data leaving the system: who took which study, in the audit log.
  const core::Status logged = db_.LogAction("export.download", "study " + std::to_string(study->id),
                                            c.last + ", " + std::to_string(table->rows.size()) + " responses");
  if (!logged.ok()) return Failed(c, logged);
  Reply r;
  r.body = std::move(bytes).value();
  r.content_type = kind->second.content_type;
  r.filename = "study" + std::to_string(study->id) + "." + c.last;
  return r;
}

}  // namespace tryghed::web::internal
