// One test per rule of docs/questionnaire-format.md. Each edits the valid
// fixture tests/data/questionnaire/mini.json on one line (so that all other
// lines keep their numbers) and checks the complete located message.
// Line and column numbers were read off the fixture by hand: columns are
// 1-based and count characters.
#include "questionnaire/loader.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "test_util.h"

namespace tryghed::questionnaire {
namespace {

using testing::Mini;
using testing::Replace;

std::vector<Problem> ProblemsOf(const std::string& text) { return CheckQuestionnaire(text, "q.json").problems; }

// Expects exactly one problem and returns its ToString().
std::string OnlyProblem(const std::string& text) {
  std::vector<Problem> problems = ProblemsOf(text);
  EXPECT_EQ(problems.size(), 1u);
  if (problems.size() != 1) {
    for (const Problem& p : problems) ADD_FAILURE() << p.ToString();
  }
  return problems.empty() ? std::string() : problems.front().ToString();
}

TEST(LoaderTest, MiniFixtureIsValid) {
  LoadOutcome out = CheckQuestionnaire(Mini(), "mini.json");
  for (const Problem& p : out.problems) ADD_FAILURE() << p.ToString();
  ASSERT_TRUE(out.questionnaire.has_value());
  const Questionnaire& q = *out.questionnaire;
  // 6 sections: 3 + 3 + 3 + 2 + 3 + 4 items.
  EXPECT_EQ(q.sections.size(), 6u);
  EXPECT_EQ(q.ItemCount(), 18);
  EXPECT_EQ(q.content_hash.size(), 64u);
  // V1 has no options in the file: built-in yes = 1, no = 2.
  const Item* v1 = q.FindItem("V1");
  ASSERT_NE(v1, nullptr);
  ASSERT_EQ(v1->options.size(), 2u);
  EXPECT_EQ(v1->options[0].code, 1);
  EXPECT_EQ(v1->options[0].label.at("da"), "Ja");
  EXPECT_EQ(v1->options[1].label.at("en"), "No");
  // V2 adds 8 = "Ved ikke" (missing) after the built-ins.
  const Item* v2 = q.FindItem("V2");
  ASSERT_EQ(v2->options.size(), 3u);
  EXPECT_EQ(v2->options[2].code, 8);
  EXPECT_TRUE(v2->options[2].missing);
  // T1 takes the safe4 scale: codes 1, 2, 3, 4, 8 (8 missing).
  const Item* t1 = q.FindItem("T1");
  EXPECT_EQ(t1->scale, "safe4");
  EXPECT_EQ(t1->SubstantiveCodes(), (std::vector<core::Code>{1, 2, 3, 4}));
  // Sub-index defaults: min_share 2/3, min/max from the substantive codes.
  ASSERT_EQ(q.indices.subindices.size(), 4u);
  EXPECT_DOUBLE_EQ(q.indices.subindices[0].min_share, 2.0 / 3.0);
  EXPECT_EQ(q.indices.subindices[0].items[0].min, 1);
  EXPECT_EQ(q.indices.subindices[0].items[0].max, 4);
  EXPECT_FALSE(q.indices.subindices[0].items[0].higher_is_better);
  ASSERT_TRUE(q.indices.overall.has_value());
  EXPECT_EQ(q.indices.overall->min_subindices, 3);
  // A one-item share is items = {item}, min_count 1.
  EXPECT_EQ(q.indices.shares[0].items, std::vector<std::string>{"T1"});
  EXPECT_EQ(q.indices.shares[0].min_count, 1);
  EXPECT_EQ(q.indices.shares[1].min_count, 2);
  EXPECT_EQ(q.background.at("years_in_area"), "B3");
  // No rtl_languages given and neither da nor en is right to left.
  EXPECT_TRUE(q.rtl_languages.empty());
  ASSERT_TRUE(q.FindItem("M1")->show_if.has_value());
  EXPECT_EQ(q.FindItem("M1")->show_if->kind, Condition::Kind::kNot);
}

// `tryghed serve` loads a wave's questionnaire on the first requests after it
// starts, on many request threads at once. RapidJSON 1.1's schema validator
// keeps the search state of each pattern (ids such as "T1") inside the shared
// compiled schema, so unserialised checks crashed the server (an assertion in
// a debug build, a double free in a release build; found by
// tests/reliability/multi_server_test.py). Every load in many threads at once
// must succeed with the hash of a load alone.
TEST(LoaderTest, LoadsInManyThreadsAtOnce) {
  const std::string text = Mini();
  core::Result<Questionnaire> alone = LoadQuestionnaire(text, "mini.json");
  ASSERT_TRUE(alone.ok()) << alone.status().ToString();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 40; ++i) {
        core::Result<Questionnaire> q = LoadQuestionnaire(text, "mini.json");
        if (!q.ok() || q->content_hash != alone->content_hash) ++wrong;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(LoaderTest, JsonSyntaxErrorIsLocated) {
  // Without the comma after "version": "1" (line 4) the parser stops at the
  // next key, "title", line 5 column 3.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"version\": \"1\",", "\"version\": \"1\"")),
            "q.json:5:3: $: invalid JSON: Missing a comma or '}' after an object member.");
}

// Found by tests/fuzz/questionnaire_fuzzer: a lone low surrogate escape passed
// RapidJSON 1.1 and became bytes that are not UTF-8, so the questionnaire
// loaded but its canonical form (what the store keeps) did not load again.
TEST(LoaderTest, ALoneSurrogateEscapeIsLocated) {
  // Line 5: "title": {"da": "Mini", ...}, the string "Mini" starts at column 19.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"da\": \"Mini\"", "{\"da\": \"Mini\\udc00\"")),
            "q.json:5:19: $: invalid JSON: the string has a \\u escape of a lone surrogate (U+D800 to U+DFFF), "
            "which is not a character");
}

// Found by tests/fuzz/questionnaire_fuzzer: a number beyond a double was read
// as infinity, and the canonical form then held a token that is not JSON.
TEST(LoaderTest, ANumberBeyondADoubleIsLocated) {
  // Line 54 (C1): "max_length" starts at column 82, its value 14 columns on.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"max_length\": 10", "\"max_length\": 1.8e308")),
            "q.json:54:96: $: invalid JSON: the number 1.8e308 is too large for a double "
            "(the largest is 1.7976931348623157e308)");
}

// Found by tests/fuzz/questionnaire_fuzzer (ASan: heap-buffer-overflow): a
// file ending inside a multi-byte UTF-8 character made RapidJSON read past
// the end of the buffer while validating the string.
TEST(LoaderTest, AFileEndingInsideACharacterIsAnErrorNotAnOverread) {
  for (const std::string& text : {std::string("{\"a\":\"dat,&secti\xe8"), std::string("{\"a\":\"x\xf0\x9f"),
                                 std::string("[\"\xc3")}) {
    core::Result<Questionnaire> q = LoadQuestionnaire(text, "q.json");
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(q.status().code(), core::StatusCode::kInvalidInput);
    EXPECT_NE(q.status().message().find("q.json:1:"), std::string::npos) << q.status().message();
  }
}

TEST(LoaderTest, UnknownKeySuggestsTheNearestKnownKey) {
  // Line 54 (C1): "max_length" starts at column 82.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"max_length\": 10", "\"max_lenght\": 10")),
            "q.json:54:82: $.sections[5].items[3].max_lenght: unknown key \"max_lenght\" in an item; "
            "did you mean \"max_length\"?");
}

TEST(LoaderTest, UnknownKeyFarFromAllKeysListsThem) {
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"max_length\": 10", "\"xyzzy\": 10")),
            "q.json:54:82: $.sections[5].items[3].xyzzy: unknown key \"xyzzy\" in an item; the keys allowed here are "
            "\"id\", \"type\", \"text\", \"help\", \"show_if\", \"scale\", \"options\", \"min\", \"max\", \"integer\", "
            "\"unit\", \"max_length\" and \"sensitive\"");
}

TEST(LoaderTest, MissingRequiredKey) {
  // Line 4 removed: the error is on the top-level object, line 1 column 1.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "  \"version\": \"1\",\n", "")),
            "q.json:1:1: $: missing required key \"version\"; the questionnaire needs \"format\", \"id\", "
            "\"version\", \"title\", \"languages\", \"default_language\" and \"sections\"");
}

TEST(LoaderTest, WrongType) {
  // Line 54: the value of max_length starts at column 96.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"max_length\": 10", "\"max_length\": \"10\"")),
            "q.json:54:96: $.sections[5].items[3].max_length: expected an integer, found the string \"10\"");
}

TEST(LoaderTest, DuplicateId) {
  // C1 (line 54, id value at column 14) renamed to T1, which is on line 27.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"id\": \"C1\"", "{\"id\": \"T1\"")),
            "q.json:54:14: $.sections[5].items[3].id: duplicate id \"T1\"; ids must be unique across sections and "
            "items (first used at line 27)");
}

TEST(LoaderTest, InvalidId) {
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"id\": \"C1\"", "{\"id\": \"1C\"")),
            "q.json:54:14: $.sections[5].items[3].id: \"1C\" is not a valid id; an id starts with a letter and has "
            "only letters, digits and _");
}

TEST(LoaderTest, UnknownItemReference) {
  // Share "utryg" (line 67): "T1" at column 87.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"item\": \"T1\", \"codes\"", "\"item\": \"T9\", \"codes\"")),
            "q.json:67:87: $.indices.shares[0].item: \"T9\" is not an item of this questionnaire; did you mean \"T1\"?");
}

TEST(LoaderTest, ShowIfOnALaterItem) {
  // L2 (line 43) may not depend on N1, which comes after it; "V1" is at column 141.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"item\": \"V1\", \"equals\": 1}}\n", "{\"item\": \"N1\", \"equals\": 1}}\n")),
            "q.json:43:141: $.sections[3].items[1].show_if.item: \"N1\" is not an earlier item; show_if may only "
            "refer to items that come before \"L2\"");
}

TEST(LoaderTest, ShowIfOnItself) {
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"item\": \"V1\", \"equals\": 1}}\n", "{\"item\": \"L2\", \"equals\": 1}}\n")),
            "q.json:43:141: $.sections[3].items[1].show_if.item: \"L2\" is not an earlier item; show_if may only "
            "refer to items that come before \"L2\"");
}

TEST(LoaderTest, ShowIfOnAnUnknownItem) {
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"item\": \"V1\", \"equals\": 1}}\n", "{\"item\": \"Z9\", \"equals\": 1}}\n")),
            "q.json:43:141: $.sections[3].items[1].show_if.item: \"Z9\" is not an item of this questionnaire; "
            "show_if may only refer to items that come before \"L2\"");
}

TEST(LoaderTest, ShowIfNamesACodeTheItemDoesNotHave) {
  // V3's show_if (line 39): the code after "equals" at column 129. V1 is a
  // yesno item without options: codes 1 and 2.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"item\": \"V1\", \"equals\": 1}, {\"item\": \"V2\"",
                                "{\"item\": \"V1\", \"equals\": 3}, {\"item\": \"V2\"")),
            "q.json:39:129: $.sections[2].items[2].show_if.any[0].equals: \"V1\" has no code 3; its codes are 1, 2");
}

TEST(LoaderTest, ShowIfWithTwoForms) {
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"item\": \"V1\", \"equals\": 1}}\n",
                                "{\"item\": \"V1\", \"equals\": 1, \"in\": [1]}}\n")),
            "q.json:43:132: $.sections[3].items[1].show_if: a condition is exactly one of {\"item\": ID, \"equals\": "
            "CODE}, {\"item\": ID, \"in\": [CODES]}, {\"item\": ID, \"any_of\": [CODES]}, {\"all\": [...]}, "
            "{\"any\": [...]} or {\"not\": {...}}");
}

TEST(LoaderTest, TextMissingADeclaredLanguage) {
  // The title object starts at line 5 column 12.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"title\": {\"da\": \"Mini\", \"en\": \"Mini\"}", "\"title\": {\"da\": \"Mini\"}")),
            "q.json:5:12: $.title: no \"en\" text; every text needs a non-empty string in each declared language "
            "(\"da\" and \"en\")");
}

TEST(LoaderTest, TextInAnUndeclaredLanguage) {
  // "de" is inserted after `{"da": "Mini", "en": "Mini", ` (29 characters) → column 12 + 29 = 41.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"title\": {\"da\": \"Mini\", \"en\": \"Mini\"}",
                                "\"title\": {\"da\": \"Mini\", \"en\": \"Mini\", \"de\": \"Mini\"}")),
            "q.json:5:41: $.title.de: \"de\" is not a declared language; the declared languages are \"da\" and \"en\" "
            "(add it to \"languages\" or remove this text)");
}

TEST(LoaderTest, EmptyText) {
  // The title object opens at column 12; `{"da": "Mini", "en": ` is 21
  // characters, so the "en" value is at column 33.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"title\": {\"da\": \"Mini\", \"en\": \"Mini\"}",
                                "\"title\": {\"da\": \"Mini\", \"en\": \"  \"}")),
            "q.json:5:33: $.title.en: the \"en\" text is empty; write the text in this language");
}

TEST(LoaderTest, DuplicateCodeWithinAnItem) {
  // B1 (line 51): the second option's code at column 157 becomes 1 again.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"code\": 2, \"label\": {\"da\": \"40 eller mere\"",
                                "{\"code\": 1, \"label\": {\"da\": \"40 eller mere\"")),
            "q.json:51:157: $.sections[5].items[0].options[1].code: duplicate code 1; each code may appear only once "
            "in an item (first at line 51)");
}

TEST(LoaderTest, UnknownScaleName) {
  // T2 (line 28): the scale name at column 110.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"Safe after dark?\"}, \"scale\": \"safe4\"",
                                "\"Safe after dark?\"}, \"scale\": \"safe5\"")),
            "q.json:28:110: $.sections[0].items[1].scale: unknown scale \"safe5\"; did you mean \"safe4\"?");
}

TEST(LoaderTest, ItemWithBothScaleAndOptions) {
  // B1 (line 51): "options" was at column 76; the inserted "scale" key takes
  // its place, so the scale's value starts at 76 + 9 = 85.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"text\": {\"da\": \"Alder\", \"en\": \"Age\"}, \"options\"",
                                "\"text\": {\"da\": \"Alder\", \"en\": \"Age\"}, \"scale\": \"agree5\", \"options\"")),
            "q.json:51:85: $.sections[5].items[0].scale: the item has both \"scale\" and \"options\"; give exactly one "
            "of the two");
}

TEST(LoaderTest, SingleItemWithoutOptions) {
  // P3 (line 34, item object at column 7) loses its scale.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"Vandalism\"}, \"scale\": \"safe4\"", "\"Vandalism\"}")),
            "q.json:34:7: $.sections[1].items[2]: missing \"scale\" or \"options\"; a single item needs its answer "
            "options");
}

TEST(LoaderTest, NumberWithoutMax) {
  // B3's item object starts at line 52 column 7.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"min\": 0, \"max\": 100", "\"min\": 0")),
            "q.json:52:7: $.sections[5].items[1]: missing required key \"max\"; a number item needs inclusive bounds "
            "\"min\" and \"max\"");
}

TEST(LoaderTest, NumberWithMinAboveMax) {
  // B3 (line 52): "min" at column 97, its value 7 characters later at 104.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"min\": 0, \"max\": 100", "\"min\": 100, \"max\": 0")),
            "q.json:52:104: $.sections[5].items[1].min: min (100) is greater than max (0); min must be at most max");
}

TEST(LoaderTest, KeyThatDoesNotApplyToTheType) {
  // "max_length" on C1 is fine; on B3 (a number) it is not: inserted before
  // "min" at column 97.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"min\": 0, \"max\": 100", "\"max_length\": 3, \"min\": 0, \"max\": 100")),
            "q.json:52:97: $.sections[5].items[1].max_length: \"max_length\" does not apply to a number item; it is "
            "for text items");
}

TEST(LoaderTest, SubIndexItemThatIsNotSingle) {
  // Sub-index problemfrihed (line 60): the second item's id at column 153.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"item\": \"P2\", \"higher_is\": \"worse\"}",
                                "{\"item\": \"B3\", \"higher_is\": \"worse\"}")),
            "q.json:60:153: $.indices.subindices[1].items[1].item: \"B3\" is a number item; sub-index items must be "
            "single items with a numeric scale");
}

TEST(LoaderTest, SubIndexItemWithOneSubstantiveCode) {
  // B1's code 2 is made missing, leaving one substantive code (1).
  std::string text = Replace(Mini(), "{\"item\": \"P2\", \"higher_is\": \"worse\"}", "{\"item\": \"B1\", \"higher_is\": \"worse\"}");
  text = Replace(text, "\"en\": \"40 or more\"}}", "\"en\": \"40 or more\"}, \"missing\": true}");
  EXPECT_EQ(OnlyProblem(text),
            "q.json:60:153: $.indices.subindices[1].items[1].item: \"B1\" has only 1 substantive code; a sub-index "
            "item needs at least two");
}

TEST(LoaderTest, ItemInTwoSubIndices) {
  // T2 is in tryghed (line 59) and now also in problemfrihed (line 60, column 153).
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"item\": \"P2\", \"higher_is\": \"worse\"}",
                                "{\"item\": \"T2\", \"higher_is\": \"worse\"}")),
            "q.json:60:153: $.indices.subindices[1].items[1].item: \"T2\" is already in the sub-index \"tryghed\" "
            "(line 59); an item may belong to at most one sub-index");
}

TEST(LoaderTest, EmptySubIndex) {
  // tillid (line 61): the items array at column 93.
  EXPECT_EQ(OnlyProblem(Replace(Mini(),
                                "\"min_share\": 0.5, \"items\": [{\"item\": \"L1\", \"higher_is\": \"better\"}, "
                                "{\"item\": \"L2\", \"higher_is\": \"better\"}]",
                                "\"min_share\": 0.5, \"items\": []")),
            "q.json:61:93: $.indices.subindices[2].items: the sub-index \"tillid\" has no items; give at least one "
            "item or remove the sub-index");
}

TEST(LoaderTest, WeightsMustNameEverySubIndex) {
  // The weights object starts at line 65 column 28.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), ", \"naboskab\": 0.15}", "}")),
            "q.json:65:28: $.indices.overall.weights: no weight for the sub-index \"naboskab\"; the weights must name "
            "every sub-index");
}

TEST(LoaderTest, WeightForAnUnknownSubIndex) {
  // Renaming the key "tillid" (line 65, column 67) to "tilid" names an
  // unknown sub-index and leaves tillid without a weight (reported on the
  // weights object, column 28, so it comes first).
  std::vector<Problem> problems = ProblemsOf(Replace(Mini(), "\"tillid\": 0.15,", "\"tilid\": 0.15,"));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].ToString(),
            "q.json:65:28: $.indices.overall.weights: no weight for the sub-index \"tillid\"; the weights must name "
            "every sub-index");
  EXPECT_EQ(problems[1].ToString(),
            "q.json:65:67: $.indices.overall.weights.tilid: \"tilid\" is not a sub-index; did you mean \"tillid\"?");
}

TEST(LoaderTest, WeightsMustBePositive) {
  // The value of tillid's weight at column 77.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"tillid\": 0.15,", "\"tillid\": 0,")),
            "q.json:65:77: $.indices.overall.weights.tillid: the weight of \"tillid\" is 0; weights must be positive");
}

TEST(LoaderTest, WeightsMustSumToOne) {
  // 0.5 + 0.25 + 0.125 + 0.25 = 1.125 (all exact in binary).
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "{\"tryghed\": 0.4, \"problemfrihed\": 0.3, \"tillid\": 0.15, \"naboskab\": 0.15}",
                                "{\"tryghed\": 0.5, \"problemfrihed\": 0.25, \"tillid\": 0.125, \"naboskab\": 0.25}")),
            "q.json:65:28: $.indices.overall.weights: the weights sum to 1.125; they must sum to 1");
}

TEST(LoaderTest, MinSubindicesOutOfRange) {
  // Line 64: the value at column 116.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"min_subindices\": 3", "\"min_subindices\": 5")),
            "q.json:64:116: $.indices.overall.min_subindices: min_subindices is 5, but there are 4 sub-indices; give "
            "a number from 1 to 4");
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"min_subindices\": 3", "\"min_subindices\": 0")),
            "q.json:64:116: $.indices.overall.min_subindices: min_subindices is 0, but there are 4 sub-indices; give "
            "a number from 1 to 4");
}

TEST(LoaderTest, ShareNamingAnUnknownCode) {
  // Share utryg (line 67): `"codes": [3, 4]` starts at column 93, the 4 is 13 further at 106.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"codes\": [3, 4]}", "\"codes\": [3, 9]}")),
            "q.json:67:106: $.indices.shares[0].codes[1]: \"T1\" has no code 9; its codes are 1, 2, 3, 4, 8");
}

TEST(LoaderTest, ShareNamingAMissingCode) {
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"codes\": [3, 4]}", "\"codes\": [3, 8]}")),
            "q.json:67:106: $.indices.shares[0].codes[1]: code 8 of \"T1\" is a missing code; shares and prevalences "
            "count substantive answers only");
}

TEST(LoaderTest, PrevalenceNamingAnUnknownItem) {
  // Line 71: "V2" at column 81.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"items\": [\"V1\", \"V2\"]", "\"items\": [\"V1\", \"V7\"]")),
            "q.json:71:81: $.indices.prevalences[0].items[1]: \"V7\" is not an item of this questionnaire; did you mean "
            "\"V1\"?");
}

TEST(LoaderTest, BackgroundRoleToAnUnknownItem) {
  // Line 74: the value of years_in_area at column 53.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"years_in_area\": \"B3\"", "\"years_in_area\": \"B9\"")),
            "q.json:74:53: $.background.years_in_area: \"B9\" is not an item of this questionnaire; did you mean "
            "\"B1\"?");
}

TEST(LoaderTest, BackgroundRoleToATextItem) {
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"years_in_area\": \"B3\"", "\"years_in_area\": \"C1\"")),
            "q.json:74:53: $.background.years_in_area: the background role \"years_in_area\" points to \"C1\", a text "
            "item; background items must be single or number items");
}

TEST(LoaderTest, DefaultLanguageNotDeclared) {
  // Line 7: the value at column 23.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"default_language\": \"da\"", "\"default_language\": \"fr\"")),
            "q.json:7:23: $.default_language: \"fr\" is not one of the declared languages; use one of \"da\" and "
            "\"en\"");
}

TEST(LoaderTest, BadFormat) {
  // Line 2: the value at column 13.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"tryghed-questionnaire/1\"", "\"tryghed-questionnaire/2\"")),
            "q.json:2:13: $.format: \"tryghed-questionnaire/2\" is not a format this program reads; write "
            "\"tryghed-questionnaire/1\"");
}

TEST(LoaderTest, TheEmbeddedSchemaIsEnforcedToo) {
  // The hand-written rules do not look for a repeated rtl language; the
  // schema's "uniqueItems" does. Line 6: `  "languages": ["da", "en"], ` is 29
  // characters, `"rtl_languages": ` 17 more, so the array opens at column 47
  // and its second "en" (the repeat RapidJSON points at) is at 47 + 7 = 54.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"languages\": [\"da\", \"en\"],",
                                "\"languages\": [\"da\", \"en\"], \"rtl_languages\": [\"en\", \"en\"],")),
            "q.json:6:54: $.rtl_languages[1]: questionnaires/schema.json rejects this value (keyword \"uniqueItems\"); "
            "see docs/questionnaire-format.md for what is allowed here");
}

TEST(LoaderTest, ThreeMistakesGiveThreeLocatedErrorsInDocumentOrder) {
  // The three single-mistake edits of BadFormat (2:13), DefaultLanguageNotDeclared
  // (7:23) and WrongType (54:96) at once, applied in reverse document order.
  std::string text = Replace(Mini(), "\"max_length\": 10", "\"max_length\": \"10\"");
  text = Replace(text, "\"default_language\": \"da\"", "\"default_language\": \"fr\"");
  text = Replace(text, "\"tryghed-questionnaire/1\"", "\"tryghed-questionnaire/2\"");
  std::vector<Problem> problems = ProblemsOf(text);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].line, 2);
  EXPECT_EQ(problems[0].column, 13);
  EXPECT_EQ(problems[0].path, "$.format");
  EXPECT_EQ(problems[1].line, 7);
  EXPECT_EQ(problems[1].column, 23);
  EXPECT_EQ(problems[1].path, "$.default_language");
  EXPECT_EQ(problems[2].line, 54);
  EXPECT_EQ(problems[2].column, 96);
  EXPECT_EQ(problems[2].path, "$.sections[5].items[3].max_length");
  // LoadQuestionnaire carries all three, one per line.
  core::Result<Questionnaire> q = LoadQuestionnaire(text, "q.json");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), core::StatusCode::kInvalidInput);
  EXPECT_EQ(std::count(q.status().message().begin(), q.status().message().end(), '\n'), 2);
}

TEST(LoaderTest, ColumnsCountCharactersNotBytes) {
  // Line 28 has "mørke" (ø is two bytes in UTF-8) before the scale value:
  // UnknownScaleName's column 110 counts ø once. Here a non-ASCII title
  // moves the "en" value: `{"da": "Trygæøå", "en": ` is 24 characters, so the
  // empty "en" value sits at 12 + 24 = 36 although it is 3 bytes further.
  EXPECT_EQ(OnlyProblem(Replace(Mini(), "\"title\": {\"da\": \"Mini\", \"en\": \"Mini\"}",
                                "\"title\": {\"da\": \"Trygæøå\", \"en\": \"\"}")),
            "q.json:5:36: $.title.en: the \"en\" text is empty; write the text in this language");
}

TEST(LoaderTest, LoadQuestionnaireFileReportsAMissingFile) {
  core::Result<Questionnaire> q = LoadQuestionnaireFile("/nonexistent/q.json");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), core::StatusCode::kNotFound);
}

TEST(LoaderTest, ShippedQuestionnairesLoadWithoutProblems) {
  for (const char* name : {"tryghed-standard.json", "collective-efficacy.json"}) {
    const std::string path = std::string(TRYGHED_SOURCE_DIR) + "/questionnaires/" + name;
    core::Result<std::string> text = core::ReadFile(path);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    LoadOutcome out = CheckQuestionnaire(*text, name);
    for (const Problem& p : out.problems) ADD_FAILURE() << p.ToString();
    EXPECT_TRUE(out.questionnaire.has_value()) << name;
  }
}

}  // namespace
}  // namespace tryghed::questionnaire
