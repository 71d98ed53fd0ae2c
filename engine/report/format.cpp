#include "report/format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tryghed::report {

namespace {

constexpr const char* kMinus = "\u2212";
constexpr const char* kNbsp = "\u00a0";

// Groups the digits of a plain non-negative integer text in threes.
std::string GroupThousands(const std::string& digits, char separator) {
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += separator;
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string FormatDecimal(std::optional<double> x, int decimals, Language lang) {
  if (!x || !std::isfinite(*x)) return kDash;
  if (decimals < 0) decimals = 0;
  if (decimals > 6) decimals = 6;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::fabs(*x));
  const std::string text = buffer;
  const std::size_t dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
  const bool danish = lang == Language::kDanish;
  std::string out = GroupThousands(whole, danish ? '.' : ',');
  if (!fraction.empty()) {
    out += danish ? ',' : '.';
    out += fraction;
  }
  const bool zero = text.find_first_not_of("0.") == std::string::npos;
  if (*x < 0 && !zero) out = kMinus + out;
  return out;
}

std::string FormatCount(std::int64_t n, Language lang) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = GroupThousands(digits, lang == Language::kDanish ? '.' : ',');
  return n < 0 ? kMinus + out : out;
}

std::string FormatPercentNumber(std::optional<double> proportion, int decimals, Language lang) {
  if (!proportion || !std::isfinite(*proportion)) return kDash;
  return FormatDecimal(*proportion * 100.0, decimals, lang);
}

std::string FormatPercent(std::optional<double> proportion, int decimals, Language lang) {
  if (!proportion || !std::isfinite(*proportion)) return kDash;
  const std::string number = FormatPercentNumber(proportion, decimals, lang);
  return lang == Language::kDanish ? number + kNbsp + "%" : number + "%";
}

std::string FormatP(std::optional<double> p, Language lang) {
  if (!p || !std::isfinite(*p)) return kDash;
  if (*p < 0.001) return std::string("< ") + FormatDecimal(0.001, 3, lang);
  return FormatDecimal(*p, 3, lang);
}

std::string ConfidenceIntervalName(double level, Language lang) {
  const std::string percent = FormatDecimal(level * 100.0, std::fabs(level * 100.0 - std::round(level * 100.0)) < 1e-9 ? 0 : 1, lang);
  if (lang == Language::kDanish) return percent + kNbsp + "%-konfidensinterval";
  return percent + "% confidence interval";
}

std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int digits[8];
  int k = 0;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    digits[k++] = text[i] - '0';
  }
  const int year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
  const unsigned month = static_cast<unsigned>(digits[4] * 10 + digits[5]);
  const unsigned day = static_cast<unsigned>(digits[6] * 10 + digits[7]);
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok()) return std::nullopt;
  return date;
}

}  // namespace tryghed::report
