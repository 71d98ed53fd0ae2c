#pragma once
// Internal to tryghed::evaluation: a series' respondents read into columns,
// once, so the estimators pass over contiguous arrays instead of looking up
// each respondent's maps and vectors for every estimate.
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/answers.h"

namespace tryghed::evaluation {
struct StudyData;  // evaluation/dataset.h
}  // namespace tryghed::evaluation

namespace tryghed::evaluation::internal {

// "No code": the respondent has no substantive answer for the role.
inline constexpr core::Code kNoCode = std::numeric_limits<core::Code>::min();

// The code of each background role roles[r] of each respondent
// data.respondents[rows[i]] (column r, entry i), kNoCode where the respondent
// has none; every respondent's map is read once for all roles.
std::vector<std::vector<core::Code>> CodesOf(const StudyData& data, std::span<const std::size_t> rows,
                                             std::span<const std::string> roles);

// The values of every indicator (StudyData::indicators) of each respondent
// in `rows`, in one pass: column k, entry i; NaN where the respondent has no
// value (stats::kMissing).
std::vector<std::vector<double>> ValuesOf(const StudyData& data, std::span<const std::size_t> rows);

}  // namespace tryghed::evaluation::internal
