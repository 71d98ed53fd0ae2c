#pragma once
// tryghed::cli — the demo study: synthetic but realistic data that every
// later feature (evaluation, reports, dashboard) is shown and tested on.
//
// CreateDemo writes a study named "demo" shaped like the pilot in
// Gadehavegård: one pilot area of about 1,000 households and two comparison
// areas, four waves (two closed, the third open and partly collected, the
// fourth a draft), the given questionnaire, population margins per area,
// invitations with AAPOR dispositions, link and kiosk responses, and a
// registered-crime CSV beside the database. Respondents are drawn from a
// latent-safety model (docs/demo.md) whose pilot area gains kPilotEffect
// standard deviations of latent safety from wave 3 on and whose comparison
// areas do not, so the evaluation has a known true effect to find.
//
// Deterministic for a given seed. Not thread-safe (one store, one caller).
#include <cstdint>
#include <string>

#include "core/progress.h"
#include "core/status.h"
#include "questionnaire/model.h"
#include "store/store.h"

namespace tryghed::cli {

// The latent shift of the pilot area from wave 3 on, in standard deviations
// of the residents' latent safety (about +6 points on the tryghedsindeks).
inline constexpr double kPilotEffect = 0.20;

struct DemoOptions {
  std::string study_name = "demo";
  std::uint64_t seed = 2026;
  // Fraction of each area's population invited per wave.
  double invited_fraction = 0.30;
  // Where to write the registered-crime CSV (area, wave, reports, population);
  // empty: none.
  std::string crime_csv_path;
};

// What CreateDemo made, for the caller to print.
struct DemoSummary {
  std::int64_t responses = 0;
  std::int64_t invitations = 0;
  int areas = 0;
  int waves = 0;
};

// Creates the demo study in `db` with questionnaire `q` (whose JSON `json`
// is stored as the waves' version). AlreadyExists when a study with the name
// exists; any store failure is returned as is (the study may then be partly
// written; demo data are disposable).
core::Result<DemoSummary> CreateDemo(store::Store& db, const questionnaire::Questionnaire& q,
                                     const std::string& json, const DemoOptions& options,
                                     const core::ProgressFn& progress);

}  // namespace tryghed::cli
