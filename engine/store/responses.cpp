// The response side of the store: writing responses (one, a group-committed
// batch, or an all-or-nothing import) and reading them back.
#include <Poco/Exception.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <span>
#include <unordered_set>
#include <utility>

#include "core/sha256.h"
#include "store/internal/answers_json.h"
#include "store/internal/session.h"
#include "store/store.h"

namespace tryghed::store {

namespace {

// Most submissions written in one group-commit transaction.
constexpr std::size_t kMaxGroup = 512;
// Rows of an import written by one WriteGroup call (divides 1,000: the
// progress of an import is reported every 1,000 rows).
constexpr std::size_t kImportSlice = 500;

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

// The checks of one submission inside the transaction that write nothing: its
// wave (open, unless `import`: older waves are imported after they closed),
// the wave's questionnaire version, the area and the import batch.
Status CheckInTransaction(Session& s, const Submission& sub, bool import, TransactionCache& cache) {
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
  return Status::Ok();
}

// Sorts `keys` and, in step, `waves` (the key's wave) by key.
void SortTogether(std::vector<std::string>& keys, std::vector<Int64>& waves) {
  std::vector<std::size_t> order(keys.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  std::vector<std::string> sorted_keys;
  std::vector<Int64> sorted_waves;
  for (std::size_t i : order) {
    sorted_keys.push_back(std::move(keys[i]));
    sorted_waves.push_back(waves[i]);
  }
  keys = std::move(sorted_keys);
  waves = std::move(sorted_waves);
}

// Writes checked submissions (CheckSubmission) inside the caller's
// transaction with a few statements for all of them instead of several per
// submission: one INSERT of the form keys, one conditional UPDATE per
// invitation token and one INSERT of the responses, each with its answers
// packed into the row (internal/answers_json.h), each statement prepared once
// with its values bound as columns. `out[i]` gets
// the outcome of `subs[i]`; a submission that fails a check leaves nothing
// behind (a used token's form key is deleted again, as a rollback would).
// Returns the positions of submissions not written because an earlier one of
// the same call has the same form key: the caller writes them afterwards, one
// by one, so that a repeated key is judged against the first one's outcome.
// Throws what Poco::Data throws when a statement fails.
std::vector<std::size_t> WriteGroup(Session& s, std::span<const Submission* const> subs, bool import,
                                    TransactionCache& cache, std::span<Result<Id>> out) {
  const std::size_t n = subs.size();
  std::vector<char> live(n, 0);
  std::vector<std::size_t> repeated;
  std::vector<std::string> key_hashes(n);
  std::vector<std::string> keys;
  std::vector<Int64> key_waves;
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < n; ++i) {
    Status st = CheckInTransaction(s, *subs[i], import, cache);
    if (!st.ok()) {
      out[i] = st;
      continue;
    }
    if (subs[i]->idempotency_key) {
      key_hashes[i] = core::Sha256Hex(*subs[i]->idempotency_key);
      if (!seen.insert(key_hashes[i]).second) {
        repeated.push_back(i);
        continue;
      }
      keys.push_back(key_hashes[i]);
      key_waves.push_back(subs[i]->meta.wave_id);
    }
    live[i] = 1;
  }
  // Form keys: the rows that conflict with a stored key return nothing.
  // Rows are locked in sorted order (here and for tokens and drafts below),
  // so two servers writing groups that share a key or token wait for each
  // other instead of deadlocking (PostgreSQL would abort one group).
  if (!keys.empty()) {
    SortTogether(keys, key_waves);
    std::vector<std::string> inserted;
    ExecuteBatch(s, "INSERT INTO submission_key (key_hash, wave_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                    " RETURNING key_hash",
                 [&](Statement& st) { st, use(keys), use(key_waves), into(inserted); });
    const std::unordered_set<std::string> fresh(inserted.begin(), inserted.end());
    for (std::size_t i = 0; i < n; ++i) {
      if (live[i] && subs[i]->idempotency_key && !fresh.contains(key_hashes[i])) {
        out[i] = core::AlreadyExists("this form was already submitted (the earlier submission is stored)");
        live[i] = 0;
      }
    }
  }
  // Invitation tokens: the affected-row count of each conditional UPDATE decides.
  std::vector<std::size_t> by_token;
  for (std::size_t i = 0; i < n; ++i) {
    if (live[i] && subs[i]->token_hash) by_token.push_back(i);
  }
  std::sort(by_token.begin(), by_token.end(),
            [&](std::size_t a, std::size_t b) { return *subs[a]->token_hash < *subs[b]->token_hash; });
  std::vector<std::string> drafts;
  for (std::size_t i : by_token) {
    const ResponseMeta& meta = subs[i]->meta;
    std::string disposition = meta.completeness == Completeness::kComplete ? "complete" : "partial";
    std::string h = *subs[i]->token_hash;
    Int64 wid = meta.wave_id, aid = meta.area_id;
    Statement st(s);
    st << "UPDATE invitation SET disposition = $1 WHERE token_hash = $2 AND wave_id = $3 AND area_id = $4"
          " AND disposition = 'not used'",
        use(disposition), use(h), use(wid), use(aid);
    if (Exec(st) == 1) {
      drafts.push_back(std::move(h));  // the link-mode draft (forms.cpp) goes with its submission
      continue;
    }
    std::vector<Int64> waves, areas;
    s << "SELECT wave_id, area_id FROM invitation WHERE token_hash = $1", use(h), into(waves), into(areas), now;
    out[i] = waves.empty() || waves[0] != wid || areas[0] != aid
                 ? core::NotFound("no invitation with this token for this wave and area")
                 : core::AlreadyExists("this invitation has already been used");
    live[i] = 0;
    if (subs[i]->idempotency_key) s << "DELETE FROM submission_key WHERE key_hash = $1", use(key_hashes[i]), now;
  }
  if (!drafts.empty()) ExecuteRows(s, "DELETE FROM form_draft WHERE token_hash = $1", drafts);
  // The responses, then their answers.
  std::vector<std::size_t> rows;
  std::vector<Int64> waves, areas, versions, batches;
  std::vector<std::string> channels, languages, days, completeness, answers;
  const std::string today = Today();
  for (std::size_t i = 0; i < n; ++i) {
    if (!live[i]) continue;
    const ResponseMeta& meta = subs[i]->meta;
    rows.push_back(i);
    waves.push_back(meta.wave_id);
    areas.push_back(meta.area_id);
    channels.push_back(ChannelName(meta.channel));
    languages.push_back(meta.language);
    versions.push_back(meta.questionnaire_version_id);
    days.push_back(meta.received_on.empty() ? today : meta.received_on);
    completeness.push_back(meta.completeness == Completeness::kComplete ? "complete" : "partial");
    batches.push_back(meta.import_batch_id.value_or(0));  // 0: none (NULLIF below); ids start at 1
    answers.push_back(PackAnswers(subs[i]->answers));
  }
  if (rows.empty()) return repeated;
  std::vector<Int64> ids;
  ExecuteBatch(s, "INSERT INTO response (wave_id, area_id, channel, language, questionnaire_version_id, received_on,"
                  " completeness, import_batch_id, answers) VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, 0), $9)"
                  " RETURNING id",
               [&](Statement& st) {
                 st, use(waves), use(areas), use(channels), use(languages), use(versions), use(days),
                     use(completeness), use(batches), use(answers), into(ids);
               });
  if (ids.size() != rows.size()) {
    throw Poco::IllegalStateException("the database returned " + std::to_string(ids.size()) + " ids for " +
                                      std::to_string(rows.size()) + " new responses");
  }
  for (std::size_t k = 0; k < rows.size(); ++k) out[rows[k]] = Id{ids[k]};
  return repeated;
}

// True when a statement's failure must end the whole transaction (busy, disk
// full, connection lost, or not understood) rather than only one submission.
bool FailsTheTransaction(const Translated& t) {
  return t.broken || t.status.code() == core::StatusCode::kUnavailable ||
         t.status.code() == core::StatusCode::kInternal;
}

// Writes one submission inside a savepoint, so that its failure, also one
// only the database notices (a constraint, a trigger), undoes only its own
// statements. A failure of the database itself is rethrown.
Result<Id> WriteInSavepoint(Session& s, const Submission& sub, TransactionCache& cache) {
  s << "SAVEPOINT submission", now;
  Result<Id> outcome = core::Internal("not written");
  const Submission* one[] = {&sub};
  try {
    (void)WriteGroup(s, one, /*import=*/false, cache, std::span<Result<Id>>(&outcome, 1));
  } catch (const Poco::Exception& e) {
    Translated t = Translate(e, "storing a response");
    if (FailsTheTransaction(t)) throw;
    outcome = t.status;
  }
  if (outcome.ok()) {
    s << "RELEASE SAVEPOINT submission", now;
  } else {
    s << "ROLLBACK TO SAVEPOINT submission", now;
    s << "RELEASE SAVEPOINT submission", now;
  }
  return outcome;
}

// Writes a group of checked submissions in the open transaction: all at once
// (WriteGroup) inside one savepoint, and only if a statement fails for
// a reason of one submission's own, the savepoint is rolled back and each
// submission is written in its own savepoint, so that the failure is its own.
void WriteSubmissions(Session& s, std::span<const Submission* const> subs, std::span<Result<Id>> out) {
  TransactionCache cache;
  if (subs.size() > 1) {
    s << "SAVEPOINT submissions", now;
    try {
      const std::vector<std::size_t> repeated = WriteGroup(s, subs, /*import=*/false, cache, out);
      s << "RELEASE SAVEPOINT submissions", now;
      for (std::size_t i : repeated) out[i] = WriteInSavepoint(s, *subs[i], cache);
      return;
    } catch (const Poco::Exception& e) {
      if (FailsTheTransaction(Translate(e, "storing responses"))) throw;
      s << "ROLLBACK TO SAVEPOINT submissions", now;
      s << "RELEASE SAVEPOINT submissions", now;
    }
  }
  for (std::size_t i = 0; i < subs.size(); ++i) out[i] = WriteInSavepoint(s, *subs[i], cache);
}

}  // namespace

// One submission waiting for the group commit (see SubmitResponse).
struct internal::PendingSubmission {
  const Submission* submission = nullptr;
  bool done = false;
  Result<Id> outcome = core::Internal("not written");
};

namespace {

// Writes checked submissions in one transaction; when the transaction itself
// fails, every outcome is its error.
std::vector<Result<Id>> WriteChecked(Store::Impl& impl, std::span<const Submission* const> subs) {
  std::vector<Result<Id>> out(subs.size(), Result<Id>(core::Internal("not written")));
  Status tx = impl.Write("storing responses", [&](Session& s) -> Status {
    WriteSubmissions(s, subs, out);
    return Status::Ok();
  });
  if (!tx.ok()) std::fill(out.begin(), out.end(), Result<Id>(tx));
  return out;
}

}  // namespace

std::vector<Result<Id>> Store::SubmitResponses(std::span<const Submission> batch) {
  std::vector<Result<Id>> out(batch.size(), Result<Id>(core::Internal("not written")));
  std::vector<std::size_t> checked;
  std::vector<const Submission*> subs;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Status st = CheckSubmission(batch[i]);
    if (st.ok()) {
      checked.push_back(i);
      subs.push_back(&batch[i]);
    } else {
      out[i] = st;
    }
  }
  if (checked.empty()) return out;
  std::vector<Result<Id>> written = WriteChecked(*impl_, subs);
  for (std::size_t k = 0; k < checked.size(); ++k) out[checked[k]] = std::move(written[k]);
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
    std::vector<const Submission*> subs;
    subs.reserve(group.size());
    for (const internal::PendingSubmission* p : group) subs.push_back(p->submission);
    std::vector<Result<Id>> outcomes = WriteChecked(*impl_, subs);
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
                                               std::span<const Submission> rows, const core::ProgressFn& progress) {
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
    ids.clear();  // a retried transaction writes every row again
    // In slices of kImportSlice rows, so that the bound columns of a large
    // file never hold more than one slice; progress every 1,000 rows.
    std::vector<const Submission*> slice;
    std::vector<Result<Id>> out;
    for (std::size_t first = 0; first < subs.size(); first += kImportSlice) {
      const std::size_t last = std::min(subs.size(), first + kImportSlice);
      slice.clear();
      for (std::size_t i = first; i < last; ++i) {
        subs[i].meta.import_batch_id = batch;
        slice.push_back(&subs[i]);
      }
      out.assign(slice.size(), Result<Id>(core::Internal("not written")));
      (void)WriteGroup(s, slice, /*import=*/true, cache, out);  // imports carry no form keys: nothing repeated
      for (std::size_t k = 0; k < out.size(); ++k) {
        if (!out[k].ok()) return out[k].status().WithContext("row " + std::to_string(first + k + 1));
        ids.push_back(*out[k]);
      }
      if (last % 1000 == 0 || last == subs.size()) core::ReportProgress(progress, last, subs.size());
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
    std::vector<std::string> channels, languages, days, completeness, answers;
    s << "SELECT id, wave_id, area_id, channel, language, questionnaire_version_id, received_on, completeness,"
         " COALESCE(import_batch_id, 0), answers FROM response WHERE wave_id = $1 ORDER BY id",
        use(wid), into(ids), into(waves), into(areas), into(channels), into(languages), into(qvs), into(days),
        into(completeness), into(batches), into(answers), now;
    out.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      StoredResponse r;
      r.id = ids[i];
      r.meta = {waves[i], areas[i], ParseChannel(channels[i]), languages[i], qvs[i], days[i],
                completeness[i] == "complete" ? Completeness::kComplete : Completeness::kPartial, std::nullopt};
      if (batches[i] > 0) r.meta.import_batch_id = batches[i];
      Result<core::Answers> unpacked = UnpackAnswers(answers[i]);
      if (!unpacked.ok()) return core::Internal("response " + std::to_string(ids[i]) + ": " + unpacked.status().message());
      r.answers = std::move(unpacked).value();
      out.push_back(std::move(r));
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
