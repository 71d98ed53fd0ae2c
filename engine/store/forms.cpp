// What the resident form (engine/web) needs from the store: looking up an
// invitation, a kiosk or an open link, the wave a kiosk collects for, and the
// server-side drafts of link-mode forms (docs/web.md). The submit transaction
// in responses.cpp deletes a token's draft together with writing its response.
#include <Poco/Nullable.h>

#include <chrono>
#include <cstdio>

#include "core/sha256.h"
#include "core/token.h"
#include "store/internal/session.h"
#include "store/store.h"

namespace tryghed::store {

Result<FormInvitation> Store::FindInvitation(const std::string& token_hash) {
  if (!IsSha256Hex(token_hash)) return core::NotFound("no such invitation");
  FormInvitation found;
  STORE_RETURN_IF_ERROR(impl_->Read("looking up an invitation", [&](Session& s) -> Status {
    std::string h = token_hash;
    std::vector<Int64> waves, areas;
    std::vector<std::string> dispositions;
    s << "SELECT wave_id, area_id, disposition FROM invitation WHERE token_hash = $1", use(h), into(waves),
        into(areas), into(dispositions), now;
    if (waves.empty()) return core::NotFound("no such invitation");
    found = {waves[0], areas[0], dispositions[0] != "not used"};
    return Status::Ok();
  }));
  return found;
}

Result<KioskInfo> Store::AuthenticateKioskById(Id kiosk_id, const std::string& secret) {
  KioskInfo found;
  STORE_RETURN_IF_ERROR(impl_->Read("authenticating a kiosk", [&](Session& s) -> Status {
    Int64 id = kiosk_id;
    std::vector<std::string> names, hashes;
    std::vector<Int64> areas;
    s << "SELECT name, secret_hash, COALESCE(area_id, 0) FROM kiosk WHERE id = $1 AND revoked_on IS NULL", use(id), into(names),
        into(hashes), into(areas), now;
    const std::string given = core::Sha256Hex(secret);
    const std::string stored = hashes.empty() ? std::string(64, '0') : hashes[0];
    unsigned diff = 0;  // constant-time comparison
    for (std::size_t i = 0; i < 64 && i < stored.size(); ++i) diff |= static_cast<unsigned>(given[i] ^ stored[i]);
    if (names.empty() || stored.size() != 64 || diff != 0) return core::NotFound("unknown kiosk or wrong secret");
    found.id = kiosk_id;
    found.name = names[0];
    if (areas[0] > 0) found.area_id = areas[0];
    return Status::Ok();
  }));
  return found;
}

Result<Wave> Store::CurrentOpenWave(Id area_id) {
  Wave found;
  STORE_RETURN_IF_ERROR(impl_->Read("finding the open wave of area " + std::to_string(area_id), [&](Session& s) {
    Result<std::vector<Wave>> waves =
        SelectWaves(s, "status = 'open' AND study_id = (SELECT study_id FROM area WHERE id = $1)", area_id);
    if (!waves.ok()) return waves.status();
    if (waves->empty()) return core::NotFound("area " + std::to_string(area_id) + " has no open wave");
    found = waves->back();
    return Status::Ok();
  }));
  return found;
}

Result<std::string> Store::OpenLinkCode(Id wave_id, Id area_id) {
  Result<std::string> fresh = core::NewToken();
  if (!fresh.ok()) return fresh.status();
  std::string code;
  STORE_RETURN_IF_ERROR(impl_->Write("making the open link of wave " + std::to_string(wave_id), [&](Session& s) {
    Result<Wave> w = SelectWave(s, wave_id);
    if (!w.ok()) return w.status();
    Int64 wid = wave_id, aid = area_id, sid = w->study_id, n = 0;
    s << "SELECT COUNT(*) FROM area WHERE id = $1 AND study_id = $2", use(aid), use(sid), into(n), now;
    if (n == 0) return core::NotFound("no area " + std::to_string(area_id) + " in the wave's study");
    std::vector<std::string> codes;
    s << "SELECT code FROM open_link WHERE wave_id = $1 AND area_id = $2", use(wid), use(aid), into(codes), now;
    if (!codes.empty()) {
      code = codes[0];
      return Status::Ok();
    }
    code = *fresh;
    s << "INSERT INTO open_link (wave_id, area_id, code) VALUES ($1, $2, $3)", use(wid), use(aid), use(code), now;
    impl_->Audit(s, "open_link.create", "wave " + std::to_string(wave_id), "area " + std::to_string(area_id));
    return Status::Ok();
  }));
  return code;
}

Result<OpenLink> Store::FindOpenLink(const std::string& code) {
  OpenLink found;
  STORE_RETURN_IF_ERROR(impl_->Read("looking up an open link", [&](Session& s) -> Status {
    std::string c = code;
    std::vector<Int64> waves, areas;
    s << "SELECT wave_id, area_id FROM open_link WHERE code = $1", use(c), into(waves), into(areas), now;
    if (waves.empty()) return core::NotFound("no such open link");
    found = {waves[0], areas[0]};
    return Status::Ok();
  }));
  return found;
}

Status Store::SaveDraft(const std::string& token_hash, const std::string& state) {
  if (!IsSha256Hex(token_hash)) return core::InvalidArgument("an invitation token hash must be 64 lower-case hex characters");
  return impl_->Write("saving a form draft", [&](Session& s) -> Status {
    std::string h = token_hash, st = state, today = Today();
    std::vector<Int64> waves;
    std::vector<std::string> dispositions;
    s << "SELECT wave_id, disposition FROM invitation WHERE token_hash = $1", use(h), into(waves), into(dispositions),
        now;
    if (waves.empty()) return core::NotFound("no such invitation");
    if (dispositions[0] != "not used") return core::FailedPrecondition("this invitation has already been used");
    Int64 wid = waves[0];
    s << "DELETE FROM form_draft WHERE token_hash = $1", use(h), now;
    s << "INSERT INTO form_draft (token_hash, wave_id, state, saved_on) VALUES ($1, $2, $3, $4)", use(h), use(wid),
        use(st), use(today), now;
    return Status::Ok();
  });
}

Result<std::optional<std::string>> Store::LoadDraft(const std::string& token_hash) {
  std::optional<std::string> found;
  STORE_RETURN_IF_ERROR(impl_->Read("reading a form draft", [&](Session& s) -> Status {
    std::string h = token_hash;
    std::vector<std::string> states;
    s << "SELECT state FROM form_draft WHERE token_hash = $1", use(h), into(states), now;
    if (!states.empty()) found = states[0];
    return Status::Ok();
  }));
  return found;
}

Result<std::int64_t> Store::PurgeDrafts(int max_age_days) {
  if (max_age_days < 1) return core::InvalidArgument("drafts are kept at least one day");
  std::int64_t removed = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("deleting old form drafts", [&](Session& s) -> Status {
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) -
                                          std::chrono::days(max_age_days)};
    char day[16];
    std::snprintf(day, sizeof day, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    std::string oldest = day;
    Statement st(s);
    st << "DELETE FROM form_draft WHERE saved_on < $1 OR wave_id IN (SELECT id FROM wave WHERE status <> 'open')",
        use(oldest);
    removed = static_cast<std::int64_t>(Exec(st));
    return Status::Ok();
  }));
  return removed;
}

}  // namespace tryghed::store
