#pragma once
// tryghed::report — an evaluation result as one self-contained HTML report
// for the working group: inline CSS and SVG charts, no scripts, no external
// requests, an A4 print stylesheet, Danish by default (docs/report.md).
//
// The report renders what the result holds and never recomputes a
// statistic: every number comes from the evaluation result's JSON form
// (evaluation::ToJson, docs/evaluation-result.md), read back with
// ParseEvaluationJson. A section whose data the result lacks says so in one
// line; a suppressed value is shown as "–" with its reason in a note.
//
// Example:
//
//   core::Result<std::string> html =
//       RenderReportFromJson(evaluation::ToJson(result), "demo", {});
//   if (!html.ok()) return html.status();
//   WriteFile("report.html", *html);
//
// Pure functions (the templates are compiled into the program); safe from
// any thread.
#include <string>
#include <string_view>

#include "core/status.h"
#include "evaluation/result.h"
#include "report/format.h"

namespace tryghed::report {

struct ReportOptions {
  Language lang = Language::kDanish;  // the report's language (texts and numbers)
  std::string title;                  // default: "Tryghedsrapport: <study>" / "Safety report: <study>"
};

// The report of `result`. Internal only when an embedded template is broken
// (a build defect, covered by the tests).
core::Result<std::string> RenderReport(const evaluation::EvaluationResult& result, const ReportOptions& options);

// ParseEvaluationJson(json, source) then RenderReport: the one render path of
// `tryghed report`, with or without --from-json.
core::Result<std::string> RenderReportFromJson(std::string_view json, const std::string& source,
                                               const ReportOptions& options);

}  // namespace tryghed::report
