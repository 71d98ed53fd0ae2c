#pragma once
// tryghed::report — numbers as a Danish (or English) reader expects them in a
// report, independent of the machine's locale.
//
// Danish: decimal comma, a dot between thousands, a non-breaking space before
// the percent sign ("18 %", "1.234,5"); English: "18%", "1,234.5". Negative
// numbers take the minus sign U+2212 ("−2,5"), and a value that rounds to zero
// never shows a sign. A missing or non-finite value is the dash "–" (U+2013):
// no report ever prints "nan" or "inf".
//
// Example:
//
//   FormatDecimal(1234.56, 1, Language::kDanish)   // "1.234,6"
//   FormatPercent(0.1849, 0, Language::kDanish)    // "18 %" (U+00A0 before %)
//   FormatDecimal(-0.04, 1, Language::kEnglish)    // "0.0"
//   FormatDecimal(std::nullopt, 1, Language::kDanish)  // "–"
//
// Pure functions; safe from any thread.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tryghed::report {

enum class Language { kDanish, kEnglish };

// The dash shown for a missing or suppressed value.
inline constexpr const char* kDash = "\u2013";

// `x` rounded to `decimals` (0–6) places, with the language's separators.
std::string FormatDecimal(std::optional<double> x, int decimals, Language lang);

// A whole number with thousands separators: 12345 → "12.345" / "12,345".
std::string FormatCount(std::int64_t n, Language lang);

// A proportion in [0, 1] as percent: 0.184 → "18 %" / "18%".
std::string FormatPercent(std::optional<double> proportion, int decimals, Language lang);

// A proportion as a bare percent number without the sign: 0.184 → "18".
std::string FormatPercentNumber(std::optional<double> proportion, int decimals, Language lang);

// A p-value: "< 0,001" below 0.001, otherwise three decimals ("0,042").
std::string FormatP(std::optional<double> p, Language lang);

// "95 %-konfidensinterval" / "95% confidence interval" for level 0.95.
std::string ConfidenceIntervalName(double level, Language lang);

// A real calendar date written YYYY-MM-DD ("2026-05-31"); nullopt for
// anything else, "2026-02-30" included.
std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text);

}  // namespace tryghed::report
