#include "stats/contrast.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include "stats/internal/quantiles.h"

namespace tryghed::stats {

namespace {

using core::InvalidArgument;
using core::Numerical;
using core::Result;

// Parses the terms of `text` from `pos`, adding into `coef`; backtracks over
// the candidate names that fit at each position. Returns false when no
// reading of the rest works; `furthest` records the furthest failure.
bool ParseTerms(std::string_view text, std::size_t pos, std::span<const std::string> names,
                std::vector<double>& coef, bool first, std::size_t& furthest) {
  if (pos == text.size()) return !first;
  double sign = 1;
  if (text[pos] == '+' || text[pos] == '-') {
    sign = text[pos] == '-' ? -1 : 1;
    ++pos;
  } else if (!first) {
    furthest = std::max(furthest, pos);
    return false;
  }
  double factor = 1;
  const std::size_t star = text.find('*', pos);
  if (star != std::string_view::npos) {
    double value = 0;
    const char* b = text.data() + pos;
    const char* e = text.data() + star;
    auto [ptr, ec] = std::from_chars(b, e, value);
    if (ec == std::errc() && ptr == e && std::isfinite(value)) {
      factor = value;
      pos = star + 1;
    }
  }
  // Candidate names at pos, longest first.
  std::vector<std::size_t> order(names.size());
  for (std::size_t j = 0; j < names.size(); ++j) order[j] = j;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return names[a].size() > names[b].size(); });
  for (std::size_t j : order) {
    const std::string& name = names[j];
    if (name.empty() || text.compare(pos, name.size(), name) != 0) continue;
    const std::size_t next = pos + name.size();
    if (next != text.size() && text[next] != '+' && text[next] != '-') continue;
    coef[j] += sign * factor;
    if (ParseTerms(text, next, names, coef, false, furthest)) return true;
    coef[j] -= sign * factor;
  }
  furthest = std::max(furthest, pos);
  return false;
}

}  // namespace

Result<ContrastResult> LinearContrast(const Estimates& estimates, std::span<const double> coefficients) {
  const std::size_t k = estimates.estimate.size();
  if (coefficients.size() != k) {
    return InvalidArgument("contrast: " + std::to_string(coefficients.size()) + " coefficients for " +
                           std::to_string(k) + " estimates");
  }
  std::vector<std::size_t> index;
  std::vector<double> nonzero;
  for (std::size_t i = 0; i < k; ++i) {
    if (!std::isfinite(coefficients[i])) {
      return InvalidArgument("contrast: coefficient " + std::to_string(i + 1) + " is not a finite number");
    }
    if (coefficients[i] == 0) continue;  // adds exactly 0 to the sums below
    index.push_back(i);
    nonzero.push_back(coefficients[i]);
  }
  return LinearContrast(estimates, index, nonzero);
}

Result<ContrastResult> LinearContrast(const Estimates& estimates, std::span<const std::size_t> index,
                                      std::span<const double> coefficients) {
  const std::size_t k = estimates.estimate.size();
  if (index.size() != coefficients.size()) {
    return InvalidArgument("contrast: " + std::to_string(coefficients.size()) + " coefficients for " +
                           std::to_string(index.size()) + " indices");
  }
  if (estimates.covariance.rows != k || estimates.covariance.cols != k) {
    return InvalidArgument("contrast: the covariance matrix does not match the estimates");
  }
  for (std::size_t a = 0; a < index.size(); ++a) {
    if (index[a] >= k || (a > 0 && index[a] <= index[a - 1])) {
      return InvalidArgument("contrast: index " + std::to_string(index[a]) + " is out of range or not ascending");
    }
    if (!std::isfinite(coefficients[a])) {
      return InvalidArgument("contrast: coefficient " + std::to_string(index[a] + 1) + " is not a finite number");
    }
  }
  ContrastResult r;
  double var = 0;
  for (std::size_t a = 0; a < index.size(); ++a) {
    r.estimate += coefficients[a] * estimates.estimate[index[a]];
    for (std::size_t b = 0; b < index.size(); ++b) {
      var += coefficients[a] * estimates.covariance(index[a], index[b]) * coefficients[b];
    }
  }
  if (!std::isfinite(r.estimate) || !std::isfinite(var)) return Numerical("contrast: the result is not finite");
  r.se = std::sqrt(std::max(0.0, var));
  r.df = estimates.df;
  return r;
}

Result<std::vector<double>> ParseContrast(std::string_view expression, std::span<const std::string> names) {
  std::string text;
  for (char ch : expression) {
    if (ch != ' ') text += ch;
  }
  if (text.empty()) return InvalidArgument("contrast: the expression is empty; write e.g. \"A-B\"");
  std::vector<double> coef(names.size(), 0.0);
  std::size_t furthest = 0;
  if (!ParseTerms(text, 0, names, coef, true, furthest)) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    return InvalidArgument("contrast \"" + std::string(expression) + "\": cannot read \"" + text.substr(furthest) +
                           "\" as a level; the levels are " + known);
  }
  return coef;
}

namespace {

// The t test for any design: `contrast(used)` gives the difference of the
// group means, its standard error and the degrees of freedom of the units
// with used[i] (a value in either group).
template <class Contrast>
Result<DomainTTestResult> DomainMeanTTestWith(std::size_t n, std::span<const double> y,
                                              std::span<const std::int64_t> group, double level,
                                              Contrast contrast) {
  if (y.size() != n || group.size() != n) {
    return InvalidArgument("t test: the variable and the groups need one value per unit (" + std::to_string(n) + ")");
  }
  if (!(level > 0 && level < 1)) return InvalidArgument("t test: level must lie strictly between 0 and 1");
  std::unique_ptr<bool[]> used(new bool[n]);
  DomainTTestResult r;
  for (std::size_t i = 0; i < n; ++i) {
    if (group[i] < -1 || group[i] > 1) {
      return InvalidArgument("t test: row " + std::to_string(i + 1) + " has group " + std::to_string(group[i]) +
                             "; groups are 0, 1 or -1 (neither)");
    }
    used[i] = group[i] >= 0 && !std::isnan(y[i]);
    if (used[i]) ++(group[i] == 0 ? r.n_first : r.n_second);
  }
  if (r.n_first == 0 || r.n_second == 0) {
    return Numerical(std::string("t test: the ") + (r.n_first == 0 ? "first" : "second") +
                     " group has no unit with a value");
  }
  auto d = contrast(std::span<const bool>(used.get(), n));
  if (!d.ok()) return d.status();
  r.difference = d->estimate;
  r.se = d->se;
  r.df = d->df - 1;
  if (!(r.df > 0)) return Numerical("t test: the two groups leave no degrees of freedom (PSUs − strata − 1 ≤ 0)");
  auto q = internal::QuantileT(1 - (1 - level) / 2, r.df);
  if (!q.ok()) return q.status();
  r.lower = r.difference - *q * r.se;
  r.upper = r.difference + *q * r.se;
  if (r.se > 0) {
    r.t = r.difference / r.se;
    auto cdf = internal::CdfT(-std::abs(r.t), r.df);
    if (!cdf.ok()) return cdf.status();
    r.p_value = 2 * *cdf;
  } else {
    return Numerical("t test: the standard error of the difference is 0, so t is undefined");
  }
  return r;
}

// The difference of the two group means from MeanByDomain on any design,
// with `df` the degrees of freedom of the used units.
template <class AnyDesign>
Result<ContrastResult> GroupDifference(const AnyDesign& design, std::span<const double> y,
                                       std::span<const std::int64_t> group, double df) {
  const std::span<const double> vars[1] = {y};
  auto m = MeanByDomain(design, vars, Domains{group, 2});
  if (!m.ok()) return m.status();
  const double c[2] = {-1.0, 1.0};
  auto d = LinearContrast(*m, c);
  if (!d.ok()) return d.status();
  d->df = df;
  return d;
}

}  // namespace

Result<DomainTTestResult> DomainMeanTTest(const Design& design, std::span<const double> y,
                                          std::span<const std::int64_t> group, double level) {
  return DomainMeanTTestWith(design.size(), y, group, level, [&](std::span<const bool> used) {
    return GroupDifference(design, y, group, SubsetDf(design, used));
  });
}

Result<DomainTTestResult> DomainMeanTTest(const ReplicateDesign& design, std::span<const double> y,
                                          std::span<const std::int64_t> group, double level) {
  return DomainMeanTTestWith(design.size(), y, group, level, [&](std::span<const bool> used) {
    return GroupDifference(design, y, group, SubsetDf(design, used));
  });
}

}  // namespace tryghed::stats
