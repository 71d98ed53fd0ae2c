#include "exchange/invitations.h"

#include <algorithm>

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

}  // namespace tryghed::exchange
