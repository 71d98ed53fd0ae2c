// Rao–Scott chi-square against R survey 4.1's svychisq (statistic = "F"):
// chisq_values.csv, made by tests/data/reference/chisq_values.R.
#include "stats/chisq.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model_fixture.h"

namespace tryghed::stats {
namespace {

using testing::Codes;
using testing::Near;

void ExpectTest(const ChiSquareTest& t, const std::string& prefix) {
  const auto ref = testing::LoadReferenceValues("chisq_values.csv");
  SCOPED_TRACE(prefix);
  EXPECT_TRUE(Near(t.statistic, *ref.Get(prefix + ".F").estimate, 1e-6)) << t.statistic;
  EXPECT_TRUE(Near(t.ndf, *ref.Get(prefix + ".ndf").estimate, 1e-6)) << t.ndf;
  EXPECT_TRUE(Near(t.ddf, *ref.Get(prefix + ".ddf").estimate, 1e-6)) << t.ddf;
  EXPECT_TRUE(Near(t.p_value, *ref.Get(prefix + ".p").estimate, 1e-5)) << t.p_value;
}

TEST(RaoScottChiSquare, ClusterSampleMatchesR) {
  const auto a = testing::LoadApi("apiclus1");
  auto t = RaoScottChiSquare(testing::ApiClusterDesign(a), Codes(a.sch_wide), Codes(a.stype));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->rows, 2u);
  EXPECT_EQ(t->cols, 3u);
  ExpectTest(*t, "X10.svychisq_schwide_stype_dclus1");
}

TEST(RaoScottChiSquare, StratifiedSampleMatchesR) {
  const auto a = testing::LoadApi("apistrat");
  auto t = RaoScottChiSquare(testing::ApiStratDesign(a), Codes(a.sch_wide), Codes(a.table.Strings("awards")));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ExpectTest(*t, "X11.svychisq_schwide_awards_dstrat");
}

TEST(RaoScottChiSquare, SafetySurveyMatchesR) {
  const auto s = testing::LoadSafety();
  auto t = RaoScottChiSquare(testing::SafetyDesign(s), Codes(s.age), Codes(s.tenure));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ExpectTest(*t, "X12.svychisq_agegroup_tenure_safety");
}

TEST(RaoScottChiSquare, OneLevelIsAnError) {
  const auto a = testing::LoadApi("apiclus1");
  const std::vector<std::int64_t> same(a.rows(), 0);
  auto t = RaoScottChiSquare(testing::ApiClusterDesign(a), same, Codes(a.stype));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), core::StatusCode::kInvalidInput);
  EXPECT_NE(t.status().message().find("two row and two column levels"), std::string::npos);
}

}  // namespace
}  // namespace tryghed::stats
