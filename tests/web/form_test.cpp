// The form logic without HTTP (web/internal/form.h, render.h) on
// tests/data/questionnaire/mini.json, whose pages and rules are written out
// here by hand from the file.
#include <gtest/gtest.h>

#include "core/file.h"
#include "questionnaire/loader.h"
#include "web/internal/form.h"
#include "web/internal/render.h"

namespace tryghed::web::internal {
namespace {

class FormTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto q = questionnaire::LoadQuestionnaireFile(std::string(TRYGHED_TEST_DATA) + "/questionnaire/mini.json");
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    survey_ = std::make_shared<const Survey>(MakeSurvey(7, std::move(q).value()));
    form_.survey = survey_;
    form_.language = "da";
  }
  std::shared_ptr<const Survey> survey_;
  FormState form_;
};

TEST_F(FormTest, AnItemDependingOnItsOwnSectionStartsAPage) {
  // tryghed, problemer, udsat split before V3 (show_if on V1/V2 of the same
  // section), tillid (L2 depends on V1 of another page: stays), naboskab, baggrund.
  ASSERT_EQ(survey_->pages.size(), 7u);
  EXPECT_EQ(survey_->pages[2].first, 0u);
  EXPECT_EQ(survey_->pages[2].last, 2u);
  EXPECT_EQ(survey_->pages[3].first, 2u);
  EXPECT_EQ(survey_->pages[3].last, 3u);
  // 16 fixed fields + one per option or per open item:
  // T 3x5, P 3x5, V1 2, V2 3, V3 2, L 2x6, N 3x6, B1 2, B3 1, M1 3, C1 1 = 74.
  EXPECT_EQ(survey_->field_limit, 16 + 74);
}

TEST_F(FormTest, TheV3PageIsSkippedUnlessAVictimisationWasReported) {
  ASSERT_TRUE(ApplyPage(*survey_, 2, {{"V1", "2"}, {"V2", "2"}}, form_).ok());
  EXPECT_EQ(NextPage(*survey_, form_.answers, 2), 4);
  ASSERT_TRUE(ApplyPage(*survey_, 2, {{"V1", "1"}, {"V2", "2"}}, form_).ok());
  EXPECT_EQ(NextPage(*survey_, form_.answers, 2), 3);
  EXPECT_EQ(PreviousPage(*survey_, form_.answers, 4), 3);
  EXPECT_EQ(NextPage(*survey_, form_.answers, 6), 7);  // the review step
}

TEST_F(FormTest, ChangingAnAnswerDropsAnswersNoLongerAsked) {
  ASSERT_TRUE(ApplyPage(*survey_, 2, {{"V1", "1"}}, form_).ok());
  ASSERT_TRUE(ApplyPage(*survey_, 3, {{"V3", "1"}}, form_).ok());
  ASSERT_TRUE(ApplyPage(*survey_, 4, {{"L1", "4"}, {"L2", "5"}}, form_).ok());
  EXPECT_EQ(form_.answers.count("L2"), 1u);
  ASSERT_TRUE(ApplyPage(*survey_, 2, {{"V1", "2"}}, form_).ok());
  EXPECT_EQ(form_.answers.count("V3"), 0u);
  EXPECT_EQ(form_.answers.count("L2"), 0u);
  EXPECT_EQ(form_.answers.count("L1"), 1u);
}

TEST_F(FormTest, ForgedValuesAreRejectedAndChangeNothing) {
  ASSERT_TRUE(ApplyPage(*survey_, 0, {{"T1", "2"}}, form_).ok());
  EXPECT_EQ(ApplyPage(*survey_, 0, {{"T1", "5"}}, form_).code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyPage(*survey_, 0, {{"T1", "1"}, {"T1", "2"}}, form_).code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyPage(*survey_, 0, {{"T2", "x"}}, form_).code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::get<core::Code>(form_.answers.at("T1")), 2);
}

TEST_F(FormTest, NumbersAndTextsGetInlineMessagesNotRejections) {
  // T1 = 3 makes M1 asked (not T1 in {1, 2}).
  ASSERT_TRUE(ApplyPage(*survey_, 0, {{"T1", "3"}}, form_).ok());
  ASSERT_TRUE(ApplyPage(*survey_, 6, {{"B3", "12,0"}, {"M1", "3"}, {"M1", "1"}, {"C1", "kort"}}, form_).ok());
  EXPECT_EQ(std::get<double>(form_.answers.at("B3")), 12.0);
  EXPECT_EQ(std::get<core::Codes>(form_.answers.at("M1")), (core::Codes{1, 3}));
  EXPECT_EQ(std::get<std::string>(form_.answers.at("C1")), "kort");
  ASSERT_TRUE(ApplyPage(*survey_, 6, {{"B3", "12,5"}, {"C1", "ælæølåæøåæx"}}, form_).ok());  // 11 characters
  EXPECT_EQ(form_.errors.at("B3"), "number_whole");
  EXPECT_EQ(form_.errors.at("C1"), "text_long");
  EXPECT_EQ(form_.raw.at("B3"), "12,5");
  EXPECT_EQ(form_.answers.count("B3"), 0u);
  ASSERT_TRUE(ApplyPage(*survey_, 6, {{"B3", "101"}, {"C1", "ælæølåæøåæ"}}, form_).ok());  // 10 characters: fine
  EXPECT_EQ(form_.errors.at("B3"), "number_range");
  EXPECT_EQ(form_.errors.count("C1"), 0u);
  ASSERT_TRUE(ApplyPage(*survey_, 6, {{"B3", "tolv"}}, form_).ok());
  EXPECT_EQ(form_.errors.at("B3"), "number_invalid");
  form_.page = 6;
  const std::string html = RenderFormPage(form_, "/s/x", "");
  EXPECT_NE(html.find("Skriv et tal, fx 12."), std::string::npos);
  EXPECT_NE(html.find("value=\"tolv\""), std::string::npos);
}

TEST_F(FormTest, DraftRoundTripsAndDropsWhatTheSurveyRefuses) {
  ASSERT_TRUE(ApplyPage(*survey_, 0, {{"T1", "3"}}, form_).ok());
  ASSERT_TRUE(ApplyPage(*survey_, 6, {{"B3", "7"}, {"M1", "2"}, {"C1", "a\tb\\c\nd"}}, form_).ok());
  form_.language = "en";
  form_.page = 6;
  const std::string text = EncodeDraft(form_);
  FormState back;
  back.survey = survey_;
  back.language = "da";
  ASSERT_TRUE(DecodeDraft(text, back).ok());
  EXPECT_EQ(back.answers, form_.answers);
  EXPECT_EQ(back.language, "en");
  EXPECT_EQ(back.page, 6);
  FormState forged;
  forged.survey = survey_;
  forged.language = "da";
  ASSERT_TRUE(DecodeDraft("tryghed-draft/1\nlang\txx\npage\t99\nc\tT1\t9\nc\tZZ\t1\nc\tT2\t1\n", forged).ok());
  EXPECT_EQ(forged.answers, (core::Answers{{"T2", core::Code{1}}}));
  EXPECT_EQ(forged.language, "da");
  EXPECT_EQ(forged.page, 7);
  EXPECT_FALSE(DecodeDraft("something else", forged).ok());
}

// Found by tests/fuzz/form_fuzzer: DecodeDraft judged each answer alone and
// ignored problems whose message contained "not asked", so a text holding
// those words was kept however long, and an answer to an item with show_if
// (never asked alone) was kept with any code.
TEST_F(FormTest, DraftValuesAreJudgedWithAllAnswersAndNotByTheirWording) {
  FormState forged;
  forged.survey = survey_;
  forged.language = "da";
  // V3 is asked (V1 = 1) but 99 is not one of its codes; C1 allows 10 characters.
  ASSERT_TRUE(DecodeDraft("tryghed-draft/1\nc\tV1\t1\nc\tV3\t99\nt\tC1\ta long text not asked\nt\tC1x\tz\n"
                          "c\tL2\t4\n",
                          forged)
                  .ok());
  EXPECT_EQ(forged.answers, (core::Answers{{"V1", core::Code{1}}, {"L2", core::Code{4}}}));
  // Without V1 = 1, L2 is not asked and goes too.
  ASSERT_TRUE(DecodeDraft("tryghed-draft/1\nc\tV1\t9\nc\tL2\t4\nt\tC1\tkort\n", forged).ok());
  EXPECT_EQ(forged.answers, (core::Answers{{"C1", std::string("kort")}}));
}

// Found while writing tests/fuzz/form_fuzzer's invariants (it checks them
// since): a forged post stored bytes that are not UTF-8 as a text answer
// (breaking every later export), and a refused number was kept for
// correction cut in the middle of a character.
TEST_F(FormTest, TextThatIsNotUtf8IsRefusedAndAKeptEntryIsCutBetweenCharacters) {
  ASSERT_TRUE(ApplyPage(*survey_, 6, {{"C1", "Fint"}}, form_).ok());
  EXPECT_EQ(ApplyPage(*survey_, 6, {{"C1", "Gadehaveg\xe5rd"}}, form_).code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyPage(*survey_, 6, {{"B3", "\xc3"}}, form_).code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::get<std::string>(form_.answers.at("C1")), "Fint");  // the refused posts changed nothing
  // 63 digits and an "ø" (2 bytes): the first 64 bytes would end inside the ø.
  const std::string typed = std::string(63, '1') + "\xc3\xb8";
  ASSERT_TRUE(ApplyPage(*survey_, 6, {{"B3", typed}}, form_).ok());
  EXPECT_EQ(form_.errors.at("B3"), "number_invalid");
  EXPECT_EQ(form_.raw.at("B3"), std::string(63, '1'));
}

TEST(ParseFormBodyTest, ReadsTheQueryThenTheBodyDecodedAndEnforcesTheLimit) {
  const std::string type = "application/x-www-form-urlencoded";
  auto fields = ParseFormBody("/s/abc?lang=en", type + "; charset=UTF-8", "C1=H%C3%B8j+sk%26le&M1=1&M1=3", 3);
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  const Fields expected = {{"lang", "en"}, {"C1", "H\xc3\xb8j sk&le"}, {"M1", "1"}, {"M1", "3"}};
  EXPECT_EQ(*fields, expected);
  // A 4-field body is over the limit of 3 (the query's one field counts apart).
  EXPECT_EQ(ParseFormBody("/s/abc?lang=en", type, "C1=x&M1=1&M1=3&B3=", 3).status().code(),
            core::StatusCode::kInvalidArgument);
  // A broken percent escape and another content type are refused.
  EXPECT_EQ(ParseFormBody("/s/abc", type, "C1=%G1", 4).status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFormBody("/s/abc", "multipart/form-data; boundary=x", "C1=a", 4).status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST(RenderTest, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(RenderTest, TemplatesAreCompiledIn) {
  EXPECT_NE(EmbeddedText("page.html").find("<html lang=\"{{lang}}\" dir=\"{{dir}}\">"), std::string::npos);
  EXPECT_NE(EmbeddedText("form.css").find("min-height"), std::string::npos);
}

}  // namespace
}  // namespace tryghed::web::internal
