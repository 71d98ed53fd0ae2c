// p.adjust against R: the B33/B34 rows of reference_values.csv, Hommel rows of
// extra_values.csv, hand-worked cases and bad input.
#include "stats/multiplicity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <limits>
#include <string>
#include <vector>

#include "csv_fixture.h"

namespace tryghed::stats {
namespace {

using testing::LoadReferenceValues;
using testing::ReferenceRow;

void ExpectRel(double actual, double expected, double rel_tol, const std::string& what) {
  EXPECT_LE(std::fabs(actual - expected), rel_tol * std::fabs(expected) + 1e-300)
      << what << ": got " << actual << ", R gives " << expected;
}

// "raw p = 0.00765359563214756 (6 p-values: ...)" -> 0.00765359563214756
double RawPFromNote(const std::string& note) {
  const std::string key = "raw p = ";
  const std::size_t at = note.find(key);
  if (at == std::string::npos) throw std::runtime_error("no raw p in note: " + note);
  return std::stod(note.substr(at + key.size()));
}

TEST(AdjustPValues, MatchesRForTheSixWaveContrasts) {  // rows B33.*
  const auto ref = LoadReferenceValues();
  const std::vector<const ReferenceRow*> holm = ref.WithPrefix("B33.padjust_holm.");
  ASSERT_EQ(holm.size(), 6u);
  std::vector<double> raw;
  std::vector<std::string> names;
  for (const ReferenceRow* r : holm) {
    raw.push_back(RawPFromNote(r->note));
    names.push_back(r->domain);
  }
  int checked = 0;
  for (const char* method : {"holm", "BH", "bonferroni", "hochberg", "BY"}) {
    core::Result<AdjustMethod> m = ParseAdjustMethod(method);
    ASSERT_TRUE(m.ok());
    core::Result<std::vector<double>> adj = AdjustPValues(raw, *m);
    ASSERT_TRUE(adj.ok()) << adj.status().ToString();
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const ReferenceRow& r = ref.Get(std::string("B33.padjust_") + method + "." + names[i]);
      ExpectRel((*adj)[i], *r.estimate, r.rel_tol, r.id);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 30);
}

TEST(AdjustPValues, MatchesRForTheFixedVector) {  // rows B34.*
  const auto ref = LoadReferenceValues();
  const std::vector<double> p = {0.0001, 0.004, 0.019, 0.021, 0.03, 0.04, 0.2, 0.5, 0.5, 0.9};
  int checked = 0;
  for (const char* method : {"holm", "BH", "bonferroni", "hochberg", "BY"}) {
    core::Result<std::vector<double>> adj = AdjustPValues(p, ParseAdjustMethod(method).value());
    ASSERT_TRUE(adj.ok());
    for (std::size_t i = 0; i < p.size(); ++i) {
      char id[64];
      std::snprintf(id, sizeof id, "B34.padjust_fixed_%s.p%02zu", method, i + 1);
      const ReferenceRow& r = ref.Get(id);
      ExpectRel((*adj)[i], *r.estimate, r.rel_tol, r.id);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 50);
}

TEST(AdjustPValues, HommelMatchesR) {  // extra_values.csv rows E01.* (R code in extra_values.R)
  const auto extra = LoadReferenceValues("extra_values.csv");
  const std::vector<const ReferenceRow*> rows = extra.WithPrefix("E01.padjust_fixed_hommel.");
  const std::vector<double> p = {0.0001, 0.004, 0.019, 0.021, 0.03, 0.04, 0.2, 0.5, 0.5, 0.9};
  ASSERT_EQ(rows.size(), p.size());
  core::Result<std::vector<double>> adj = AdjustPValues(p, AdjustMethod::kHommel);
  ASSERT_TRUE(adj.ok());
  for (std::size_t i = 0; i < p.size(); ++i) ExpectRel((*adj)[i], *rows[i]->estimate, rows[i]->rel_tol, rows[i]->id);

  const std::vector<const ReferenceRow*> rows3 = extra.WithPrefix("E02.padjust_hommel3.");
  const std::vector<double> p3 = {0.01, 0.02, 0.04};
  ASSERT_EQ(rows3.size(), p3.size());
  core::Result<std::vector<double>> adj3 = AdjustPValues(p3, AdjustMethod::kHommel);
  ASSERT_TRUE(adj3.ok());
  for (std::size_t i = 0; i < p3.size(); ++i) {
    ExpectRel((*adj3)[i], *rows3[i]->estimate, rows3[i]->rel_tol, rows3[i]->id);
  }
}

TEST(AdjustPValues, HolmOnFourByHand) {
  // p = (0.01, 0.04, 0.03, 0.20); sorted 0.01 < 0.03 < 0.04 < 0.20, n = 4.
  //   0.01 · 4 = 0.04
  //   0.03 · 3 = 0.09            cummax 0.09
  //   0.04 · 2 = 0.08  -> cummax 0.09
  //   0.20 · 1 = 0.20            cummax 0.20
  // Back in input order: (0.04, 0.09, 0.09, 0.20).
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.20};
  core::Result<std::vector<double>> adj = AdjustPValues(p, AdjustMethod::kHolm);
  ASSERT_TRUE(adj.ok());
  const std::vector<double> expected = {0.04, 0.09, 0.09, 0.20};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR((*adj)[i], expected[i], 1e-15);
}

TEST(AdjustPValues, BenjaminiHochbergOnFourByHand) {
  // Same p; BH multiplies the i-th smallest by n/i and takes the cumulative
  // minimum from the largest down:
  //   0.20 · 4/4 = 0.20
  //   0.04 · 4/3 = 0.05333…  min 0.05333…
  //   0.03 · 4/2 = 0.06   -> min 0.05333…
  //   0.01 · 4/1 = 0.04      min 0.04
  // In input order: (0.04, 0.05333…, 0.05333…, 0.20).
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.20};
  core::Result<std::vector<double>> adj = AdjustPValues(p, ParseAdjustMethod("fdr").value());
  ASSERT_TRUE(adj.ok());
  const std::vector<double> expected = {0.04, 0.16 / 3.0, 0.16 / 3.0, 0.20};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR((*adj)[i], expected[i], 1e-15);
}

TEST(AdjustPValues, SmallCasesFollowR) {
  // n = 1: returned unchanged by every method.
  for (AdjustMethod m : {AdjustMethod::kHolm, AdjustMethod::kHommel, AdjustMethod::kBY}) {
    core::Result<std::vector<double>> one = AdjustPValues(std::vector<double>{0.3}, m);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ((*one)[0], 0.3);
  }
  // n = 2: Hommel is Hochberg. Hochberg on (0.02, 0.04): 0.04·1 = 0.04; 0.02·2 = 0.04.
  core::Result<std::vector<double>> two = AdjustPValues(std::vector<double>{0.02, 0.04}, AdjustMethod::kHommel);
  ASSERT_TRUE(two.ok());
  EXPECT_NEAR((*two)[0], 0.04, 1e-15);
  EXPECT_NEAR((*two)[1], 0.04, 1e-15);
  // "none" copies.
  core::Result<std::vector<double>> none = AdjustPValues(std::vector<double>{0.5, 0.01}, AdjustMethod::kNone);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)[1], 0.01);
}

TEST(AdjustPValues, RejectsBadInput) {
  core::Result<std::vector<double>> empty = AdjustPValues(std::vector<double>{}, AdjustMethod::kHolm);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos);

  core::Result<std::vector<double>> above = AdjustPValues(std::vector<double>{0.1, 1.2}, AdjustMethod::kBH);
  ASSERT_FALSE(above.ok());
  EXPECT_NE(above.status().message().find("p-value 2 of 2"), std::string::npos) << above.status().message();

  core::Result<std::vector<double>> negative = AdjustPValues(std::vector<double>{-0.1}, AdjustMethod::kBH);
  EXPECT_FALSE(negative.ok());

  const double nan = std::numeric_limits<double>::quiet_NaN();
  core::Result<std::vector<double>> missing = AdjustPValues(std::vector<double>{0.1, nan}, AdjustMethod::kHolm);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("missing"), std::string::npos);

  core::Result<AdjustMethod> bad = ParseAdjustMethod("Holm");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("holm, hochberg"), std::string::npos);
}

TEST(AdjustPValues, NamesRoundTrip) {
  for (AdjustMethod m : {AdjustMethod::kHolm, AdjustMethod::kHochberg, AdjustMethod::kHommel,
                         AdjustMethod::kBonferroni, AdjustMethod::kBH, AdjustMethod::kBY, AdjustMethod::kNone}) {
    EXPECT_EQ(ParseAdjustMethod(AdjustMethodName(m)).value(), m);
  }
}

}  // namespace
}  // namespace tryghed::stats
