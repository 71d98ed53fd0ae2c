// The admin site's invitations (docs/web.md, "Invitations"): generating N
// tokens for a wave × area, answered at once as the file the evaluator chose
// (CSV for an SMS service, printable letters as HTML or PDF), and marking
// returned letters' dispositions, singly or from a CSV, all or nothing.
//
// The tokens exist in plain text only in the answer to the request that made
// them: they are made, the file is made from them, their hashes are stored,
// and the file is sent. Nothing holds them afterwards, on this server or any
// other, so several servers behind one proxy need no shared memory.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exchange/invitations.h"
#include "report/pdf.h"
#include "web/internal/admin_site.h"

namespace tryghed::web::internal {

using namespace admin;  // NOLINT(google-build-using-namespace): the admin site's own helpers

namespace {

// Most invitations one request makes: a PDF of 1,000 letters takes Chromium
// about four minutes on a small machine, longer than anyone waits for a page.
// Larger mailings are made in batches, or with `tryghed invite`.
constexpr int kMaxWebInvitations = 1000;

// The reply's file name: letters, digits, '-' and '.', from ids only.
std::string FileName(store::Id wave, store::Id area, const std::string& ext) {
  return "invitations-wave" + std::to_string(wave) + "-area" + std::to_string(area) + "." + ext;
}

}  // namespace

Reply AdminSite::Impl::GenerateInvitations(Ctx& c) {
  std::optional<store::Wave> wave = WaveOfStudy(c.ids[0], c.ids[1]);
  if (!wave) return Message(c, 404, "notfound");
  if (wave->status == store::WaveStatus::kClosed) {
    return Wave(c, 409, Fmt(T(c.lang, "invite_closed"), {{"label", wave->label}}), "");
  }
  const std::optional<store::Id> area_id = ParseId(c.posted.Get("invite_area"));
  core::Result<std::vector<store::Area>> areas = db_.ListAreas(c.ids[0]);
  if (!areas.ok()) return WaveFailed(c, areas.status());
  if (!area_id || std::none_of(areas->begin(), areas->end(), [&](const store::Area& a) { return a.id == *area_id; })) {
    return Wave(c, 400, T(c.lang, "choose_area"), "");
  }
  const std::string count_text = c.posted.Get("invite_count");
  const std::optional<store::Id> count = ParseId(count_text);
  if (!count || *count > kMaxWebInvitations) {
    return Wave(c, 400,
                Fmt(T(c.lang, "invite_count_bad"), {{"max", std::to_string(kMaxWebInvitations)}, {"got", count_text}}),
                "");
  }
  const std::string format = c.posted.Get("invite_format");
  if (format != "csv" && format != "letters" && format != "pdf") return Wave(c, 400, T(c.lang, "invite_format_bad"), "");
  // Chromium is checked before any token is made: without it nothing happens.
  if (format == "pdf" && !report::FindChromium()) return Message(c, 503, "nochromium");

  core::Result<std::vector<exchange::Invitation>> invitations =
      exchange::NewInvitations(static_cast<int>(*count), SiteBase(c));
  if (!invitations.ok()) return WaveFailed(c, invitations.status());

  // Everything is made before anything is stored: a file that cannot be made
  // stores no invitation.
  Reply r;
  if (format == "csv") {
    r.body = exchange::InvitationsCsv(*invitations);
    r.content_type = "text/csv; charset=utf-8";
    r.filename = FileName(wave->id, *area_id, "csv");
  } else {
    exchange::LetterOptions letter;
    letter.sender = c.posted.Get("invite_sender");
    letter.contact = c.posted.Get("invite_contact");
    core::Result<report::Letters> letters =
        exchange::RenderInvitationLetters(db_, wave->id, *area_id, *invitations, letter);
    if (!letters.ok()) return WaveFailed(c, letters.status());
    if (format == "letters") {
      r.body = std::move(letters->html);
      r.filename = FileName(wave->id, *area_id, "html");
      r.csp = kDocumentCsp;
    } else {
      report::ChromiumOptions chromium;
      chromium.timeout_seconds = std::max(120, 60 + static_cast<int>(*count) / 4);  // ~4 letters a second
      core::Result<std::string> pdf = report::HtmlToPdf(letters->html, chromium);
      // Chromium's own failure (not the database's): its message, nothing stored.
      if (!pdf.ok()) return Wave(c, 503, pdf.status().message() + " — " + T(c.lang, "nothing_made"), "");
      r.body = std::move(pdf).value();
      r.content_type = "application/pdf";
      r.filename = FileName(wave->id, *area_id, "pdf");
    }
  }
  // The store logs "invitation.add" (who, which wave, how many) with the hashes.
  const core::Status stored = exchange::StoreInvitations(db_, wave->id, *area_id, *invitations);
  if (!stored.ok()) return WaveFailed(c, stored);
  return r;
}

Reply AdminSite::Impl::MarkDispositions(Ctx& c) {
  std::optional<store::Wave> wave = WaveOfStudy(c.ids[0], c.ids[1]);
  if (!wave) return Message(c, 404, "notfound");
  std::vector<exchange::DispositionMark> marks;
  const std::string token = c.posted.Get("mark_token");
  std::string text = c.posted.Get("marks_csv");
  std::string source = T(c.lang, "text_field");
  if (const auto* file = c.posted.File("marks_file")) {
    source = file->first.empty() ? T(c.lang, "the_file") : file->first;
    text = file->second;
  }
  const bool from_csv = text.find_first_not_of(" \t\r\n") != std::string::npos;
  if (from_csv == !token.empty()) return Wave(c, 400, T(c.lang, "mark_either"), "");
  if (from_csv) {
    core::Result<exchange::DispositionMarks> parsed = exchange::ParseDispositionsCsv(text, source);
    if (!parsed.ok()) return Wave(c, 400, parsed.status().message(), "");
    if (!parsed->problems.empty()) {
      std::string all;
      for (const std::string& p : parsed->problems) all += (all.empty() ? "" : " · ") + p;
      return Wave(c, 400, all + " — " + T(c.lang, "nothing_marked"), "");
    }
    marks = std::move(parsed->marks);
  } else {
    core::Result<exchange::DispositionMark> mark =
        exchange::ParseDispositionMark(token, c.posted.Get("mark_disposition"), T(c.lang, "mark_token"));
    if (!mark.ok()) return Wave(c, 400, mark.status().message(), "");
    marks.push_back(std::move(mark).value());
  }
  // Only this wave's invitations: a token of another wave or study is named.
  for (const exchange::DispositionMark& m : marks) {
    core::Result<store::FormInvitation> inv = db_.FindInvitation(m.token_hash);
    if (!inv.ok() && inv.status().code() != core::StatusCode::kNotFound) return WaveFailed(c, inv.status());
    if (inv.ok() && inv->wave_id != wave->id) {
      return Wave(c, 400, m.where + ": " + T(c.lang, "mark_other_wave") + " — " + T(c.lang, "nothing_marked"), "");
    }
  }
  const core::Status st = exchange::MarkDispositions(db_, marks);
  if (!st.ok()) return WaveFailed(c, st);
  std::map<store::Disposition, int> counts;
  for (const exchange::DispositionMark& m : marks) ++counts[m.disposition];
  std::string summary;
  for (const auto& [d, n] : counts) {
    std::string name = store::DispositionName(d);
    std::replace(name.begin(), name.end(), ' ', '_');
    summary += (summary.empty() ? "" : ", ") + std::to_string(n) + " " + T(c.lang, "disposition_" + name);
  }
  return Wave(c, 200, "", Fmt(T(c.lang, "marked"), {{"n", std::to_string(marks.size())}, {"list", summary}}));
}

}  // namespace tryghed::web::internal
