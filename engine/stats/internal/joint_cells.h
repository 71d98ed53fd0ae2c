#pragma once
// Internal to tryghed::stats: the joint cells of several raking margins
// (every combination of levels that occurs), as R's rake() tabulates
// svytable(~all margin variables) to decide when a sweep has converged.
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "stats/calibration.h"

namespace tryghed::stats::internal {

struct JointCells {
  std::vector<std::size_t> cell;  // per unit: 0 .. count-1
  std::size_t count = 0;
};

// Numbers the joint cells of `margins` over n units in order of first
// appearance.
inline JointCells IndexJointCells(std::span<const Margin> margins, std::size_t n) {
  JointCells out;
  out.cell.resize(n);
  std::map<std::vector<std::int64_t>, std::size_t> index;
  std::vector<std::int64_t> key(margins.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t m = 0; m < margins.size(); ++m) key[m] = margins[m].level[i];
    out.cell[i] = index.emplace(key, index.size()).first->second;
  }
  out.count = index.size();
  return out;
}

}  // namespace tryghed::stats::internal
