#include "store/store.h"

#include <Poco/Nullable.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <regex>
#include <utility>

#include "core/sha256.h"
#include "store/internal/dialect.h"
#include "store/internal/session.h"
#include "store/internal/testing.h"

namespace tryghed::store {


// ---------------------------------------------------------------- names

const char* AreaRoleName(AreaRole role) { return role == AreaRole::kPilot ? "pilot" : "comparison"; }

Result<AreaRole> ParseAreaRole(const std::string& name) {
  if (name == "pilot") return AreaRole::kPilot;
  if (name == "comparison") return AreaRole::kComparison;
  return core::InvalidArgument("area role must be 'pilot' or 'comparison', got '" + name + "'");
}

const char* WaveStatusName(WaveStatus status) {
  switch (status) {
    case WaveStatus::kDraft: return "draft";
    case WaveStatus::kOpen: return "open";
    case WaveStatus::kClosed: return "closed";
  }
  return "draft";
}

const char* ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kKiosk: return "kiosk";
    case Channel::kLink: return "link";
    case Channel::kOpen: return "open";
    case Channel::kImport: return "import";
  }
  return "link";
}

const char* DispositionName(Disposition d) {
  switch (d) {
    case Disposition::kNotUsed: return "not used";
    case Disposition::kComplete: return "complete";
    case Disposition::kPartial: return "partial";
    case Disposition::kRefused: return "refused";
    case Disposition::kUndeliverable: return "undeliverable";
    case Disposition::kNotEligible: return "not eligible";
  }
  return "not used";
}

// ---------------------------------------------------------------- Open

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

std::string Store::DefaultDatabase() {
  const char* env = std::getenv("TRYGHED_DB");
  if (env != nullptr && *env != '\0') return env;
  return "tryghed.db";
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& db, const OpenOptions& options) {
  RegisterConnectors();
  if (db.empty()) return core::InvalidArgument("no database given: name a SQLite file or a postgresql:// URL");
  std::unique_ptr<Impl> impl;
  if (IsPostgresUrl(db)) {
    Result<std::string> kv = PostgresKeyValues(db);
    if (!kv.ok()) return kv.status();
    impl = std::make_unique<Impl>(internal::DialectFor(Backend::kPostgres), *kv, Redact(db), options);
  } else {
    if (db.find("://") != std::string::npos) {
      return core::InvalidArgument("unsupported database URL '" + Redact(db) +
                                   "': use a SQLite file path or a postgresql:// URL");
    }
    const std::filesystem::path path(db);
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      return core::NotFound("cannot create database '" + db + "': directory '" + dir.string() + "' does not exist");
    }
    if (std::filesystem::is_directory(path, ec)) {
      return core::InvalidArgument("database '" + db + "' is a directory; name a file");
    }
    impl = std::make_unique<Impl>(internal::DialectFor(Backend::kSqlite), db, "'" + db + "'", options);
  }
  TRYGHED_RETURN_IF_ERROR(impl->Migrate());
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Backend Store::backend() const { return impl_->dialect().backend; }

Result<int> Store::SchemaVersion() {
  Int64 version = 0;
  STORE_RETURN_IF_ERROR(impl_->Read("reading the schema version", [&](Session& s) {
    s << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(version), now;
    return Status::Ok();
  }));
  return static_cast<int>(version);
}

// ---------------------------------------------------------------- studies

Result<Id> Store::CreateStudy(const std::string& name, const std::string& description) {
  if (name.empty()) return core::InvalidArgument("a study needs a name");
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("creating study '" + name + "'", [&](Session& s) -> Status {
    Int64 taken = 0;
    std::string n = name, d = description, today = Today();
    s << "SELECT COUNT(*) FROM study WHERE name = $1", use(n), into(taken), now;
    if (taken > 0) return core::AlreadyExists("a study named '" + name + "' already exists");
    s << "INSERT INTO study (name, description, created_on) VALUES ($1, $2, $3) RETURNING id", use(n), use(d),
        use(today), into(id), now;
    impl_->Audit(s, "study.create", "study " + std::to_string(id), name);
    return Status::Ok();
  }));
  return Id{id};
}

Result<std::vector<Study>> Store::ListStudies() {
  std::vector<Study> out;
  STORE_RETURN_IF_ERROR(impl_->Read("listing studies", [&](Session& s) {
    std::vector<Int64> ids;
    std::vector<std::string> names, descriptions, created;
    s << "SELECT id, name, description, created_on FROM study ORDER BY id", into(ids), into(names),
        into(descriptions), into(created), now;
    for (std::size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], names[i], descriptions[i], created[i]});
    return Status::Ok();
  }));
  return out;
}

Result<Study> Store::FindStudy(const std::string& name) {
  Result<std::vector<Study>> all = ListStudies();
  if (!all.ok()) return all.status();
  for (const Study& st : *all) {
    if (st.name == name) return st;
  }
  return core::NotFound("no study named '" + name + "' (see `tryghed study list`)");
}

// ---------------------------------------------------------------- areas

namespace {

Status StudyExists(Session& s, Id study_id) {
  Int64 n = 0, id = study_id;
  s << "SELECT COUNT(*) FROM study WHERE id = $1", use(id), into(n), now;
  return n > 0 ? Status::Ok() : core::NotFound("no study with id " + std::to_string(study_id));
}

}  // namespace

Result<Id> Store::AddArea(Id study_id, const std::string& name, AreaRole role,
                          std::optional<std::int64_t> population) {
  if (name.empty()) return core::InvalidArgument("an area needs a name");
  if (population && *population <= 0) {
    return core::InvalidArgument("the population of area '" + name + "' must be positive, got " +
                                 std::to_string(*population));
  }
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("adding area '" + name + "'", [&](Session& s) -> Status {
    TRYGHED_RETURN_IF_ERROR(StudyExists(s, study_id));
    Int64 sid = study_id, taken = 0;
    std::string n = name, r = AreaRoleName(role);
    s << "SELECT COUNT(*) FROM area WHERE study_id = $1 AND name = $2", use(sid), use(n), into(taken), now;
    if (taken > 0) return core::AlreadyExists("the study already has an area named '" + name + "'");
    Poco::Nullable<Int64> pop;
    if (population) pop = *population;
    s << "INSERT INTO area (study_id, name, role, population) VALUES ($1, $2, $3, $4) RETURNING id", use(sid),
        use(n), use(r), use(pop), into(id), now;
    impl_->Audit(s, "area.add", "area " + std::to_string(id),
                 name + " (" + r + ", study " + std::to_string(study_id) + ")");
    return Status::Ok();
  }));
  return Id{id};
}

Result<std::vector<Area>> Store::ListAreas(Id study_id) {
  std::vector<Area> out;
  STORE_RETURN_IF_ERROR(impl_->Read("listing areas", [&](Session& s) {
    TRYGHED_RETURN_IF_ERROR(StudyExists(s, study_id));
    Int64 sid = study_id;
    std::vector<Int64> ids, pops;
    std::vector<std::string> names, roles;
    s << "SELECT id, name, role, COALESCE(population, 0) FROM area WHERE study_id = $1 ORDER BY id", use(sid),
        into(ids), into(names), into(roles), into(pops), now;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      Area a{ids[i], study_id, names[i], roles[i] == "pilot" ? AreaRole::kPilot : AreaRole::kComparison,
             std::nullopt};
      if (pops[i] > 0) a.population = pops[i];
      out.push_back(std::move(a));
    }
    return Status::Ok();
  }));
  return out;
}

Result<Area> Store::FindArea(Id study_id, const std::string& name) {
  Result<std::vector<Area>> all = ListAreas(study_id);
  if (!all.ok()) return all.status();
  for (const Area& a : *all) {
    if (a.name == name) return a;
  }
  return core::NotFound("the study has no area named '" + name + "' (see `tryghed area list`)");
}

Status Store::SetMargins(Id area_id, std::optional<Id> wave_id, const std::vector<Margin>& margins) {
  for (const Margin& m : margins) {
    if (m.margin.empty() || m.level.empty()) return core::InvalidArgument("a margin cell needs a margin and a level");
    if (m.n < 0) return core::InvalidArgument("margin '" + m.margin + "' level '" + m.level + "' has N < 0");
  }
  return impl_->Write("setting margins of area " + std::to_string(area_id), [&](Session& s) -> Status {
    Int64 aid = area_id, n = 0;
    s << "SELECT COUNT(*) FROM area WHERE id = $1", use(aid), into(n), now;
    if (n == 0) return core::NotFound("no area with id " + std::to_string(area_id));
    if (wave_id) {
      Int64 wid = *wave_id;
      s << "SELECT COUNT(*) FROM wave w JOIN area a ON a.study_id = w.study_id WHERE w.id = $1 AND a.id = $2",
          use(wid), use(aid), into(n), now;
      if (n == 0) return core::NotFound("no wave " + std::to_string(*wave_id) + " in the area's study");
      s << "DELETE FROM area_margin WHERE area_id = $1 AND wave_id = $2", use(aid), use(wid), now;
    } else {
      s << "DELETE FROM area_margin WHERE area_id = $1 AND wave_id IS NULL", use(aid), now;
    }
    for (const Margin& m : margins) {
      Poco::Nullable<Int64> wid;
      if (wave_id) wid = *wave_id;
      std::string margin = m.margin, level = m.level;
      Int64 cell_n = m.n;
      s << "INSERT INTO area_margin (area_id, wave_id, margin, level, n) VALUES ($1, $2, $3, $4, $5)", use(aid),
          use(wid), use(margin), use(level), use(cell_n), now;
    }
    impl_->Audit(s, "area.margins", "area " + std::to_string(area_id),
                 std::to_string(margins.size()) + " cells" +
                     (wave_id ? " for wave " + std::to_string(*wave_id) : std::string(" (default)")));
    return Status::Ok();
  });
}

Result<std::vector<Margin>> Store::GetMargins(Id area_id, std::optional<Id> wave_id) {
  std::vector<Margin> out;
  STORE_RETURN_IF_ERROR(impl_->Read("reading margins", [&](Session& s) {
    Int64 aid = area_id;
    std::vector<std::string> margins, levels;
    std::vector<Int64> ns;
    if (wave_id) {
      Int64 wid = *wave_id;
      s << "SELECT margin, level, n FROM area_margin WHERE area_id = $1 AND wave_id = $2 ORDER BY margin, level",
          use(aid), use(wid), into(margins), into(levels), into(ns), now;
    }
    if (margins.empty()) {
      s << "SELECT margin, level, n FROM area_margin WHERE area_id = $1 AND wave_id IS NULL ORDER BY margin, level",
          use(aid), into(margins), into(levels), into(ns), now;
    }
    for (std::size_t i = 0; i < margins.size(); ++i) out.push_back({margins[i], levels[i], ns[i]});
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------- questionnaires

Result<Id> Store::AddQuestionnaireVersion(const std::string& json, const std::string& content_hash) {
  if (!IsSha256Hex(content_hash)) {
    return core::InvalidArgument("a questionnaire content hash must be 64 lower-case hex characters, got '" +
                                 content_hash + "'");
  }
  if (json.empty()) return core::InvalidArgument("the questionnaire JSON is empty");
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("storing questionnaire version " + content_hash.substr(0, 12), [&](Session& s) -> Status {
    std::string h = content_hash, j = json, today = Today();
    std::vector<Int64> ids;
    std::vector<std::string> jsons;
    s << "SELECT id, json_text FROM questionnaire_version WHERE content_hash = $1", use(h), into(ids), into(jsons),
        now;
    if (!ids.empty()) {
      if (jsons[0] != json) {
        return core::AlreadyExists("questionnaire version " + content_hash.substr(0, 12) +
                                   "… is stored with different JSON; the hash must identify the content");
      }
      id = ids[0];
      return Status::Ok();
    }
    s << "INSERT INTO questionnaire_version (content_hash, json_text, added_on) VALUES ($1, $2, $3) RETURNING id",
        use(h), use(j), use(today), into(id), now;
    impl_->Audit(s, "questionnaire.add", "questionnaire_version " + std::to_string(id), content_hash);
    return Status::Ok();
  }));
  return Id{id};
}

Result<QuestionnaireVersion> Store::GetQuestionnaireVersion(Id id) {
  QuestionnaireVersion q;
  STORE_RETURN_IF_ERROR(impl_->Read("reading questionnaire version", [&](Session& s) -> Status {
    Int64 qid = id;
    std::vector<std::string> hashes, jsons;
    s << "SELECT content_hash, json_text FROM questionnaire_version WHERE id = $1", use(qid), into(hashes),
        into(jsons), now;
    if (hashes.empty()) return core::NotFound("no questionnaire version with id " + std::to_string(id));
    q = {id, hashes[0], jsons[0]};
    return Status::Ok();
  }));
  return q;
}

// ---------------------------------------------------------------- waves

namespace internal {

Result<std::vector<Wave>> SelectWaves(Session& s, const std::string& where, Int64 key) {
  std::vector<Int64> ids, studies, qvs;
  std::vector<std::string> labels, starts, ends, statuses;
  s << "SELECT id, study_id, label, COALESCE(starts_on, ''), COALESCE(ends_on, ''),"
       " COALESCE(questionnaire_version_id, 0), status FROM wave WHERE " + where + " ORDER BY id",
      use(key), into(ids), into(studies), into(labels), into(starts), into(ends), into(qvs), into(statuses), now;
  std::vector<Wave> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Wave w{ids[i], studies[i], labels[i], starts[i], ends[i], std::nullopt, ParseWaveStatus(statuses[i])};
    if (qvs[i] > 0) w.questionnaire_version_id = qvs[i];
    out.push_back(std::move(w));
  }
  return out;
}

Result<Wave> SelectWave(Session& s, Id wave_id) {
  Result<std::vector<Wave>> w = SelectWaves(s, "id = $1", wave_id);
  if (!w.ok()) return w.status();
  if (w->empty()) return core::NotFound("no wave with id " + std::to_string(wave_id));
  return w->front();
}

}  // namespace internal

Result<Id> Store::CreateWave(Id study_id, const std::string& label, const std::string& starts_on,
                             const std::string& ends_on, std::optional<Id> questionnaire_version_id) {
  if (label.empty()) return core::InvalidArgument("a wave needs a label");
  TRYGHED_RETURN_IF_ERROR(CheckDate("the start date", starts_on));
  TRYGHED_RETURN_IF_ERROR(CheckDate("the end date", ends_on));
  if (!starts_on.empty() && !ends_on.empty() && ends_on < starts_on) {
    return core::InvalidArgument("wave '" + label + "' ends (" + ends_on + ") before it starts (" + starts_on + ")");
  }
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("creating wave '" + label + "'", [&](Session& s) -> Status {
    TRYGHED_RETURN_IF_ERROR(StudyExists(s, study_id));
    Int64 sid = study_id, n = 0;
    std::string l = label;
    s << "SELECT COUNT(*) FROM wave WHERE study_id = $1 AND label = $2", use(sid), use(l), into(n), now;
    if (n > 0) return core::AlreadyExists("the study already has a wave labelled '" + label + "'");
    Poco::Nullable<std::string> from, to;
    Poco::Nullable<Int64> qv;
    if (!starts_on.empty()) from = starts_on;
    if (!ends_on.empty()) to = ends_on;
    if (questionnaire_version_id) {
      Int64 q = *questionnaire_version_id;
      s << "SELECT COUNT(*) FROM questionnaire_version WHERE id = $1", use(q), into(n), now;
      if (n == 0) return core::NotFound("no questionnaire version with id " + std::to_string(q));
      qv = q;
    }
    s << "INSERT INTO wave (study_id, label, starts_on, ends_on, questionnaire_version_id) VALUES ($1, $2, $3, $4, $5)"
         " RETURNING id",
        use(sid), use(l), use(from), use(to), use(qv), into(id), now;
    impl_->Audit(s, "wave.create", "wave " + std::to_string(id), label + " (study " + std::to_string(study_id) + ")");
    return Status::Ok();
  }));
  return Id{id};
}

Result<Wave> Store::GetWave(Id wave_id) {
  Wave out;
  STORE_RETURN_IF_ERROR(impl_->Read("reading wave", [&](Session& s) -> Status {
    Result<Wave> w = SelectWave(s, wave_id);
    if (!w.ok()) return w.status();
    out = *w;
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Wave>> Store::ListWaves(Id study_id) {
  std::vector<Wave> out;
  STORE_RETURN_IF_ERROR(impl_->Read("listing waves", [&](Session& s) -> Status {
    TRYGHED_RETURN_IF_ERROR(StudyExists(s, study_id));
    Result<std::vector<Wave>> w = SelectWaves(s, "study_id = $1", study_id);
    if (!w.ok()) return w.status();
    out = std::move(w).value();
    return Status::Ok();
  }));
  return out;
}

Result<Wave> Store::FindWave(Id study_id, const std::string& label) {
  Result<std::vector<Wave>> all = ListWaves(study_id);
  if (!all.ok()) return all.status();
  for (const Wave& w : *all) {
    if (w.label == label) return w;
  }
  return core::NotFound("the study has no wave labelled '" + label + "' (see `tryghed wave list`)");
}

Status Store::SetWaveQuestionnaire(Id wave_id, Id questionnaire_version_id) {
  return impl_->Write("setting the questionnaire of wave " + std::to_string(wave_id), [&](Session& s) -> Status {
    Result<Wave> w = SelectWave(s, wave_id);
    if (!w.ok()) return w.status();
    if (w->status != WaveStatus::kDraft) {
      return core::FailedPrecondition("wave '" + w->label + "' is " + WaveStatusName(w->status) +
                                      "; the questionnaire version of an open or closed wave cannot change");
    }
    Int64 q = questionnaire_version_id, wid = wave_id, n = 0;
    s << "SELECT COUNT(*) FROM questionnaire_version WHERE id = $1", use(q), into(n), now;
    if (n == 0) return core::NotFound("no questionnaire version with id " + std::to_string(q));
    s << "UPDATE wave SET questionnaire_version_id = $1 WHERE id = $2", use(q), use(wid), now;
    impl_->Audit(s, "wave.questionnaire", "wave " + std::to_string(wave_id),
                 "questionnaire_version " + std::to_string(questionnaire_version_id));
    return Status::Ok();
  });
}

namespace {

Status MoveWave(Store::Impl& impl, Session& s, Id wave_id, WaveStatus from, WaveStatus to) {
  Result<Wave> w = SelectWave(s, wave_id);
  if (!w.ok()) return w.status();
  if (w->status != from) {
    return core::FailedPrecondition("wave '" + w->label + "' is " + WaveStatusName(w->status) + "; only a " +
                                    WaveStatusName(from) + " wave can become " + WaveStatusName(to) +
                                    " (waves move draft -> open -> closed)");
  }
  if (to == WaveStatus::kOpen && !w->questionnaire_version_id) {
    return core::FailedPrecondition("wave '" + w->label + "' has no questionnaire version; set one before opening it");
  }
  std::string next = WaveStatusName(to), prev = WaveStatusName(from);
  Int64 wid = wave_id;
  Statement st(s);
  st << "UPDATE wave SET status = $1 WHERE id = $2 AND status = $3", use(next), use(wid), use(prev);
  if (Exec(st) != 1) return core::Unavailable("wave '" + w->label + "' changed meanwhile; try again");
  impl.Audit(s, std::string("wave.") + (to == WaveStatus::kOpen ? "open" : "close"), "wave " + std::to_string(wave_id),
             w->label);
  return Status::Ok();
}

}  // namespace

Status Store::OpenWave(Id wave_id) {
  return impl_->Write("opening wave " + std::to_string(wave_id),
                      [&](Session& s) { return MoveWave(*impl_, s, wave_id, WaveStatus::kDraft, WaveStatus::kOpen); });
}

Status Store::CloseWave(Id wave_id) {
  return impl_->Write("closing wave " + std::to_string(wave_id),
                      [&](Session& s) { return MoveWave(*impl_, s, wave_id, WaveStatus::kOpen, WaveStatus::kClosed); });
}

// ---------------------------------------------------------------- kiosks

Result<Id> Store::RegisterKiosk(const std::string& name, std::optional<Id> area_id, const std::string& secret) {
  if (name.empty()) return core::InvalidArgument("a kiosk needs a name");
  if (secret.size() < 16) return core::InvalidArgument("a kiosk secret must have at least 16 characters");
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("registering kiosk '" + name + "'", [&](Session& s) -> Status {
    std::string n = name, hash = core::Sha256Hex(secret), today = Today();
    Int64 taken = 0;
    s << "SELECT COUNT(*) FROM kiosk WHERE name = $1", use(n), into(taken), now;
    if (taken > 0) return core::AlreadyExists("a kiosk named '" + name + "' is already registered");
    Poco::Nullable<Int64> area;
    if (area_id) area = *area_id;
    s << "INSERT INTO kiosk (name, area_id, secret_hash, registered_on) VALUES ($1, $2, $3, $4) RETURNING id", use(n),
        use(area), use(hash), use(today), into(id), now;
    impl_->Audit(s, "kiosk.register", "kiosk " + std::to_string(id), name);
    return Status::Ok();
  }));
  return Id{id};
}

Result<Id> Store::AuthenticateKiosk(const std::string& name, const std::string& secret) {
  Id found = 0;
  STORE_RETURN_IF_ERROR(impl_->Read("authenticating kiosk", [&](Session& s) -> Status {
    std::string n = name;
    std::vector<Int64> ids;
    std::vector<std::string> hashes;
    s << "SELECT id, secret_hash FROM kiosk WHERE name = $1 AND revoked_on IS NULL", use(n), into(ids), into(hashes), now;
    const std::string given = core::Sha256Hex(secret);
    const std::string stored = hashes.empty() ? std::string(64, '0') : hashes[0];
    unsigned diff = 0;  // constant-time comparison
    for (std::size_t i = 0; i < 64; ++i) diff |= static_cast<unsigned>(given[i] ^ stored[i]);
    if (ids.empty() || diff != 0) return core::NotFound("unknown kiosk or wrong secret");
    found = ids[0];
    return Status::Ok();
  }));
  return found;
}

// ---------------------------------------------------------------- invitations

Status Store::AddInvitations(Id wave_id, Id area_id, const std::vector<std::string>& token_hashes) {
  for (const std::string& h : token_hashes) {
    if (!IsSha256Hex(h)) return core::InvalidArgument("an invitation token hash must be 64 lower-case hex characters");
  }
  return impl_->Write("adding invitations to wave " + std::to_string(wave_id), [&](Session& s) -> Status {
    Result<Wave> w = SelectWave(s, wave_id);
    if (!w.ok()) return w.status();
    if (w->status == WaveStatus::kClosed) return core::FailedPrecondition("wave '" + w->label + "' is closed");
    Int64 aid = area_id, sid = w->study_id, n = 0, wid = wave_id;
    s << "SELECT COUNT(*) FROM area WHERE id = $1 AND study_id = $2", use(aid), use(sid), into(n), now;
    if (n == 0) return core::NotFound("no area " + std::to_string(area_id) + " in the wave's study");
    std::string hash;
    Statement insert(s);
    insert << "INSERT INTO invitation (wave_id, area_id, token_hash) VALUES ($1, $2, $3)", use(wid), use(aid),
        use(hash);
    for (const std::string& h : token_hashes) {
      hash = h;
      Int64 dup = 0;
      s << "SELECT COUNT(*) FROM invitation WHERE token_hash = $1", use(hash), into(dup), now;
      if (dup > 0) return core::AlreadyExists("an invitation with token hash " + h.substr(0, 12) + "… already exists");
      Exec(insert);
    }
    impl_->Audit(s, "invitation.add", "wave " + std::to_string(wave_id),
                 std::to_string(token_hashes.size()) + " for area " + std::to_string(area_id));
    return Status::Ok();
  });
}

Status Store::SetDisposition(const std::string& token_hash, Disposition disposition) {
  const std::pair<std::string, Disposition> one[] = {{token_hash, disposition}};
  return SetDispositions(one);
}

Status Store::SetDispositions(std::span<const std::pair<std::string, Disposition>> marks) {
  for (std::size_t i = 0; i < marks.size(); ++i) {
    const auto& [token_hash, disposition] = marks[i];
    const std::string row = marks.size() > 1 ? "row " + std::to_string(i + 1) + ": " : "";
    if (disposition != Disposition::kRefused && disposition != Disposition::kUndeliverable &&
        disposition != Disposition::kNotEligible) {
      return core::InvalidArgument(row + "an invitation can be set to refused, undeliverable or not eligible, not '" +
                                   DispositionName(disposition) + "'");
    }
    if (!IsSha256Hex(token_hash)) {
      return core::InvalidArgument(row + "an invitation token hash must be 64 lower-case hex characters");
    }
  }
  return impl_->Write("setting invitations' dispositions", [&](Session& s) -> Status {
    std::string d, h;
    Statement st(s);
    st << "UPDATE invitation SET disposition = $1 WHERE token_hash = $2 AND disposition = 'not used'", use(d), use(h);
    std::map<std::string, std::int64_t> counts;
    for (std::size_t i = 0; i < marks.size(); ++i) {
      d = DispositionName(marks[i].second);
      h = marks[i].first;
      if (Exec(st) == 1) {
        ++counts[d];
        continue;
      }
      const std::string row = marks.size() > 1 ? "row " + std::to_string(i + 1) + ": " : "";
      std::vector<std::string> current;
      s << "SELECT disposition FROM invitation WHERE token_hash = $1", use(h), into(current), now;
      if (current.empty()) return core::NotFound(row + "no invitation with this token");
      return core::FailedPrecondition(row + "the invitation is already '" + current[0] + "'");
    }
    for (const auto& [name, n] : counts) {
      impl_->Audit(s, "invitation.disposition", n == 1 ? "invitation" : std::to_string(n) + " invitations", name);
    }
    return Status::Ok();
  });
}

Result<std::vector<DispositionCount>> Store::CountDispositions(Id wave_id, std::optional<Id> area_id) {
  std::vector<DispositionCount> out;
  STORE_RETURN_IF_ERROR(impl_->Read("counting invitations", [&](Session& s) -> Status {
    Int64 wid = wave_id;
    std::vector<std::string> names;
    std::vector<Int64> counts;
    if (area_id) {
      Int64 aid = *area_id;
      s << "SELECT disposition, COUNT(*) FROM invitation WHERE wave_id = $1 AND area_id = $2 GROUP BY disposition",
          use(wid), use(aid), into(names), into(counts), now;
    } else {
      s << "SELECT disposition, COUNT(*) FROM invitation WHERE wave_id = $1 GROUP BY disposition", use(wid),
          into(names), into(counts), now;
    }
    for (Disposition d : kAllDispositions) {
      DispositionCount c{d, 0};
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == DispositionName(d)) c.count = counts[i];
      }
      out.push_back(c);
    }
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------- imports and audit

Result<Id> Store::RecordImportBatch(Id wave_id, const std::string& file_hash, std::int64_t row_count) {
  if (!IsSha256Hex(file_hash)) return core::InvalidArgument("an import file hash must be 64 lower-case hex characters");
  if (row_count < 0) return core::InvalidArgument("an import's row count cannot be negative");
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("recording an import", [&](Session& s) -> Status {
    Result<Wave> w = SelectWave(s, wave_id);
    if (!w.ok()) return w.status();
    Int64 wid = wave_id, rows = row_count, n = 0;
    std::string h = file_hash, who = impl_->Actor(), at = NowTimestamp();
    s << "SELECT COUNT(*) FROM import_batch WHERE wave_id = $1 AND file_hash = $2", use(wid), use(h), into(n), now;
    if (n > 0) return core::AlreadyExists("this file was already imported into wave '" + w->label + "'");
    s << "INSERT INTO import_batch (wave_id, file_hash, row_count, imported_by, imported_at) VALUES ($1, $2, $3, $4, $5)"
         " RETURNING id",
        use(wid), use(h), use(rows), use(who), use(at), into(id), now;
    impl_->Audit(s, "import.record", "wave " + std::to_string(wave_id),
                 std::to_string(row_count) + " rows, file " + file_hash.substr(0, 12));
    return Status::Ok();
  }));
  return Id{id};
}

Result<std::vector<AuditEntry>> Store::ReadAuditLog(int limit) {
  std::vector<AuditEntry> out;
  STORE_RETURN_IF_ERROR(impl_->Read("reading the audit log", [&](Session& s) {
    Int64 lim = std::max(0, limit);
    std::vector<Int64> ids;
    std::vector<std::string> at, actors, actions, subjects, details;
    s << "SELECT id, occurred_at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT $1", use(lim),
        into(ids), into(at), into(actors), into(actions), into(subjects), into(details), now;
    for (std::size_t i = ids.size(); i-- > 0;) {
      out.push_back({ids[i], at[i], actors[i], actions[i], subjects[i], details[i]});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace tryghed::store

// ---------------------------------------------------------------- test access

namespace tryghed::store::internal {

core::Result<std::int64_t> StoreTestAccess::Execute(Store& store, const std::string& sql) {
  std::int64_t rows = 0;
  STORE_RETURN_IF_ERROR(store.impl_->Read("executing test SQL", [&](Session& s) {
    Statement st(s);
    st << sql;
    rows = static_cast<std::int64_t>(st.execute());
    return core::Status::Ok();
  }));
  return rows;
}

core::Result<std::vector<std::string>> StoreTestAccess::QueryText(Store& store, const std::string& sql) {
  std::vector<std::string> out;
  STORE_RETURN_IF_ERROR(store.impl_->Read("querying test SQL", [&](Session& s) {
    s << sql, into(out), now;
    return core::Status::Ok();
  }));
  return out;
}

core::Result<std::vector<std::string>> StoreTestAccess::Columns(Store& store, const std::string& table) {
  std::vector<std::string> out;
  STORE_RETURN_IF_ERROR(store.impl_->Read("listing columns", [&](Session& s) {
    std::string t = table;
    s << store.impl_->dialect().list_columns, use(t), into(out), now;
    return core::Status::Ok();
  }));
  return out;
}

}  // namespace tryghed::store::internal
