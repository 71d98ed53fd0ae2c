// The response side of the store: writing responses (one, a group-committed
// batch, or an all-or-nothing import) and reading them back.
#include <Poco/Nullable.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <map>
#include <set>
#include <mutex>
#include <regex>
#include <span>
#include <utility>

#include "core/sha256.h"
#include "store/internal/session.h"
#include "store/store.h"

namespace tryghed::store {

namespace {

// Most submissions written in one group-commit transaction.
constexpr std::size_t kMaxGroup = 512;

std::string JoinCodes(const core::Codes& codes) {
  std::string out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(codes[i]);
  }
  return out;
}

core::Codes SplitCodes(const std::string& s) {
  core::Codes out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t comma = s.find(',', pos);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(std::stoll(s.substr(pos, comma - pos)));
    pos = comma + 1;
  }
  return out;
}

Status CheckAnswers(const core::Answers& answers) {
  for (const auto& [item, value] : answers) {
    if (item.empty() || item.size() > 64) return core::InvalidArgument("an item id must have 1 to 64 characters");
    if (const auto* codes = std::get_if<core::Codes>(&value)) {
      for (std::size_t i = 1; i < codes->size(); ++i) {
        if ((*codes)[i] <= (*codes)[i - 1]) {
          return core::InvalidArgument("the codes of item '" + item + "' must be sorted without duplicates");
        }
      }
    } else if (const auto* number = std::get_if<double>(&value)) {
      if (!std::isfinite(*number)) return core::InvalidArgument("the number of item '" + item + "' is not finite");
    }
  }
  return Status::Ok();
}

// The answers of one response, one prepared statement per kind with the
// values bound as columns (Poco executes it once per row).
void InsertAnswers(Session& s, Int64 response_id, const core::Answers& answers) {
  std::vector<Int64> code_ids, code_values, codes_ids, number_ids, text_ids;
  std::vector<std::string> code_items, codes_items, codes_values, number_items, text_items, text_values;
  std::vector<double> number_values;
  for (const auto& [item_id, value] : answers) {
    if (const auto* code = std::get_if<core::Code>(&value)) {
      code_ids.push_back(response_id);
      code_items.push_back(item_id);
      code_values.push_back(*code);
    } else if (const auto* codes = std::get_if<core::Codes>(&value)) {
      codes_ids.push_back(response_id);
      codes_items.push_back(item_id);
      codes_values.push_back(JoinCodes(*codes));
    } else if (const auto* number = std::get_if<double>(&value)) {
      number_ids.push_back(response_id);
      number_items.push_back(item_id);
      number_values.push_back(*number);
    } else {
      text_ids.push_back(response_id);
      text_items.push_back(item_id);
      text_values.push_back(std::get<std::string>(value));
    }
  }
  if (!code_ids.empty()) {
    ExecuteRows(s, "INSERT INTO answer (response_id, item, kind, code) VALUES ($1, $2, 'code', $3)", code_ids,
                code_items, code_values);
  }
  if (!codes_ids.empty()) {
    ExecuteRows(s, "INSERT INTO answer (response_id, item, kind, codes) VALUES ($1, $2, 'codes', $3)", codes_ids,
                codes_items, codes_values);
  }
  if (!number_ids.empty()) {
    ExecuteRows(s, "INSERT INTO answer (response_id, item, kind, number_value) VALUES ($1, $2, 'number', $3)",
                number_ids, number_items, number_values);
  }
  if (!text_ids.empty()) {
    ExecuteRows(s, "INSERT INTO answer (response_id, item, kind, text_value) VALUES ($1, $2, 'text', $3)", text_ids,
                text_items, text_values);
  }
}

// The checks that need no database: language tag, day, import batch, token
// hash and key shape, answer shapes.
Status CheckSubmission(const Submission& sub) {
  const ResponseMeta& meta = sub.meta;
  static const std::regex kLanguage("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$");
  if (!std::regex_match(meta.language, kLanguage) || meta.language.size() > 35) {
    return core::InvalidArgument("the response language must be a language tag such as 'da' or 'ar', got '" +
                                 meta.language + "'");
  }
  if (!meta.received_on.empty() && !IsDate(meta.received_on)) {
    return core::InvalidArgument("the day a response came in must be written YYYY-MM-DD (no time), got '" +
                                 meta.received_on + "'");
  }
  if ((meta.channel == Channel::kImport) != meta.import_batch_id.has_value()) {
    return core::InvalidArgument("an import batch is given exactly for responses of channel 'import'");
  }
  if (sub.token_hash && !IsSha256Hex(*sub.token_hash)) {
    return core::InvalidArgument("an invitation token hash must be 64 lower-case hex characters");
  }
  if (sub.idempotency_key && (sub.idempotency_key->empty() || sub.idempotency_key->size() > 256)) {
    return core::InvalidArgument("an idempotency key must have 1 to 256 characters");
  }
  return CheckAnswers(sub.answers);
}

// What one transaction has already looked up: the waves, the (wave, area)
// pairs and the import batches found valid. Within one transaction they
// cannot change under us (the write lock is held), so a group or an import
// of thousands of rows reads each once instead of once per row.
struct TransactionCache {
  std::map<Id, Wave> waves;
  std::set<std::pair<Id, Id>> areas;    // (wave, area) known to belong together
  std::set<std::pair<Id, Id>> batches;  // (wave, import batch) known to exist
};

// Writes one checked submission inside the caller's transaction. With
// `import`, the wave may be in any status (older waves are imported after
// they closed); otherwise it must be open.
Status WriteOne(Session& s, const Submission& sub, bool import, TransactionCache& cache, Int64& id) {
  const ResponseMeta& meta = sub.meta;
  auto cached = cache.waves.find(meta.wave_id);
  if (cached == cache.waves.end()) {
    Result<Wave> found = SelectWave(s, meta.wave_id);
    if (!found.ok()) return found.status();
    cached = cache.waves.emplace(meta.wave_id, *found).first;
  }
  const Wave* w = &cached->second;
  if (!import && w->status != WaveStatus::kOpen) {
    return core::FailedPrecondition("wave '" + w->label + "' is " + WaveStatusName(w->status) +
                                    "; responses are accepted only while a wave is open");
  }
  if (w->questionnaire_version_id != meta.questionnaire_version_id) {
    return core::FailedPrecondition("the response uses questionnaire version " +
                                    std::to_string(meta.questionnaire_version_id) + " but wave '" + w->label +
                                    "' uses " + std::to_string(w->questionnaire_version_id.value_or(0)));
  }
  Int64 wid = meta.wave_id, aid = meta.area_id, sid = w->study_id, n = 0;
  if (!cache.areas.contains({meta.wave_id, meta.area_id})) {
    s << "SELECT COUNT(*) FROM area WHERE id = $1 AND study_id = $2", use(aid), use(sid), into(n), now;
    if (n == 0) return core::NotFound("no area " + std::to_string(meta.area_id) + " in the wave's study");
    cache.areas.insert({meta.wave_id, meta.area_id});
  }
  if (meta.import_batch_id && !cache.batches.contains({meta.wave_id, *meta.import_batch_id})) {
    Int64 bid = *meta.import_batch_id;
    s << "SELECT COUNT(*) FROM import_batch WHERE id = $1 AND wave_id = $2", use(bid), use(wid), into(n), now;
    if (n == 0) return core::NotFound("no import batch " + std::to_string(bid) + " for this wave");
    cache.batches.insert({meta.wave_id, bid});
  }
  if (sub.idempotency_key) {
    std::string key_hash = core::Sha256Hex(*sub.idempotency_key);
    Statement st(s);
    st << "INSERT INTO submission_key (key_hash, wave_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", use(key_hash),
        use(wid);
    if (Exec(st) != 1) {
      return core::AlreadyExists("this form was already submitted (the earlier submission is stored)");
    }
  }
  if (sub.token_hash) {
    std::string disposition = meta.completeness == Completeness::kComplete ? "complete" : "partial";
    std::string h = *sub.token_hash;
    Statement st(s);
    st << "UPDATE invitation SET disposition = $1 WHERE token_hash = $2 AND wave_id = $3 AND area_id = $4"
          " AND disposition = 'not used'",
        use(disposition), use(h), use(wid), use(aid);
    if (Exec(st) != 1) {
      std::vector<Int64> waves, areas;
      s << "SELECT wave_id, area_id FROM invitation WHERE token_hash = $1", use(h), into(waves), into(areas), now;
      if (waves.empty() || waves[0] != wid || areas[0] != aid) {
        return core::NotFound("no invitation with this token for this wave and area");
      }
      return core::AlreadyExists("this invitation has already been used");
    }
    // The link-mode draft of this token (forms.cpp) goes with its submission.
    s << "DELETE FROM form_draft WHERE token_hash = $1", use(h), now;
  }
  std::string channel = ChannelName(meta.channel), language = meta.language;
  std::string received = meta.received_on.empty() ? Today() : meta.received_on;
  std::string completeness = meta.completeness == Completeness::kComplete ? "complete" : "partial";
  Int64 qv = meta.questionnaire_version_id;
  Poco::Nullable<Int64> batch;
  if (meta.import_batch_id) batch = *meta.import_batch_id;
  s << "INSERT INTO response (wave_id, area_id, channel, language, questionnaire_version_id, received_on,"
       " completeness, import_batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
      use(wid), use(aid), use(channel), use(language), use(qv), use(received), use(completeness), use(batch),
      into(id), now;
  InsertAnswers(s, id, sub.answers);
  return Status::Ok();
}

// Runs WriteOne inside a savepoint so that its failure undoes only its own
// statements. A failure of the database itself (busy, disk full, connection
// lost) is rethrown: the whole transaction must go.
Status WriteInSavepoint(Session& s, const Submission& sub, TransactionCache& cache, Int64& id) {
  s << "SAVEPOINT submission", now;
  Status st = Status::Ok();
  try {
    st = WriteOne(s, sub, /*import=*/false, cache, id);
  } catch (const Poco::Exception& e) {
    Translated t = Translate(e, "storing a response");
    if (t.broken || t.status.code() == core::StatusCode::kUnavailable ||
        t.status.code() == core::StatusCode::kInternal) {
      throw;
    }
    st = t.status;
  }
  if (st.ok()) {
    s << "RELEASE SAVEPOINT submission", now;
  } else {
    s << "ROLLBACK TO SAVEPOINT submission", now;
    s << "RELEASE SAVEPOINT submission", now;
  }
  return st;
}

}  // namespace

// One submission waiting for the group commit (see SubmitResponse).
struct internal::PendingSubmission {
  const Submission* submission = nullptr;
  bool done = false;
  Result<Id> outcome = core::Internal("not written");
};

std::vector<Result<Id>> Store::SubmitResponses(std::span<const Submission> batch) {
  std::vector<Result<Id>> out(batch.size(), Result<Id>(core::Internal("not written")));
  std::vector<std::size_t> checked;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Status st = CheckSubmission(batch[i]);
    if (st.ok()) {
      checked.push_back(i);
    } else {
      out[i] = st;
    }
  }
  if (checked.empty()) return out;
  std::vector<Result<Id>> written(checked.size(), Result<Id>(core::Internal("not written")));
  Status tx = impl_->Write("storing responses", [&](Session& s) -> Status {
    TransactionCache cache;
    for (std::size_t k = 0; k < checked.size(); ++k) {
      Int64 id = 0;
      Status st = WriteInSavepoint(s, batch[checked[k]], cache, id);
      written[k] = st.ok() ? Result<Id>(Id{id}) : Result<Id>(st);
    }
    return Status::Ok();
  });
  for (std::size_t k = 0; k < checked.size(); ++k) out[checked[k]] = tx.ok() ? written[k] : Result<Id>(tx);
  return out;
}

Result<Id> Store::SubmitResponse(const ResponseMeta& meta, const core::Answers& answers,
                                 const std::optional<std::string>& token_hash,
                                 const std::optional<std::string>& idempotency_key) {
  const Submission sub{meta, answers, token_hash, idempotency_key};
  TRYGHED_RETURN_IF_ERROR(CheckSubmission(sub));
  // Group commit: the first caller to find no batch being written becomes the
  // writer and takes every waiting submission (itself included) into one
  // transaction; callers arriving meanwhile wait for the next batch. Each
  // caller returns only after the transaction holding its response committed.
  internal::PendingSubmission pending;
  pending.submission = &sub;
  Impl::GroupCommit& gc = impl_->group_commit();
  std::unique_lock lock(gc.mu);
  gc.queue.push_back(&pending);
  while (!pending.done) {
    if (gc.writing) {
      gc.cv.wait(lock);
      continue;
    }
    gc.writing = true;
    const std::size_t take = std::min(gc.queue.size(), kMaxGroup);
    std::vector<internal::PendingSubmission*> group(gc.queue.begin(), gc.queue.begin() + take);
    gc.queue.erase(gc.queue.begin(), gc.queue.begin() + take);
    lock.unlock();
    std::vector<Submission> subs;
    subs.reserve(group.size());
    for (const internal::PendingSubmission* p : group) subs.push_back(*p->submission);
    std::vector<Result<Id>> outcomes = SubmitResponses(subs);
    lock.lock();
    for (std::size_t i = 0; i < group.size(); ++i) {
      group[i]->outcome = std::move(outcomes[i]);
      group[i]->done = true;
    }
    gc.writing = false;
    gc.cv.notify_all();
  }
  return std::move(pending.outcome);
}

Result<std::vector<Id>> Store::ImportResponses(Id wave_id, const std::string& file_hash,
                                               std::span<const Submission> rows) {
  if (!IsSha256Hex(file_hash)) return core::InvalidArgument("an import file hash must be 64 lower-case hex characters");
  std::vector<Submission> subs(rows.begin(), rows.end());
  for (std::size_t i = 0; i < subs.size(); ++i) {
    Submission& sub = subs[i];
    if (sub.meta.wave_id != wave_id) {
      return core::InvalidArgument("row " + std::to_string(i + 1) + ": every imported response must belong to wave " +
                                   std::to_string(wave_id));
    }
    if (sub.token_hash || sub.idempotency_key) {
      return core::InvalidArgument("row " + std::to_string(i + 1) + ": imported responses carry no token or form key");
    }
    sub.meta.channel = Channel::kImport;
    sub.meta.import_batch_id = 0;  // replaced by the batch recorded below
    Status st = CheckSubmission(sub);
    if (!st.ok()) return st.WithContext("row " + std::to_string(i + 1));
  }
  std::vector<Id> ids;
  STORE_RETURN_IF_ERROR(impl_->Write("importing responses", [&](Session& s) -> Status {
    Result<Wave> w = SelectWave(s, wave_id);
    if (!w.ok()) return w.status();
    Int64 wid = wave_id, rows_n = static_cast<Int64>(subs.size()), n = 0, batch = 0;
    std::string h = file_hash, who = impl_->options().actor, at = NowTimestamp();
    s << "SELECT COUNT(*) FROM import_batch WHERE wave_id = $1 AND file_hash = $2", use(wid), use(h), into(n), now;
    if (n > 0) return core::AlreadyExists("this file was already imported into wave '" + w->label + "'");
    s << "INSERT INTO import_batch (wave_id, file_hash, row_count, imported_by, imported_at) VALUES ($1, $2, $3, $4, $5)"
         " RETURNING id",
        use(wid), use(h), use(rows_n), use(who), use(at), into(batch), now;
    TransactionCache cache;
    for (std::size_t i = 0; i < subs.size(); ++i) {
      subs[i].meta.import_batch_id = batch;
      Int64 id = 0;
      Status st = WriteOne(s, subs[i], /*import=*/true, cache, id);
      if (!st.ok()) return st.WithContext("row " + std::to_string(i + 1));
      ids.push_back(id);
    }
    impl_->Audit(s, "import", "wave " + std::to_string(wave_id),
                 std::to_string(subs.size()) + " rows, file " + file_hash.substr(0, 12));
    return Status::Ok();
  }));
  return ids;
}

Result<bool> Store::WasImported(Id wave_id, const std::string& file_hash) {
  if (!IsSha256Hex(file_hash)) return core::InvalidArgument("an import file hash must be 64 lower-case hex characters");
  Int64 n = 0;
  STORE_RETURN_IF_ERROR(impl_->Read("looking up an import", [&](Session& s) -> Status {
    Int64 wid = wave_id;
    std::string h = file_hash;
    s << "SELECT COUNT(*) FROM import_batch WHERE wave_id = $1 AND file_hash = $2", use(wid), use(h), into(n), now;
    return Status::Ok();
  }));
  return n > 0;
}

Result<std::vector<StoredResponse>> Store::ReadResponses(Id wave_id) {
  std::vector<StoredResponse> out;
  STORE_RETURN_IF_ERROR(impl_->Read("reading responses", [&](Session& s) -> Status {
    Int64 wid = wave_id;
    std::vector<Int64> ids, waves, areas, qvs, batches;
    std::vector<std::string> channels, languages, days, completeness;
    s << "SELECT id, wave_id, area_id, channel, language, questionnaire_version_id, received_on, completeness,"
         " COALESCE(import_batch_id, 0) FROM response WHERE wave_id = $1 ORDER BY id",
        use(wid), into(ids), into(waves), into(areas), into(channels), into(languages), into(qvs), into(days),
        into(completeness), into(batches), now;
    std::map<Int64, std::size_t> index;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      StoredResponse r;
      r.id = ids[i];
      r.meta = {waves[i], areas[i], ParseChannel(channels[i]), languages[i], qvs[i], days[i],
                completeness[i] == "complete" ? Completeness::kComplete : Completeness::kPartial, std::nullopt};
      if (batches[i] > 0) r.meta.import_batch_id = batches[i];
      index[ids[i]] = out.size();
      out.push_back(std::move(r));
    }
    std::vector<Int64> rids, codes;
    std::vector<std::string> items, kinds, code_sets, texts;
    std::vector<double> numbers;
    s << "SELECT a.response_id, a.item, a.kind, COALESCE(a.code, 0), COALESCE(a.codes, ''),"
         " COALESCE(a.number_value, 0.0), COALESCE(a.text_value, '')"
         " FROM answer a JOIN response r ON r.id = a.response_id WHERE r.wave_id = $1 ORDER BY a.response_id, a.item",
        use(wid), into(rids), into(items), into(kinds), into(codes), into(code_sets), into(numbers), into(texts), now;
    for (std::size_t i = 0; i < rids.size(); ++i) {
      auto it = index.find(rids[i]);
      if (it == index.end()) return core::Internal("an answer belongs to no response of the wave");
      core::Answers& a = out[it->second].answers;
      if (kinds[i] == "code") a[items[i]] = core::Code{codes[i]};
      else if (kinds[i] == "codes") a[items[i]] = SplitCodes(code_sets[i]);
      else if (kinds[i] == "number") a[items[i]] = numbers[i];
      else a[items[i]] = texts[i];
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::int64_t> Store::CountResponses(Id wave_id) {
  Int64 n = 0;
  STORE_RETURN_IF_ERROR(impl_->Read("counting responses", [&](Session& s) {
    Int64 wid = wave_id;
    s << "SELECT COUNT(*) FROM response WHERE wave_id = $1", use(wid), into(n), now;
    return Status::Ok();
  }));
  return std::int64_t{n};
}

Result<std::vector<DailyResponses>> Store::ResponsesPerDay(Id wave_id) {
  std::vector<DailyResponses> out;
  STORE_RETURN_IF_ERROR(impl_->Read("counting responses per day", [&](Session& s) -> Status {
    Result<Wave> w = SelectWave(s, wave_id);
    if (!w.ok()) return w.status();
    Int64 wid = wave_id;
    std::vector<std::string> days, channels;
    std::vector<Int64> areas, responses, complete;
    s << "SELECT received_on, area_id, channel, COUNT(*),"
         " SUM(CASE WHEN completeness = 'complete' THEN 1 ELSE 0 END)"
         " FROM response WHERE wave_id = $1 GROUP BY received_on, area_id, channel"
         " ORDER BY received_on, area_id, channel",
        use(wid), into(days), into(areas), into(channels), into(responses), into(complete), now;
    out.reserve(days.size());
    for (std::size_t i = 0; i < days.size(); ++i) {
      out.push_back({days[i], areas[i], ParseChannel(channels[i]), responses[i], complete[i]});
    }
    return Status::Ok();
  }));
  return out;
}


}  // namespace tryghed::store
