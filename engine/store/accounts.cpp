// The admin site's side of the store: accounts (Argon2id hashes only),
// failed-login locks, sessions keyed by the SHA-256 of their cookie token,
// the thread's acting user for the audit log, and kiosk listing and
// revocation. docs/web.md ("Admin") explains the policies.
#include <algorithm>
#include <ctime>
#include <utility>

#include "store/internal/session.h"
#include "store/store.h"

namespace tryghed::store {

namespace {

thread_local std::string acting_actor;

std::int64_t NowSeconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

Status CheckUserName(const std::string& name) {
  if (name.empty() || name.size() > 64) {
    return core::InvalidArgument("a user name must have 1 to 64 characters, got " + std::to_string(name.size()));
  }
  for (unsigned char c : name) {
    if (c <= 0x20 || c == 0x7f) {
      return core::InvalidArgument("a user name cannot contain spaces or control characters: '" + name + "'");
    }
  }
  return Status::Ok();
}

// The accounts matching `where` (empty, or " WHERE <column> = $1" with $1
// bound to `key`: a name or an id), ordered by name.
template <typename Key>
std::vector<User> SelectUsers(Session& s, const std::string& where, Key key) {
  std::vector<Int64> ids, disabled, failed, locked;
  std::vector<std::string> names, roles, hashes, created;
  Statement st(s);
  st << "SELECT id, name, role, password_hash, created_on, disabled, failed_logins, locked_until FROM app_user" +
            where + " ORDER BY name",
      into(ids), into(names), into(roles), into(hashes), into(created), into(disabled), into(failed), into(locked);
  if (!where.empty()) st, use(key);
  st.execute();
  std::vector<User> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Result<UserRole> role = ParseUserRole(roles[i]);
    out.push_back({ids[i], names[i], role.ok() ? *role : UserRole::kReader, hashes[i], created[i], disabled[i] != 0,
                   static_cast<int>(failed[i]), locked[i]});
  }
  return out;
}

}  // namespace

namespace internal {
const std::string& ActingActor() { return acting_actor; }
}  // namespace internal

ActingAs::ActingAs(std::string actor) : previous_(std::exchange(acting_actor, std::move(actor))) {}
ActingAs::~ActingAs() { acting_actor = std::move(previous_); }

std::int64_t LoginLockSeconds(std::int64_t failures) {
  if (failures < kLoginFailuresBeforeLock) return 0;
  if (failures - 1 >= 9) return kMaxLockSeconds;  // 2^9 = 512 > 300
  return std::min<std::int64_t>(std::int64_t{1} << (failures - 1), kMaxLockSeconds);
}

const char* UserRoleName(UserRole role) {
  switch (role) {
    case UserRole::kAdmin: return "admin";
    case UserRole::kEvaluator: return "evaluator";
    case UserRole::kReader: return "reader";
  }
  return "reader";
}

Result<UserRole> ParseUserRole(const std::string& name) {
  if (name == "admin") return UserRole::kAdmin;
  if (name == "evaluator") return UserRole::kEvaluator;
  if (name == "reader") return UserRole::kReader;
  return core::InvalidArgument("a role must be 'admin', 'evaluator' or 'reader', got '" + name + "'");
}

// ---------------------------------------------------------------- accounts

Result<Id> Store::CreateUser(const std::string& name, UserRole role, const std::string& password_hash) {
  TRYGHED_RETURN_IF_ERROR(CheckUserName(name));
  if (password_hash.rfind("$argon2id$", 0) != 0) {
    return core::InvalidArgument("a password hash must be an Argon2id PHC string ($argon2id$...)");
  }
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("creating user '" + name + "'", [&](Session& s) -> Status {
    std::string n = name, r = UserRoleName(role), h = password_hash, today = Today();
    Int64 taken = 0;
    s << "SELECT COUNT(*) FROM app_user WHERE name = $1", use(n), into(taken), now;
    if (taken > 0) return core::AlreadyExists("a user named '" + name + "' already exists");
    s << "INSERT INTO app_user (name, role, password_hash, created_on) VALUES ($1, $2, $3, $4) RETURNING id", use(n),
        use(r), use(h), use(today), into(id), now;
    impl_->Audit(s, "user.create", "user " + std::to_string(id), name + " (" + r + ")");
    return Status::Ok();
  }));
  return Id{id};
}

Result<std::vector<User>> Store::ListUsers() {
  std::vector<User> out;
  STORE_RETURN_IF_ERROR(impl_->Read("listing users", [&](Session& s) -> Status {
    out = SelectUsers(s, "", std::string());
    return Status::Ok();
  }));
  return out;
}

Result<User> Store::FindUser(const std::string& name) {
  User found;
  STORE_RETURN_IF_ERROR(impl_->Read("looking up a user", [&](Session& s) -> Status {
    std::vector<User> users = SelectUsers(s, " WHERE name = $1", name);
    if (users.empty()) return core::NotFound("no user named '" + name + "' (see `tryghed user list`)");
    found = users.front();
    return Status::Ok();
  }));
  return found;
}

Status Store::SetUserDisabled(const std::string& name, bool disabled) {
  return impl_->Write(std::string(disabled ? "disabling" : "enabling") + " user '" + name + "'",
                      [&](Session& s) -> Status {
                        std::string n = name;
                        std::vector<Int64> ids;
                        s << "SELECT id FROM app_user WHERE name = $1", use(n), into(ids), now;
                        if (ids.empty()) return core::NotFound("no user named '" + name + "' (see `tryghed user list`)");
                        Int64 id = ids[0], flag = disabled ? 1 : 0;
                        s << "UPDATE app_user SET disabled = $1 WHERE id = $2", use(flag), use(id), now;
                        if (disabled) s << "DELETE FROM admin_session WHERE user_id = $1", use(id), now;
                        impl_->Audit(s, disabled ? "user.disable" : "user.enable", "user " + std::to_string(id), name);
                        return Status::Ok();
                      });
}

Result<User> Store::RecordLoginFailure(Id user_id) {
  User user;
  STORE_RETURN_IF_ERROR(impl_->Write("recording a failed login", [&](Session& s) -> Status {
    Int64 id = user_id;
    // One UPDATE counts the failure, so concurrent failures all count.
    s << "UPDATE app_user SET failed_logins = failed_logins + 1 WHERE id = $1", use(id), now;
    std::vector<User> users = SelectUsers(s, " WHERE id = $1", id);
    if (users.empty()) return core::NotFound("no user with id " + std::to_string(user_id));
    user = users.front();
    const std::int64_t lock = LoginLockSeconds(user.failed_logins);
    if (lock > 0) {
      Int64 until = NowSeconds() + lock;
      s << "UPDATE app_user SET locked_until = $1 WHERE id = $2", use(until), use(id), now;
      user.locked_until = until;
      if (user.failed_logins == kLoginFailuresBeforeLock) {
        impl_->Audit(s, "user.locked", "user " + std::to_string(user_id),
                     user.name + " after " + std::to_string(user.failed_logins) + " failed logins");
      }
    }
    return Status::Ok();
  }));
  return user;
}

Status Store::RecordLoginSuccess(Id user_id) {
  return impl_->Write("recording a login", [&](Session& s) -> Status {
    Int64 id = user_id;
    std::vector<std::string> names;
    s << "SELECT name FROM app_user WHERE id = $1", use(id), into(names), now;
    if (names.empty()) return core::NotFound("no user with id " + std::to_string(user_id));
    s << "UPDATE app_user SET failed_logins = 0, locked_until = 0 WHERE id = $1", use(id), now;
    ActingAs as(names[0]);
    impl_->Audit(s, "user.login", "user " + std::to_string(user_id), names[0]);
    return Status::Ok();
  });
}

// ---------------------------------------------------------------- sessions

Status Store::CreateAdminSession(const std::string& token_hash, Id user_id, const std::string& csrf,
                                 int max_age_seconds) {
  if (!IsSha256Hex(token_hash)) return core::InvalidArgument("a session token hash must be 64 lower-case hex characters");
  if (csrf.size() < 16) return core::InvalidArgument("a CSRF token must have at least 16 characters");
  if (max_age_seconds < 1) return core::InvalidArgument("a session must last at least one second");
  return impl_->Write("starting a session", [&](Session& s) -> Status {
    std::string h = token_hash, c = csrf;
    Int64 uid = user_id, at = NowSeconds(), seen = at, until = at + max_age_seconds, taken = 0;
    s << "SELECT COUNT(*) FROM admin_session WHERE token_hash = $1", use(h), into(taken), now;
    if (taken > 0) return core::AlreadyExists("a session with this token already exists");
    s << "INSERT INTO admin_session (token_hash, user_id, csrf, created_at, last_seen_at, expires_at)"
         " VALUES ($1, $2, $3, $4, $5, $6)",
        use(h), use(uid), use(c), use(at), use(seen), use(until), now;
    return Status::Ok();
  });
}

Result<AdminSession> Store::FindAdminSession(const std::string& token_hash, int idle_seconds) {
  if (!IsSha256Hex(token_hash)) return core::NotFound("no such session");
  AdminSession found;
  STORE_RETURN_IF_ERROR(impl_->Read("looking up a session", [&](Session& s) -> Status {
    std::string h = token_hash;
    std::vector<Int64> users, created, seen, expires, disabled;
    std::vector<std::string> names, roles, csrfs;
    s << "SELECT s.user_id, u.name, u.role, u.disabled, s.csrf, s.created_at, s.last_seen_at, s.expires_at"
         " FROM admin_session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = $1",
        use(h), into(users), into(names), into(roles), into(disabled), into(csrfs), into(created), into(seen),
        into(expires), now;
    const std::int64_t t = NowSeconds();
    if (users.empty() || disabled[0] != 0 || t >= expires[0] || t - seen[0] > idle_seconds) {
      return core::NotFound("no such session (it ended or expired)");
    }
    Result<UserRole> role = ParseUserRole(roles[0]);
    if (!role.ok()) return role.status();
    found = {users[0], names[0], *role, csrfs[0], created[0], seen[0], expires[0]};
    return Status::Ok();
  }));
  return found;
}

Status Store::TouchAdminSession(const std::string& token_hash) {
  return impl_->Write("touching a session", [&](Session& s) -> Status {
    std::string h = token_hash;
    Int64 t = NowSeconds();
    s << "UPDATE admin_session SET last_seen_at = $1 WHERE token_hash = $2", use(t), use(h), now;
    return Status::Ok();
  });
}

Status Store::DeleteAdminSession(const std::string& token_hash) {
  return impl_->Write("ending a session", [&](Session& s) -> Status {
    std::string h = token_hash;
    s << "DELETE FROM admin_session WHERE token_hash = $1", use(h), now;
    return Status::Ok();
  });
}

Result<std::int64_t> Store::PurgeExpiredSessions(int idle_seconds) {
  std::int64_t removed = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("deleting expired sessions", [&](Session& s) -> Status {
    Int64 t = NowSeconds(), idle_start = t - idle_seconds;
    Statement st(s);
    st << "DELETE FROM admin_session WHERE expires_at <= $1 OR last_seen_at < $2", use(t), use(idle_start);
    removed = static_cast<std::int64_t>(Exec(st));
    return Status::Ok();
  }));
  return removed;
}

// ---------------------------------------------------------------- kiosks

Result<std::vector<Kiosk>> Store::ListKiosks() {
  std::vector<Kiosk> out;
  STORE_RETURN_IF_ERROR(impl_->Read("listing kiosks", [&](Session& s) -> Status {
    std::vector<Int64> ids, areas;
    std::vector<std::string> names, registered, revoked;
    s << "SELECT id, name, COALESCE(area_id, 0), registered_on, COALESCE(revoked_on, '') FROM kiosk ORDER BY id",
        into(ids), into(names), into(areas), into(registered), into(revoked), now;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      Kiosk k{ids[i], names[i], std::nullopt, registered[i], revoked[i]};
      if (areas[i] > 0) k.area_id = areas[i];
      out.push_back(std::move(k));
    }
    return Status::Ok();
  }));
  return out;
}

Status Store::RevokeKiosk(Id kiosk_id) {
  return impl_->Write("revoking kiosk " + std::to_string(kiosk_id), [&](Session& s) -> Status {
    Int64 id = kiosk_id;
    std::vector<std::string> names;
    s << "SELECT name FROM kiosk WHERE id = $1", use(id), into(names), now;
    if (names.empty()) return core::NotFound("no kiosk with id " + std::to_string(kiosk_id));
    std::string today = Today();
    Statement st(s);
    st << "UPDATE kiosk SET revoked_on = $1 WHERE id = $2 AND revoked_on IS NULL", use(today), use(id);
    if (Exec(st) > 0) impl_->Audit(s, "kiosk.revoke", "kiosk " + std::to_string(kiosk_id), names[0]);
    return Status::Ok();
  });
}

}  // namespace tryghed::store
