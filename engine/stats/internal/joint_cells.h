#pragma once
// Internal to tryghed::stats: the joint cells of several raking margins
// (every combination of levels that occurs), as R's rake() tabulates
// svytable(~all margin variables) to decide when a sweep has converged.
#include <algorithm>
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
  // Few possible combinations (the usual case): a table indexed by the
  // mixed-radix code of the levels instead of a map lookup per unit.
  std::size_t combinations = 1;
  for (const Margin& m : margins) {
    const std::size_t levels = std::max<std::size_t>(m.population.size(), 1);
    combinations = combinations > (std::size_t{1} << 22) / levels ? std::size_t{1} << 23 : combinations * levels;
  }
  bool levels_in_range = combinations <= (std::size_t{1} << 22);
  for (std::size_t m = 0; m < margins.size() && levels_in_range; ++m) {
    for (std::size_t i = 0; i < n && levels_in_range; ++i) {
      const std::int64_t l = margins[m].level[i];
      levels_in_range = l >= 0 && static_cast<std::size_t>(l) < margins[m].population.size();
    }
  }
  if (levels_in_range) {
    constexpr std::size_t kUnseen = static_cast<std::size_t>(-1);
    std::vector<std::size_t> index(combinations, kUnseen);
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t code = 0;
      for (const Margin& m : margins) code = code * m.population.size() + static_cast<std::size_t>(m.level[i]);
      if (index[code] == kUnseen) index[code] = out.count++;
      out.cell[i] = index[code];
    }
    return out;
  }
  std::map<std::vector<std::int64_t>, std::size_t> index;
  std::vector<std::int64_t> key(margins.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t m = 0; m < margins.size(); ++m) key[m] = margins[m].level[i];
    out.cell[i] = index.try_emplace(key, index.size()).first->second;
  }
  out.count = index.size();
  return out;
}

}  // namespace tryghed::stats::internal
