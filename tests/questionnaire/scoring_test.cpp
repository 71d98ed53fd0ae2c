// Skip logic, response checks and scoring against hand-worked cases on
// tests/data/questionnaire/mini.json:
//
//   tryghed       T1 T2 T3, safe4 (1 meget tryg .. 4 meget utryg, 8 ved ikke), higher is worse:
//                 s = 100 (4 - x) / 3  -> 1: 100, 2: 66.667, 3: 33.333, 4: 0; min_share 2/3 (default)
//   problemfrihed P1 P2, safe4, higher is worse (same formula); min_share 2/3
//   tillid        L1, L2 (asked only if V1 = 1), agree5 (1..5, 8 ved ikke), higher is better:
//                 s = 100 (x - 1) / 4; min_share 0.5
//   naboskab      N1 N2 better, N3 worse (s = 100 (5 - x) / 4); min_share 0.6667
//   overall       weights 0.4 / 0.3 / 0.15 / 0.15, at least 3 valid sub-indices
//   shares        utryg: T1 in {3, 4}; problemtung: at least 2 of P1 P2 P3 in {3, 4}
//   prevalence    udsat: V1 or V2 = 1 (yes)
//   skip logic    V3 if V1 = 1 or V2 = 1; L2 if V1 = 1; M1 unless T1 in {1, 2}
#include "questionnaire/scoring.h"

#include <gtest/gtest.h>

#include "questionnaire/loader.h"
#include "test_util.h"

namespace tryghed::questionnaire {
namespace {

using core::Answers;
using core::Code;
using core::Codes;

Questionnaire LoadMini(const std::string& text) {
  core::Result<Questionnaire> q = LoadQuestionnaire(text, "mini.json");
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  return q.ok() ? *q : Questionnaire{};
}

class ScoringTest : public ::testing::Test {
 protected:
  Questionnaire q_ = LoadMini(testing::Mini());

  static std::optional<double> Get(const std::vector<NamedScore>& list, const std::string& id) {
    for (const NamedScore& s : list) {
      if (s.id == id) return s.value;
    }
    ADD_FAILURE() << "no score " << id;
    return std::nullopt;
  }
  static std::optional<bool> Flag(const std::vector<NamedFlag>& list, const std::string& id) {
    for (const NamedFlag& s : list) {
      if (s.id == id) return s.value;
    }
    ADD_FAILURE() << "no flag " << id;
    return std::nullopt;
  }
  const Item& ItemOf(const std::string& id) const { return *q_.FindItem(id); }
  std::vector<std::string> Messages(const Answers& a) const {
    std::vector<std::string> out;
    for (const AnswerProblem& p : CheckAnswers(q_, a)) out.push_back(p.message);
    return out;
  }
};

constexpr double kTol = 1e-9;

TEST_F(ScoringTest, SkipLogic) {
  // V3: any(V1 = 1, V2 = 1).
  EXPECT_FALSE(IsAsked(q_, ItemOf("V3"), {}));
  EXPECT_FALSE(IsAsked(q_, ItemOf("V3"), {{"V1", Code{2}}, {"V2", Code{2}}}));
  EXPECT_TRUE(IsAsked(q_, ItemOf("V3"), {{"V1", Code{2}}, {"V2", Code{1}}}));
  // V2 = 8 (ved ikke) is not 1.
  EXPECT_FALSE(IsAsked(q_, ItemOf("V3"), {{"V2", Code{8}}}));
  // M1: not(T1 in {1, 2}); an unanswered T1 makes "in" false, so M1 is asked.
  EXPECT_TRUE(IsAsked(q_, ItemOf("M1"), {}));
  EXPECT_FALSE(IsAsked(q_, ItemOf("M1"), {{"T1", Code{2}}}));
  EXPECT_TRUE(IsAsked(q_, ItemOf("M1"), {{"T1", Code{3}}}));
  // Items without show_if are always asked.
  EXPECT_TRUE(IsAsked(q_, ItemOf("T1"), {}));
}

TEST_F(ScoringTest, FullResponseWithReversedItems) {
  // T1 = 1, T2 = 2, T3 = 4 -> 100, 66.667, 0 -> tryghed = 166.667 / 3 = 55.556
  // P1 = 3, P2 = 4 -> 33.333, 0 -> problemfrihed = 16.667
  // V1 = 2, V2 = 2 -> L2 not asked; L1 = 4 -> 75 -> tillid = 75 (1 of 1 asked)
  // N1 = 5 -> 100, N2 = 4 -> 75, N3 = 2 (reversed) -> 100 (5 - 2) / 4 = 75 -> naboskab = 83.333
  // overall = 0.4 * 500/9 + 0.3 * 50/3 + 0.15 * 75 + 0.15 * 250/3 = 200/9 + 5 + 11.25 + 12.5 = 50.9722
  // utryg: T1 = 1 -> 0; problemtung: P1 = 3 and P2 = 4 -> 2 of 2 needed -> 1; udsat: V1 = V2 = 2 -> 0.
  const Answers a = {{"T1", Code{1}}, {"T2", Code{2}}, {"T3", Code{4}}, {"P1", Code{3}}, {"P2", Code{4}},
                     {"V1", Code{2}}, {"V2", Code{2}}, {"L1", Code{4}}, {"N1", Code{5}}, {"N2", Code{4}},
                     {"N3", Code{2}}, {"B3", 12.0},    {"C1", std::string("Fint her")}};
  EXPECT_TRUE(CheckAnswers(q_, a).empty());
  const Scores s = ScoreResponse(q_, a);
  EXPECT_NEAR(*Get(s.items, "T1"), 100.0, kTol);
  EXPECT_NEAR(*Get(s.items, "T2"), 200.0 / 3, kTol);
  EXPECT_NEAR(*Get(s.items, "T3"), 0.0, kTol);
  EXPECT_NEAR(*Get(s.items, "N3"), 75.0, kTol);
  EXPECT_FALSE(Get(s.items, "L2").has_value());
  EXPECT_NEAR(*Get(s.subindices, "tryghed"), 500.0 / 9, kTol);
  EXPECT_NEAR(*Get(s.subindices, "problemfrihed"), 50.0 / 3, kTol);
  EXPECT_NEAR(*Get(s.subindices, "tillid"), 75.0, kTol);
  EXPECT_NEAR(*Get(s.subindices, "naboskab"), 250.0 / 3, kTol);
  ASSERT_TRUE(s.overall.has_value());
  EXPECT_NEAR(*s.overall, 200.0 / 9 + 28.75, kTol);
  EXPECT_EQ(Flag(s.shares, "utryg"), std::optional<bool>(false));
  EXPECT_EQ(Flag(s.shares, "problemtung"), std::optional<bool>(true));
  EXPECT_EQ(Flag(s.prevalences, "udsat"), std::optional<bool>(false));
}

TEST_F(ScoringTest, MissingAndVedIkkeAnswersAndTheTwoThirdsRule) {
  // tryghed: T1 = 8 (ved ikke), T2 = 2, T3 unanswered -> 1 of 3 scored;
  //   1 < (2/3 - 0.005) * 3 = 1.985 -> no score.
  // problemfrihed: P1 = 1 -> 100, P2 = 8 -> 1 of 2; 1 < (2/3 - 0.005) * 2 = 1.32 -> no score.
  // tillid: V1 = 1 so L2 is asked; L1 = 5 -> 100, L2 unanswered -> 1 of 2;
  //   1 >= (0.5 - 0.005) * 2 = 0.99 -> 100.
  // naboskab: N1 = 1 -> 0, N2 = 8, N3 = 5 (reversed) -> 0 -> 2 of 3;
  //   2 >= (0.6667 - 0.005) * 3 = 1.985 -> valid (0.6667 means two thirds) -> 0.
  // overall: 2 valid sub-indices < 3 -> no score.
  // utryg: T1 = 8 is missing -> not in the base.
  // problemtung: P1 = 1 (no), P2 = 8 and P3 unanswered could still both be 3/4 -> not decided.
  // udsat: V1 = 1 -> 1.
  const Answers a = {{"T1", Code{8}}, {"T2", Code{2}}, {"P1", Code{1}}, {"P2", Code{8}}, {"V1", Code{1}},
                     {"L1", Code{5}}, {"N1", Code{1}}, {"N2", Code{8}}, {"N3", Code{5}}};
  EXPECT_TRUE(CheckAnswers(q_, a).empty());
  const Scores s = ScoreResponse(q_, a);
  EXPECT_FALSE(Get(s.items, "T1").has_value());
  EXPECT_NEAR(*Get(s.items, "T2"), 200.0 / 3, kTol);
  EXPECT_FALSE(Get(s.subindices, "tryghed").has_value());
  EXPECT_FALSE(Get(s.subindices, "problemfrihed").has_value());
  EXPECT_NEAR(*Get(s.subindices, "tillid"), 100.0, kTol);
  EXPECT_NEAR(*Get(s.subindices, "naboskab"), 0.0, kTol);
  EXPECT_FALSE(s.overall.has_value());
  EXPECT_FALSE(Flag(s.shares, "utryg").has_value());
  EXPECT_FALSE(Flag(s.shares, "problemtung").has_value());
  EXPECT_EQ(Flag(s.prevalences, "udsat"), std::optional<bool>(true));
}

TEST_F(ScoringTest, TwoOfThreeAnsweredIsEnough) {
  // tryghed with T1 = 4, T2 = 3 and T3 = 8: 2 of 3 >= 1.985 -> (0 + 33.333) / 2 = 16.667.
  const Scores s = ScoreResponse(q_, {{"T1", Code{4}}, {"T2", Code{3}}, {"T3", Code{8}}});
  EXPECT_NEAR(*Get(s.subindices, "tryghed"), 50.0 / 3, kTol);
  // utryg: T1 = 4 -> 1.
  EXPECT_EQ(Flag(s.shares, "utryg"), std::optional<bool>(true));
}

TEST_F(ScoringTest, ThreeOfFourSubIndicesGiveTheOverallIndex) {
  // tryghed: 2, 2, 2 -> 66.667; problemfrihed: P1 = 1, P2 = 2 -> (100 + 66.667) / 2 = 83.333;
  // tillid: L1 unanswered, L2 not asked (no V1) -> 0 of 1 -> no score;
  // naboskab: 3, 3, 3 -> 50, 50, 50 (N3 reversed: 100 (5 - 3) / 4 = 50) -> 50.
  // overall = (0.4 * 200/3 + 0.3 * 250/3 + 0.15 * 50) / (0.4 + 0.3 + 0.15)
  //         = (26.667 + 25 + 7.5) / 0.85 = (177.5 / 3) / 0.85 = 69.608
  // problemtung: P1 = 1, P2 = 2 answered "no", only P3 open -> at most 1 < 2 -> 0.
  // udsat: V1 and V2 unanswered -> not in the base.
  const Answers a = {{"T1", Code{2}}, {"T2", Code{2}}, {"T3", Code{2}}, {"P1", Code{1}}, {"P2", Code{2}},
                     {"N1", Code{3}}, {"N2", Code{3}}, {"N3", Code{3}}};
  const Scores s = ScoreResponse(q_, a);
  EXPECT_FALSE(Get(s.subindices, "tillid").has_value());
  ASSERT_TRUE(s.overall.has_value());
  EXPECT_NEAR(*s.overall, (177.5 / 3) / 0.85, kTol);
  EXPECT_EQ(Flag(s.shares, "problemtung"), std::optional<bool>(false));
  EXPECT_FALSE(Flag(s.prevalences, "udsat").has_value());
  // Without naboskab only 2 remain -> no overall index.
  Answers fewer = a;
  fewer.erase("N1");
  fewer.erase("N2");
  const Scores s2 = ScoreResponse(q_, fewer);
  EXPECT_FALSE(Get(s2.subindices, "naboskab").has_value());  // 1 of 3 < 1.985
  EXPECT_FALSE(s2.overall.has_value());
}

TEST_F(ScoringTest, ItemsNotAskedDoNotCountInTheDenominator) {
  // With tillid's min_share raised to 1 (all asked items needed):
  //   V1 = 2: L2 not asked; L1 = 4 -> 1 of 1 asked -> 75.
  //   V1 = 1: L2 asked but unanswered; L1 = 4 -> 1 of 2 < (1 - 0.005) * 2 -> no score.
  const Questionnaire q = LoadMini(testing::Replace(testing::Mini(), "\"min_share\": 0.5", "\"min_share\": 1"));
  Scores s = ScoreResponse(q, {{"V1", Code{2}}, {"L1", Code{4}}});
  EXPECT_NEAR(*Get(s.subindices, "tillid"), 75.0, kTol);
  s = ScoreResponse(q, {{"V1", Code{1}}, {"L1", Code{4}}});
  EXPECT_FALSE(Get(s.subindices, "tillid").has_value());
  // An answer to L2 although it was not asked is ignored by scoring (and
  // rejected by CheckAnswers).
  s = ScoreResponse(q, {{"V1", Code{2}}, {"L1", Code{4}}, {"L2", Code{1}}});
  EXPECT_FALSE(Get(s.items, "L2").has_value());
  EXPECT_NEAR(*Get(s.subindices, "tillid"), 75.0, kTol);
}

TEST_F(ScoringTest, SharesWithMinCount) {
  // problemtung needs 2 of P1 P2 P3 in {3, 4}.
  // P1 = 3, P2 = 1, P3 = 4 -> 2 -> 1 (P3 counts although it is in no sub-index).
  EXPECT_EQ(Flag(ScoreResponse(q_, {{"P1", Code{3}}, {"P2", Code{1}}, {"P3", Code{4}}}).shares, "problemtung"),
            std::optional<bool>(true));
  // P1 = 3, P2 unanswered, P3 = 8 -> 1 so far, 2 still open -> not decided.
  EXPECT_FALSE(Flag(ScoreResponse(q_, {{"P1", Code{3}}, {"P3", Code{8}}}).shares, "problemtung").has_value());
  // P1 = 3, P2 = 1, P3 = 2 -> 1 of 3 and nothing open -> 0.
  EXPECT_EQ(Flag(ScoreResponse(q_, {{"P1", Code{3}}, {"P2", Code{1}}, {"P3", Code{2}}}).shares, "problemtung"),
            std::optional<bool>(false));
  // Nothing answered: 0 of 3 with 3 open -> not decided.
  EXPECT_FALSE(Flag(ScoreResponse(q_, {}).shares, "problemtung").has_value());
  // One-item share utryg: T1 = 2 -> 0; T1 = 3 -> 1; unanswered -> not in the base.
  EXPECT_EQ(Flag(ScoreResponse(q_, {{"T1", Code{2}}}).shares, "utryg"), std::optional<bool>(false));
  EXPECT_EQ(Flag(ScoreResponse(q_, {{"T1", Code{3}}}).shares, "utryg"), std::optional<bool>(true));
  EXPECT_FALSE(Flag(ScoreResponse(q_, {}).shares, "utryg").has_value());
}

TEST_F(ScoringTest, Prevalences) {
  // udsat = V1 or V2 is 1.
  EXPECT_EQ(Flag(ScoreResponse(q_, {{"V2", Code{1}}}).prevalences, "udsat"), std::optional<bool>(true));
  EXPECT_EQ(Flag(ScoreResponse(q_, {{"V1", Code{2}}, {"V2", Code{2}}}).prevalences, "udsat"),
            std::optional<bool>(false));
  // V2 = 8 (ved ikke) and no yes: not every item answered substantively -> not in the base.
  EXPECT_FALSE(Flag(ScoreResponse(q_, {{"V1", Code{2}}, {"V2", Code{8}}}).prevalences, "udsat").has_value());
  // Only V1 answered "no": V2 is open -> not in the base.
  EXPECT_FALSE(Flag(ScoreResponse(q_, {{"V1", Code{2}}}).prevalences, "udsat").has_value());
}

TEST_F(ScoringTest, CheckAnswersNamesItemAndValue) {
  EXPECT_EQ(Messages({{"X1", Code{1}}}),
            std::vector<std::string>{"X1: answer 1 given to an unknown item; questionnaire \"mini\" has no item \"X1\""});
  EXPECT_EQ(Messages({{"T1", std::string("abc")}}),
            std::vector<std::string>{"T1: \"abc\" is a text, but T1 is a single item and takes one integer code"});
  EXPECT_EQ(Messages({{"T1", Code{5}}}),
            std::vector<std::string>{"T1: 5 is not a code of T1; its codes are 1, 2, 3, 4, 8 (missing)"});
  EXPECT_EQ(Messages({{"B3", 120.0}}), std::vector<std::string>{"B3: 120 is outside the allowed range 0..100"});
  EXPECT_EQ(Messages({{"B3", 2.5}}), std::vector<std::string>{"B3: 2.5 is not a whole number; B3 takes whole numbers"});
  // A whole number given as a code is fine for a number item.
  EXPECT_TRUE(Messages({{"B3", Code{7}}}).empty());
  // C1 allows 10 characters: "æøåæøåæøåæ" is 10 characters (20 bytes) and passes; 11 ASCII letters do not.
  EXPECT_TRUE(Messages({{"C1", std::string("æøåæøåæøåæ")}}).empty());
  EXPECT_EQ(Messages({{"C1", std::string("abcdefghijk")}}),
            std::vector<std::string>{"C1: the text \"abcdefghijk\" has 11 characters; at most 10 are allowed"});
  EXPECT_EQ(Messages({{"V1", Code{2}}, {"V2", Code{2}}, {"V3", Code{1}}}),
            std::vector<std::string>{"V3: answer 1 given, but V3 was not asked (its show_if is false for this "
                                     "response); leave it unanswered"});
  EXPECT_EQ(Messages({{"M1", Codes{3, 3}}}),
            std::vector<std::string>{"M1: code 3 appears twice in [3, 3]; give each code once"});
  EXPECT_EQ(Messages({{"M1", Code{3}}}),
            std::vector<std::string>{"M1: 3 is a single code, but M1 is a place item and takes a list of codes"});
  core::Status st = ValidateAnswers(q_, {{"T1", Code{5}}, {"X1", Code{1}}});
  EXPECT_EQ(st.code(), core::StatusCode::kInvalidInput);
  EXPECT_EQ(st.message(),
            "T1: 5 is not a code of T1; its codes are 1, 2, 3, 4, 8 (missing); X1: answer 1 given to an unknown item; "
            "questionnaire \"mini\" has no item \"X1\"");
  EXPECT_TRUE(ValidateAnswers(q_, {{"M1", Codes{1, 3}}, {"V2", Code{8}}}).ok());
}

TEST_F(ScoringTest, ParseAnswers) {
  // B3 is a number item: 12 becomes a double; T1 a code; M1 a sorted list; null = no answer.
  core::Result<Answers> a =
      ParseAnswers(q_, "{\"T1\": 2, \"B3\": 12, \"M1\": [3, 1], \"C1\": \"hej\", \"T2\": null}", "a.json");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(std::get<Code>(a->at("T1")), 2);
  EXPECT_EQ(std::get<double>(a->at("B3")), 12.0);
  EXPECT_EQ(std::get<Codes>(a->at("M1")), (Codes{1, 3}));
  EXPECT_EQ(std::get<std::string>(a->at("C1")), "hej");
  EXPECT_EQ(a->count("T2"), 0u);
  // Line 2, column 8: the boolean (after a space, "T2", a colon and a space).
  core::Result<Answers> bad = ParseAnswers(q_, "{\"T1\": 2,\n \"T2\": true}", "a.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "a.json:2:8: $.T2: expected a code, a list of codes, a number or a text, found a boolean");
  core::Result<Answers> syntax = ParseAnswers(q_, "{\"T1\" 2}", "a.json");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().message(), "a.json:1:7: invalid JSON: Missing a colon after a name of object member.");
}

TEST_F(ScoringTest, ScoresToJson) {
  // T1 = 1 only: T1 100, T2/T3 none; tryghed 1 of 3 -> null.
  const std::string json = ScoresToJson(ScoreResponse(q_, {{"T1", Code{1}}}));
  const std::string prefix = "{\"items\":{\"T1\":100,\"T2\":null,\"T3\":null,";
  EXPECT_EQ(json.substr(0, prefix.size()), prefix);
  EXPECT_NE(json.find("\"subindices\":{\"tryghed\":null,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"overall\":null,\"shares\":{\"utryg\":0,\"problemtung\":null}"), std::string::npos) << json;
  EXPECT_NE(json.find("\"prevalences\":{\"udsat\":null}}"), std::string::npos) << json;
}

}  // namespace
}  // namespace tryghed::questionnaire
