#include "evaluation/internal/columns.h"

#include <algorithm>
#include <map>

#include "evaluation/dataset.h"
#include "stats/design.h"

namespace tryghed::evaluation::internal {

std::vector<std::vector<core::Code>> CodesOf(const StudyData& data, std::span<const std::size_t> rows,
                                             std::span<const std::string> roles) {
  std::vector<std::vector<core::Code>> out(roles.size(), std::vector<core::Code>(rows.size(), kNoCode));
  // The roles in the maps' order, so each map is walked once beside them.
  std::vector<std::size_t> order(roles.size());
  for (std::size_t r = 0; r < order.size(); ++r) order[r] = r;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return roles[a] < roles[b]; });
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::map<std::string, core::Code>& bg = data.respondents[rows[i]].background;
    auto it = bg.begin();
    for (std::size_t r : order) {
      while (it != bg.end() && it->first < roles[r]) ++it;
      if (it == bg.end()) break;
      if (it->first == roles[r]) out[r][i] = it->second;
    }
  }
  return out;
}

std::vector<std::vector<double>> ValuesOf(const StudyData& data, std::span<const std::size_t> rows) {
  const std::size_t K = data.indicators.size();
  std::vector<std::vector<double>> out(K, std::vector<double>(rows.size(), stats::kMissing));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::vector<std::optional<double>>& v = data.respondents[rows[i]].values;
    for (std::size_t k = 0; k < K && k < v.size(); ++k) {
      if (v[k]) out[k][i] = *v[k];
    }
  }
  return out;
}

}  // namespace tryghed::evaluation::internal
