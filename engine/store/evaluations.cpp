// The dashboard's side of the store: the latest evaluation of each study
// (Migration4, docs/store.md "Evaluations") and audit entries for actions
// that change nothing else (downloads of raw data and tokens).
#include "store/internal/session.h"
#include "store/store.h"

namespace tryghed::store {

Result<Id> Store::SaveEvaluation(Id study_id, const std::string& result_json) {
  if (result_json.empty()) return core::InvalidArgument("an evaluation result cannot be empty");
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("saving the evaluation of study " + std::to_string(study_id),
                                     [&](Session& s) -> Status {
    Int64 sid = study_id, n = 0;
    s << "SELECT COUNT(*) FROM study WHERE id = $1", use(sid), into(n), now;
    if (n == 0) return core::NotFound("no study with id " + std::to_string(study_id));
    s << "DELETE FROM evaluation_result WHERE study_id = $1", use(sid), now;
    std::string at = NowTimestamp(), by = impl_->Actor(), json = result_json;
    s << "INSERT INTO evaluation_result (study_id, made_at, made_by, result_json) VALUES ($1, $2, $3, $4) RETURNING id",
        use(sid), use(at), use(by), use(json), into(id), now;
    impl_->Audit(s, "evaluation.save", "study " + std::to_string(study_id),
                 std::to_string(result_json.size()) + " bytes of results");
    return Status::Ok();
  }));
  return Id{id};
}

Result<StoredEvaluation> Store::LatestEvaluation(Id study_id) {
  StoredEvaluation out;
  STORE_RETURN_IF_ERROR(impl_->Read("reading the evaluation of study " + std::to_string(study_id),
                                    [&](Session& s) -> Status {
    Int64 sid = study_id;
    std::vector<Int64> ids;
    std::vector<std::string> at, by, json;
    s << "SELECT id, made_at, made_by, result_json FROM evaluation_result WHERE study_id = $1 ORDER BY id DESC LIMIT 1",
        use(sid), into(ids), into(at), into(by), into(json), now;
    if (ids.empty()) return core::NotFound("study " + std::to_string(study_id) + " has no stored evaluation");
    out = {ids[0], study_id, at[0], by[0], json[0]};
    return Status::Ok();
  }));
  return out;
}

Status Store::LogAction(const std::string& action, const std::string& subject, const std::string& detail) {
  if (action.empty()) return core::InvalidArgument("an audit entry needs an action");
  return impl_->Write("writing the audit log", [&](Session& s) -> Status {
    impl_->Audit(s, action, subject, detail);
    return Status::Ok();
  });
}

}  // namespace tryghed::store
