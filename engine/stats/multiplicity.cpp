// Adjusted p-values; each branch follows the R 4.2 source of stats::p.adjust
// line by line (comments show the R expression).
#include "stats/multiplicity.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>

namespace tryghed::stats {
namespace {

// order(p) (ascending) or order(p, decreasing = TRUE); stable like R's radix sort.
std::vector<std::size_t> Order(const std::vector<double>& p, bool decreasing) {
  std::vector<std::size_t> o(p.size());
  std::iota(o.begin(), o.end(), std::size_t{0});
  if (decreasing) {
    std::stable_sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
  } else {
    std::stable_sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  }
  return o;
}

// Hommel's method as in p.adjust (n >= 3 here).
std::vector<double> Hommel(const std::vector<double>& p_in) {
  const std::size_t n = p_in.size();
  const std::vector<std::size_t> o = Order(p_in, false);
  std::vector<double> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = p_in[o[i]];  // p <- p[o]
  // q <- pa <- rep.int(min(n*p/i), n)
  double start = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    start = std::min(start, static_cast<double>(n) * p[i] / static_cast<double>(i + 1));
  }
  std::vector<double> q(n, start), pa(n, start);
  for (std::size_t m = n - 1; m >= 2; --m) {
    // i1 <- seq_len(n-m+1); i2 <- (n-m+2):n   (1-based)
    const std::size_t n_i1 = n - m + 1;
    double q1 = std::numeric_limits<double>::infinity();  // min(m*p[i2]/(2:m))
    for (std::size_t k = 0; k + n_i1 < n; ++k) {
      q1 = std::min(q1, static_cast<double>(m) * p[n_i1 + k] / static_cast<double>(k + 2));
    }
    for (std::size_t i = 0; i < n_i1; ++i) q[i] = std::min(static_cast<double>(m) * p[i], q1);
    for (std::size_t i = n_i1; i < n; ++i) q[i] = q[n_i1 - 1];  // q[i2] <- q[n-m+1]
    for (std::size_t i = 0; i < n; ++i) pa[i] = std::max(pa[i], q[i]);
  }
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) out[o[i]] = std::max(pa[i], p[i]);  // pmax(pa, p)[ro]
  return out;
}

}  // namespace

std::string_view AdjustMethodName(AdjustMethod method) {
  switch (method) {
    case AdjustMethod::kHolm: return "holm";
    case AdjustMethod::kHochberg: return "hochberg";
    case AdjustMethod::kHommel: return "hommel";
    case AdjustMethod::kBonferroni: return "bonferroni";
    case AdjustMethod::kBH: return "BH";
    case AdjustMethod::kBY: return "BY";
    case AdjustMethod::kNone: return "none";
  }
  return "unknown";
}

core::Result<AdjustMethod> ParseAdjustMethod(std::string_view name) {
  for (AdjustMethod m : {AdjustMethod::kHolm, AdjustMethod::kHochberg, AdjustMethod::kHommel,
                         AdjustMethod::kBonferroni, AdjustMethod::kBH, AdjustMethod::kBY,
                         AdjustMethod::kNone}) {
    if (name == AdjustMethodName(m)) return m;
  }
  if (name == "fdr") return AdjustMethod::kBH;
  return core::InvalidArgument("unknown p-value adjustment '" + std::string(name) +
                               "'; use one of holm, hochberg, hommel, bonferroni, BH (fdr), BY, none");
}

core::Result<std::vector<double>> AdjustPValues(std::span<const double> p_span, AdjustMethod method) {
  if (p_span.empty()) return core::InvalidArgument("no p-values to adjust (empty input)");
  for (std::size_t i = 0; i < p_span.size(); ++i) {
    const double v = p_span[i];
    if (!(v >= 0.0 && v <= 1.0)) {  // also catches NaN
      return core::InvalidArgument("p-value " + std::to_string(i + 1) + " of " + std::to_string(p_span.size()) +
                                   " is " + (std::isnan(v) ? std::string("missing (NaN)") : std::to_string(v)) +
                                   "; every p-value must lie in [0, 1]");
    }
  }
  std::vector<double> p(p_span.begin(), p_span.end());
  const std::size_t n = p.size();
  const double nd = static_cast<double>(n);
  if (n <= 1 || method == AdjustMethod::kNone) return p;  // if (n <= 1) return(p0)
  if (n == 2 && method == AdjustMethod::kHommel) method = AdjustMethod::kHochberg;

  std::vector<double> out(n);
  switch (method) {
    case AdjustMethod::kBonferroni:  // pmin(1, n * p)
      for (std::size_t i = 0; i < n; ++i) out[i] = std::min(1.0, nd * p[i]);
      return out;
    case AdjustMethod::kHolm: {  // pmin(1, cummax((n - i + 1) * p[o]))[ro], i = 1..n
      const std::vector<std::size_t> o = Order(p, false);
      double running = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        running = std::max(running, static_cast<double>(n - i) * p[o[i]]);
        out[o[i]] = std::min(1.0, running);
      }
      return out;
    }
    case AdjustMethod::kHommel:
      return Hommel(p);
    case AdjustMethod::kHochberg:
    case AdjustMethod::kBH:
    case AdjustMethod::kBY: {
      // i <- n:1; o <- order(p, decreasing = TRUE); pmin(1, cummin(f(i) * p[o]))[ro]
      //   hochberg: f(i) = n + 1 - i;  BH: n / i;  BY: q * n / i with q = sum(1/(1:n)).
      double q = 1.0;
      if (method == AdjustMethod::kBY) {
        q = 0.0;
        for (std::size_t k = 1; k <= n; ++k) q += 1.0 / static_cast<double>(k);
      }
      const std::vector<std::size_t> o = Order(p, true);
      double running = std::numeric_limits<double>::infinity();
      for (std::size_t j = 0; j < n; ++j) {
        const double i = static_cast<double>(n - j);
        const double factor = method == AdjustMethod::kHochberg ? (nd + 1.0 - i) : q * nd / i;
        running = std::min(running, factor * p[o[j]]);
        out[o[j]] = std::min(1.0, running);
      }
      return out;
    }
    case AdjustMethod::kNone:
      break;
  }
  return p;
}

}  // namespace tryghed::stats
