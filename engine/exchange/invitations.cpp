#include "exchange/invitations.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "core/csv.h"
#include "core/sha256.h"
#include "core/token.h"
#include "exchange/import.h"

namespace tryghed::exchange {

core::Result<std::string> NormaliseBaseUrl(std::string_view base_url) {
  std::string url(base_url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  const std::size_t scheme = url.starts_with("https://") ? 8 : url.starts_with("http://") ? 7 : 0;
  const auto bad = [&](const std::string& why) {
    return core::InvalidArgument("the base URL \"" + std::string(base_url) + "\" " + why +
                                 " (example: https://tryg.example.dk)");
  };
  if (scheme == 0) return bad("must start with https:// or http://");
  if (url.size() == scheme || url[scheme] == '/') return bad("has no host");
  for (unsigned char c : url) {
    if (c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == '?' || c == '#') {
      return bad("may not contain spaces, quotes, angle brackets, backslashes, '?' or '#'");
    }
  }
  return url;
}

core::Result<std::vector<Invitation>> NewInvitations(int count, std::string_view base_url) {
  if (count < 1 || count > kMaxInvitations) {
    return core::InvalidArgument("the number of invitations must be between 1 and " +
                                 std::to_string(kMaxInvitations) + ", got " + std::to_string(count));
  }
  core::Result<std::string> base = NormaliseBaseUrl(base_url);
  if (!base.ok()) return base.status();
  std::vector<Invitation> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    core::Result<std::string> token = core::NewToken();
    if (!token.ok()) return token.status();
    out.push_back({*token, *base + "/s/" + *token});
  }
  return out;
}

core::Status StoreInvitations(store::Store& db, store::Id wave_id, store::Id area_id,
                              const std::vector<Invitation>& invitations) {
  std::vector<std::string> hashes;
  hashes.reserve(invitations.size());
  for (const Invitation& inv : invitations) hashes.push_back(core::Sha256Hex(inv.token));
  return db.AddInvitations(wave_id, area_id, hashes);
}

core::Result<std::vector<Invitation>> MakeInvitations(store::Store& db, store::Id wave_id, store::Id area_id,
                                                      int count, std::string_view base_url) {
  core::Result<std::vector<Invitation>> invitations = NewInvitations(count, base_url);
  if (!invitations.ok()) return invitations.status();
  TRYGHED_RETURN_IF_ERROR(StoreInvitations(db, wave_id, area_id, *invitations));
  return invitations;
}

std::string InvitationsCsv(const std::vector<Invitation>& invitations) {
  std::string csv = "token,link\n";
  csv.reserve(csv.size() + invitations.size() * 80);
  for (const Invitation& inv : invitations) csv += inv.token + "," + inv.link + "\n";
  return csv;
}

int EstimateMinutes(int items) {
  const int minutes = (std::max(items, 1) + 3) / 4;
  return std::max(5, (minutes + 4) / 5 * 5);
}

core::Result<InvitationContext> LoadInvitationContext(store::Store& db, store::Id wave_id, store::Id area_id) {
  core::Result<store::Wave> wave = db.GetWave(wave_id);
  if (!wave.ok()) return wave.status();
  core::Result<std::vector<store::Study>> studies = db.ListStudies();
  if (!studies.ok()) return studies.status();
  core::Result<std::vector<store::Area>> areas = db.ListAreas(wave->study_id);
  if (!areas.ok()) return areas.status();
  InvitationContext c;
  for (const store::Study& s : *studies) {
    if (s.id == wave->study_id) c.study = s.name;
  }
  for (const store::Area& a : *areas) {
    if (a.id == area_id) c.area = a.name;
  }
  if (c.area.empty()) return core::NotFound("no area " + std::to_string(area_id) + " in the study of wave '" + wave->label + "'");
  c.last_date = wave->ends_on;
  c.languages = {"da"};
  if (wave->questionnaire_version_id) {
    core::Result<questionnaire::Questionnaire> q = LoadWaveQuestionnaire(db, *wave);
    if (!q.ok()) return q.status();
    c.languages = q->languages;
    c.titles = q->title;
    c.minutes = EstimateMinutes(q->ItemCount());
  }
  return c;
}

core::Result<report::Letters> RenderInvitationLetters(store::Store& db, store::Id wave_id, store::Id area_id,
                                                      const std::vector<Invitation>& invitations,
                                                      const LetterOptions& options) {
  core::Result<InvitationContext> context = LoadInvitationContext(db, wave_id, area_id);
  if (!context.ok()) return context.status();
  report::LetterSpec spec;
  spec.study = context->study;
  spec.area = context->area;
  spec.sender = options.sender;
  spec.contact = options.contact;
  spec.languages = context->languages;
  spec.titles = context->titles;
  spec.last_date = context->last_date;
  spec.minutes = options.minutes > 0 ? options.minutes : context->minutes;
  for (const Invitation& inv : invitations) spec.links.push_back(inv.link);
  return report::RenderLetters(spec);
}

namespace {

std::string Trimmed(const std::string& s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string TokenRule() {
  return "not an invitation token (" + std::to_string(core::kTokenLength) +
         " characters of 0-9 and a-z without i, l, o, u)";
}

}  // namespace

std::optional<store::Disposition> ParseDispositionName(std::string text) {
  text = Lower(std::move(text));
  if (text == "undeliverable") return store::Disposition::kUndeliverable;
  if (text == "not_eligible" || text == "not eligible") return store::Disposition::kNotEligible;
  if (text == "refused") return store::Disposition::kRefused;
  return std::nullopt;
}

core::Result<DispositionMark> ParseDispositionMark(const std::string& token, const std::string& disposition,
                                                   const std::string& where) {
  const std::string t = Lower(Trimmed(token));
  if (!core::IsToken(t)) return core::InvalidArgument(where + ": " + TokenRule());
  const std::optional<store::Disposition> d = ParseDispositionName(Trimmed(disposition));
  if (!d) return core::InvalidArgument(where + ": the disposition must be " + std::string(kDispositionNames));
  return DispositionMark{core::Sha256Hex(t), *d, where};
}

core::Result<DispositionMarks> ParseDispositionsCsv(std::string_view text, const std::string& source) {
  core::Result<core::CsvTable> table = core::ParseCsv(text, source);
  if (!table.ok()) return table.status();
  core::Result<std::size_t> token_col = table->Column("token");
  if (!token_col.ok()) return token_col.status();
  core::Result<std::size_t> mark_col = table->Column("disposition");
  if (!mark_col.ok()) return mark_col.status();
  if (table->rows.empty()) return core::InvalidInput(source + ": no rows");
  DispositionMarks out;
  std::map<std::string, std::string> seen;  // token -> where
  for (std::size_t r = 0; r < table->rows.size(); ++r) {
    const std::string at = source + ":" + std::to_string(table->lines[r]);
    const std::string token = Lower(Trimmed(table->rows[r][*token_col]));
    const std::string mark = Trimmed(table->rows[r][*mark_col]);
    bool ok = true;
    if (!core::IsToken(token)) {
      out.problems.push_back(at + ": column \"token\": \"" + table->rows[r][*token_col] + "\": " + TokenRule());
      ok = false;
    } else if (auto [it, added] = seen.emplace(token, at); !added) {
      out.problems.push_back(at + ": column \"token\": the token is also on " + it->second);
      ok = false;
    }
    const std::optional<store::Disposition> d = ParseDispositionName(mark);
    if (!d) {
      out.problems.push_back(at + ": column \"disposition\": \"" + mark + "\": must be " + kDispositionNames);
      ok = false;
    }
    if (ok) out.marks.push_back({core::Sha256Hex(token), *d, at});
  }
  return out;
}

core::Status MarkDispositions(store::Store& db, const std::vector<DispositionMark>& marks) {
  std::vector<std::pair<std::string, store::Disposition>> pairs;
  pairs.reserve(marks.size());
  for (const DispositionMark& m : marks) pairs.emplace_back(m.token_hash, m.disposition);
  const core::Status st = db.SetDispositions(pairs);
  if (st.ok()) return st;
  // "row N: why" names the position in `marks`: say where the mark came from.
  std::string message = st.message();
  if (message.rfind("row ", 0) == 0) {
    const std::size_t colon = message.find(": ");
    const std::size_t row =
        colon == std::string::npos ? 0 : std::strtoul(message.substr(4, colon - 4).c_str(), nullptr, 10);
    if (row >= 1 && row <= marks.size()) message = marks[row - 1].where + ": " + message.substr(colon + 2);
  } else if (marks.size() == 1) {
    message = marks[0].where + ": " + message;
  }
  return core::Status(st.code(), message + "; nothing was marked");
}

std::string DispositionSummary(const std::vector<DispositionMark>& marks) {
  std::map<store::Disposition, int> counts;
  for (const DispositionMark& m : marks) ++counts[m.disposition];
  std::string out = std::to_string(marks.size()) + " invitation" + (marks.size() == 1 ? "" : "s") + ":";
  const char* sep = " ";
  for (const auto& [d, n] : counts) {
    out += sep + std::to_string(n) + " " + store::DispositionName(d);
    sep = ", ";
  }
  return out;
}

}  // namespace tryghed::exchange
