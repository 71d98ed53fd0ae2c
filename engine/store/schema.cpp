// The schema of the store: the dialect table and the numbered migrations.
// A migration is never edited once released; a change is a new migration.
#include <string>
#include <vector>

#include "store/internal/dialect.h"

namespace tryghed::store {

int CurrentSchemaVersion() { return 5; }

namespace internal {

namespace {

const Dialect kSqlite{
    Backend::kSqlite,
    "SQLite",
    "INTEGER PRIMARY KEY AUTOINCREMENT",
    "BEGIN IMMEDIATE",
    "",
    {
        "PRAGMA journal_mode=WAL",   // checked by the caller: must answer "wal"
        "PRAGMA synchronous=FULL",   // fsync the WAL at every commit
        "PRAGMA foreign_keys=ON",
        "PRAGMA busy_timeout=%BUSY%",
    },
    "SELECT name FROM pragma_table_info($1) ORDER BY cid",
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
};

const Dialect kPostgres{
    Backend::kPostgres,
    "PostgreSQL",
    "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    "BEGIN",
    "SELECT pg_advisory_xact_lock(72260001)",
    {
        "SET client_min_messages TO warning",
        "SET synchronous_commit TO on",  // whatever the server default: commit = durable
        "SET lock_timeout TO %BUSY%",
    },
    "SELECT column_name FROM information_schema.columns "
    "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    "SELECT COUNT(*) FROM information_schema.tables "
    "WHERE table_schema = current_schema() AND table_name = $1",
};

// Statements that make every row of `table` immutable: UPDATE and DELETE fail.
std::vector<std::string> Immutable(const Dialect& d, const std::string& table) {
  const std::string message = table + " rows are written once and never changed";
  if (d.backend == Backend::kSqlite) {
    return {
        "CREATE TRIGGER " + table + "_no_update BEFORE UPDATE ON " + table +
            " BEGIN SELECT RAISE(ABORT, '" + message + "'); END",
        "CREATE TRIGGER " + table + "_no_delete BEFORE DELETE ON " + table +
            " BEGIN SELECT RAISE(ABORT, '" + message + "'); END",
    };
  }
  return {"CREATE TRIGGER " + table + "_immutable BEFORE UPDATE OR DELETE ON " + table +
          " FOR EACH ROW EXECUTE FUNCTION tryghed_reject_change('" + message + "')"};
}

const char* const kWaveQuestionnaireMessage =
    "the questionnaire version of an open or closed wave cannot change";
const char* const kWaveStatusMessage = "a wave moves only from draft to open to closed";

std::vector<std::string> WaveRules(const Dialect& d) {
  if (d.backend == Backend::kSqlite) {
    return {
        std::string("CREATE TRIGGER wave_questionnaire_frozen BEFORE UPDATE OF questionnaire_version_id ON wave "
                    "WHEN OLD.status <> 'draft' AND NEW.questionnaire_version_id IS NOT OLD.questionnaire_version_id "
                    "BEGIN SELECT RAISE(ABORT, '") + kWaveQuestionnaireMessage + "'); END",
        std::string("CREATE TRIGGER wave_status_flow BEFORE UPDATE OF status ON wave "
                    "WHEN NEW.status <> OLD.status AND NOT ((OLD.status = 'draft' AND NEW.status = 'open') "
                    "OR (OLD.status = 'open' AND NEW.status = 'closed')) "
                    "BEGIN SELECT RAISE(ABORT, '") + kWaveStatusMessage + "'); END",
    };
  }
  return {
      std::string("CREATE FUNCTION tryghed_wave_rules() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                  "IF OLD.status <> 'draft' AND NEW.questionnaire_version_id IS DISTINCT FROM OLD.questionnaire_version_id THEN "
                  "RAISE EXCEPTION '") + kWaveQuestionnaireMessage + "'; END IF; "
                  "IF NEW.status <> OLD.status AND NOT ((OLD.status = 'draft' AND NEW.status = 'open') "
                  "OR (OLD.status = 'open' AND NEW.status = 'closed')) THEN "
                  "RAISE EXCEPTION '" + kWaveStatusMessage + "'; END IF; "
                  "RETURN NEW; END $$",
      "CREATE TRIGGER wave_rules BEFORE UPDATE ON wave FOR EACH ROW EXECUTE FUNCTION tryghed_wave_rules()",
  };
}

std::string ReplaceId(std::string sql, const Dialect& d) {
  const std::string key = "{ID}";
  for (std::size_t p = sql.find(key); p != std::string::npos; p = sql.find(key, p)) {
    sql.replace(p, key.size(), d.id_column);
  }
  return sql;
}

// Version 1: the whole first schema. Privacy choices are explained in docs/store.md.
std::vector<std::string> Migration1(const Dialect& d) {
  std::vector<std::string> s;
  auto add = [&](const std::string& sql) { s.push_back(ReplaceId(sql, d)); };
  auto add_all = [&](const std::vector<std::string>& v) { for (const auto& x : v) add(x); };

  if (d.backend == Backend::kPostgres) {
    add("CREATE FUNCTION tryghed_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION '%', TG_ARGV[0]; END $$");
  }
  add("CREATE TABLE study ("
      " id {ID},"
      " name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),"
      " description TEXT NOT NULL DEFAULT '',"
      " created_on TEXT NOT NULL CHECK (length(created_on) = 10))");
  add("CREATE TABLE area ("
      " id {ID},"
      " study_id BIGINT NOT NULL REFERENCES study (id),"
      " name TEXT NOT NULL CHECK (length(name) > 0),"
      " role TEXT NOT NULL CHECK (role IN ('pilot', 'comparison')),"
      " population BIGINT CHECK (population IS NULL OR population > 0),"
      " UNIQUE (study_id, name))");
  add("CREATE TABLE questionnaire_version ("
      " id {ID},"
      " content_hash TEXT NOT NULL UNIQUE CHECK (length(content_hash) = 64),"
      " json_text TEXT NOT NULL CHECK (length(json_text) > 0),"
      " added_on TEXT NOT NULL CHECK (length(added_on) = 10))");
  add("CREATE TABLE wave ("
      " id {ID},"
      " study_id BIGINT NOT NULL REFERENCES study (id),"
      " label TEXT NOT NULL CHECK (length(label) > 0),"
      " starts_on TEXT CHECK (starts_on IS NULL OR length(starts_on) = 10),"
      " ends_on TEXT CHECK (ends_on IS NULL OR length(ends_on) = 10),"
      " questionnaire_version_id BIGINT REFERENCES questionnaire_version (id),"
      " status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),"
      " UNIQUE (study_id, label),"
      " UNIQUE (id, questionnaire_version_id),"
      " CHECK (status = 'draft' OR questionnaire_version_id IS NOT NULL))");
  add_all(WaveRules(d));
  add("CREATE TABLE area_margin ("
      " id {ID},"
      " area_id BIGINT NOT NULL REFERENCES area (id),"
      " wave_id BIGINT REFERENCES wave (id),"
      " margin TEXT NOT NULL CHECK (length(margin) > 0),"
      " level TEXT NOT NULL CHECK (length(level) > 0),"
      " n BIGINT NOT NULL CHECK (n >= 0))");
  add("CREATE UNIQUE INDEX area_margin_cell ON area_margin (area_id, COALESCE(wave_id, 0), margin, level)");
  add("CREATE TABLE kiosk ("
      " id {ID},"
      " name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),"
      " area_id BIGINT REFERENCES area (id),"
      " secret_hash TEXT NOT NULL CHECK (length(secret_hash) = 64),"
      " registered_on TEXT NOT NULL CHECK (length(registered_on) = 10))");
  add("CREATE TABLE invitation ("
      " id {ID},"
      " wave_id BIGINT NOT NULL REFERENCES wave (id),"
      " area_id BIGINT NOT NULL REFERENCES area (id),"
      " token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),"
      " disposition TEXT NOT NULL DEFAULT 'not used' CHECK (disposition IN"
      "  ('not used', 'complete', 'partial', 'refused', 'undeliverable', 'not eligible')))");
  add("CREATE INDEX invitation_wave ON invitation (wave_id, disposition)");
  add("CREATE TABLE import_batch ("
      " id {ID},"
      " wave_id BIGINT NOT NULL REFERENCES wave (id),"
      " file_hash TEXT NOT NULL CHECK (length(file_hash) = 64),"
      " row_count BIGINT NOT NULL CHECK (row_count >= 0),"
      " imported_by TEXT NOT NULL,"
      " imported_at TEXT NOT NULL,"
      " UNIQUE (wave_id, file_hash))");
  // No token, invitation id, IP address, user agent or time finer than the day.
  add("CREATE TABLE response ("
      " id {ID},"
      " wave_id BIGINT NOT NULL REFERENCES wave (id),"
      " area_id BIGINT NOT NULL REFERENCES area (id),"
      " channel TEXT NOT NULL CHECK (channel IN ('kiosk', 'link', 'open', 'import')),"
      " language TEXT NOT NULL CHECK (length(language) BETWEEN 2 AND 35),"
      " questionnaire_version_id BIGINT NOT NULL REFERENCES questionnaire_version (id),"
      " received_on TEXT NOT NULL CHECK (length(received_on) = 10),"
      " completeness TEXT NOT NULL CHECK (completeness IN ('complete', 'partial')),"
      " import_batch_id BIGINT REFERENCES import_batch (id),"
      " FOREIGN KEY (wave_id, questionnaire_version_id) REFERENCES wave (id, questionnaire_version_id),"
      " CHECK ((channel = 'import') = (import_batch_id IS NOT NULL)))");
  add("CREATE INDEX response_wave ON response (wave_id, area_id)");
  add("CREATE TABLE answer ("
      " response_id BIGINT NOT NULL REFERENCES response (id),"
      " item TEXT NOT NULL CHECK (length(item) > 0),"
      " kind TEXT NOT NULL CHECK (kind IN ('code', 'codes', 'number', 'text')),"
      " code BIGINT,"
      " codes TEXT,"
      " number_value DOUBLE PRECISION,"
      " text_value TEXT,"
      " PRIMARY KEY (response_id, item),"
      " CHECK ((kind = 'code') = (code IS NOT NULL)),"
      " CHECK ((kind = 'codes') = (codes IS NOT NULL)),"
      " CHECK ((kind = 'number') = (number_value IS NOT NULL)),"
      " CHECK ((kind = 'text') = (text_value IS NOT NULL)))");
  add_all(Immutable(d, "response"));
  add_all(Immutable(d, "answer"));
  // Idempotency keys of submitted forms: deliberately not linked to a response.
  add("CREATE TABLE submission_key ("
      " key_hash TEXT PRIMARY KEY CHECK (length(key_hash) = 64),"
      " wave_id BIGINT NOT NULL REFERENCES wave (id))");
  add("CREATE TABLE audit_log ("
      " id {ID},"
      " occurred_at TEXT NOT NULL CHECK (length(occurred_at) = 20),"
      " actor TEXT NOT NULL,"
      " action TEXT NOT NULL,"
      " subject TEXT NOT NULL,"
      " detail TEXT NOT NULL DEFAULT '')");
  add_all(Immutable(d, "audit_log"));
  return s;
}

// Version 2: what the resident form needs (engine/store/forms.cpp, docs/web.md).
// form_draft holds a link-mode form in progress, keyed by the invitation's
// token hash; the submit transaction deletes it (responses.cpp), so answers
// never sit in two places. open_link maps a random code to a wave and area.
std::vector<std::string> Migration2(const Dialect& d) {
  std::vector<std::string> s;
  auto add = [&](const std::string& sql) { s.push_back(ReplaceId(sql, d)); };
  add("CREATE TABLE form_draft ("
      " token_hash TEXT PRIMARY KEY REFERENCES invitation (token_hash),"
      " wave_id BIGINT NOT NULL REFERENCES wave (id),"
      " state TEXT NOT NULL,"
      " saved_on TEXT NOT NULL CHECK (length(saved_on) = 10))");
  add("CREATE TABLE open_link ("
      " id {ID},"
      " wave_id BIGINT NOT NULL REFERENCES wave (id),"
      " area_id BIGINT NOT NULL REFERENCES area (id),"
      " code TEXT NOT NULL UNIQUE CHECK (length(code) >= 16),"
      " UNIQUE (wave_id, area_id))");
  return s;
}


// Version 3: the admin site (engine/store/accounts.cpp, docs/web.md "Admin").
// app_user holds the evaluators' accounts: the Argon2id PHC string of the
// password only, and the failed-login count and lock (unix seconds, 0 = not
// locked). admin_session holds signed-in browsers, keyed by the SHA-256 of the
// cookie's token (never the token), so several servers behind one proxy share
// them; times are unix seconds. A kiosk can be revoked (revoked_on: the day).
std::vector<std::string> Migration3(const Dialect& d) {
  std::vector<std::string> s;
  auto add = [&](const std::string& sql) { s.push_back(ReplaceId(sql, d)); };
  add("CREATE TABLE app_user ("
      " id {ID},"
      " name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),"
      " role TEXT NOT NULL CHECK (role IN ('admin', 'evaluator', 'reader')),"
      " password_hash TEXT NOT NULL CHECK (length(password_hash) > 0),"
      " created_on TEXT NOT NULL CHECK (length(created_on) = 10),"
      " disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
      " failed_logins BIGINT NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),"
      " locked_until BIGINT NOT NULL DEFAULT 0)");
  add("CREATE TABLE admin_session ("
      " token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),"
      " user_id BIGINT NOT NULL REFERENCES app_user (id),"
      " csrf TEXT NOT NULL CHECK (length(csrf) >= 16),"
      " created_at BIGINT NOT NULL,"
      " last_seen_at BIGINT NOT NULL,"
      " expires_at BIGINT NOT NULL)");
  add("CREATE INDEX admin_session_user ON admin_session (user_id)");
  add("ALTER TABLE kiosk ADD COLUMN revoked_on TEXT CHECK (revoked_on IS NULL OR length(revoked_on) = 10)");
  return s;
}

// Version 4: the dashboard's results pages (engine/store/evaluations.cpp,
// docs/web.md "Results"). evaluation_result keeps the latest evaluation of a
// study as the JSON of evaluation::ToJson: in the database, because several
// servers share one PostgreSQL and any of them may be asked for the report.
// Only aggregates after disclosure control, never a single answer. Saving a
// new one deletes the older ones of the study in the same transaction.
std::vector<std::string> Migration4(const Dialect& d) {
  std::vector<std::string> s;
  auto add = [&](const std::string& sql) { s.push_back(ReplaceId(sql, d)); };
  add("CREATE TABLE evaluation_result ("
      " id {ID},"
      " study_id BIGINT NOT NULL REFERENCES study (id),"
      " made_at TEXT NOT NULL CHECK (length(made_at) = 20),"
      " made_by TEXT NOT NULL,"
      " result_json TEXT NOT NULL CHECK (length(result_json) > 0))");
  add("CREATE INDEX evaluation_result_study ON evaluation_result (study_id)");
  return s;
}

// Version 5: a response's answers move into its own row (response.answers,
// the JSON object of internal/answers_json.h), written with the response in
// one INSERT instead of one row per answer (≈ 21 per response): the group
// writer of the resident form spent most of its time inserting answer rows
// (docs/benchmarks.md, docs/store.md "Answers in the response row").
// Existing answers are packed into their responses (numbers with 17
// significant digits on SQLite, so every double reads back the same; the
// shortest exact form on PostgreSQL), then `answer` becomes a read-only view
// with the old table's columns, so SQL written against it keeps working.
std::vector<std::string> Migration5(const Dialect& d) {
  const std::string message = "answer rows are written once and never changed";
  if (d.backend == Backend::kSqlite) {
    // A subquery's value loses SQLite's JSON subtype: json() restores it, so
    // that json_object embeds each kind as an object, not as a string.
    auto kind = [](const std::string& name, const std::string& value) {
      return "'" + name + "', json((SELECT json_group_object(item, " + value +
             ") FROM answer a WHERE a.response_id = response.id AND a.kind = '" + name + "'))";
    };
    auto each = [](const std::string& name) { return "FROM response r, json_each(r.answers, '$." + name + "') j"; };
    return {
        "ALTER TABLE response ADD COLUMN answers TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(answers))",
        "DROP TRIGGER response_no_update",
        "UPDATE response SET answers = json_object(" + kind("code", "code") + ", " +
            kind("codes", "json('[' || codes || ']')") + ", " + kind("number", "json(printf('%!.17g', number_value))") +
            ", " + kind("text", "text_value") + ") WHERE id IN (SELECT response_id FROM answer)",
        Immutable(d, "response")[0],
        "DROP TABLE answer",
        "CREATE VIEW answer (response_id, item, kind, code, codes, number_value, text_value) AS"
        " SELECT r.id, j.key, 'code', j.value, NULL, NULL, NULL " + each("code") +
        " UNION ALL SELECT r.id, j.key, 'codes', NULL, (SELECT group_concat(e.value, ',') FROM json_each(j.value) e),"
        " NULL, NULL " + each("codes") +
        " UNION ALL SELECT r.id, j.key, 'number', NULL, NULL, CAST(j.value AS REAL), NULL " + each("number") +
        " UNION ALL SELECT r.id, j.key, 'text', NULL, NULL, NULL, j.value " + each("text"),
        "CREATE TRIGGER answer_no_insert INSTEAD OF INSERT ON answer BEGIN SELECT RAISE(ABORT, '" + message + "'); END",
        "CREATE TRIGGER answer_no_update INSTEAD OF UPDATE ON answer BEGIN SELECT RAISE(ABORT, '" + message + "'); END",
        "CREATE TRIGGER answer_no_delete INSTEAD OF DELETE ON answer BEGIN SELECT RAISE(ABORT, '" + message + "'); END",
    };
  }
  auto kind = [](const std::string& name, const std::string& value) {
    return "'" + name + "', COALESCE((SELECT json_object_agg(item, " + value +
           ") FROM answer a WHERE a.response_id = response.id AND a.kind = '" + name + "'), '{}'::json)";
  };
  auto each = [](const std::string& name) { return "FROM response r, json_each(r.answers::json -> '" + name + "') j"; };
  return {
      "ALTER TABLE response ADD COLUMN answers TEXT NOT NULL DEFAULT '{}' CHECK (answers::json IS NOT NULL)",
      "ALTER TABLE response DISABLE TRIGGER response_immutable",
      "UPDATE response SET answers = json_build_object(" + kind("code", "code") + ", " +
          kind("codes", "('[' || codes || ']')::json") + ", " + kind("number", "number_value") + ", " +
          kind("text", "text_value") + ")::text WHERE id IN (SELECT response_id FROM answer)",
      "ALTER TABLE response ENABLE TRIGGER response_immutable",
      "DROP TABLE answer",
      "CREATE VIEW answer (response_id, item, kind, code, codes, number_value, text_value) AS"
      " SELECT r.id, j.key, 'code'::text, (j.value::text)::bigint, NULL::text, NULL::double precision, NULL::text " +
          each("code") +
          " UNION ALL SELECT r.id, j.key, 'codes', NULL, (SELECT string_agg(e, ',' ORDER BY o)"
          " FROM json_array_elements_text(j.value) WITH ORDINALITY AS x (e, o)), NULL, NULL " + each("codes") +
          " UNION ALL SELECT r.id, j.key, 'number', NULL, NULL, (j.value::text)::double precision, NULL " +
          each("number") + " UNION ALL SELECT r.id, j.key, 'text', NULL, NULL, NULL, j.value #>> '{}' " + each("text"),
      "CREATE TRIGGER answer_immutable INSTEAD OF INSERT OR UPDATE OR DELETE ON answer"
      " FOR EACH ROW EXECUTE FUNCTION tryghed_reject_change('" + message + "')",
  };
}

}  // namespace

const Dialect& DialectFor(Backend backend) {
  return backend == Backend::kSqlite ? kSqlite : kPostgres;
}

std::vector<std::string> MigrationStatements(int version, const Dialect& dialect) {
  switch (version) {
    case 1: return Migration1(dialect);
    case 2: return Migration2(dialect);
    case 3: return Migration3(dialect);
    case 4: return Migration4(dialect);
    case 5: return Migration5(dialect);
    default: return {};
  }
}

const char* VersionTableStatement() {
  return "CREATE TABLE IF NOT EXISTS schema_version ("
         " version INTEGER PRIMARY KEY,"
         " applied_at TEXT NOT NULL,"
         " program TEXT NOT NULL)";
}

}  // namespace internal
}  // namespace tryghed::store
