// Import and export on SQLite and PostgreSQL, backup and restore on SQLite
// (engine/exchange, Store::Backup/Restore; docs/store.md).
#include <gtest/gtest.h>
#include <readstat.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <thread>

#include "core/sha256.h"
#include "exchange/export.h"
#include "exchange/import.h"
#include "exchange_fixture.h"
#include "store/internal/testing.h"

namespace tryghed::exchange {
namespace {

using store::Backend;
using store::internal::StoreTestAccess;

class ExchangeTest : public ::testing::TestWithParam<Backend>, protected testing::ExchangeFixture {
 protected:
  void SetUp() override {
    Build(GetParam());
    if (db->skip()) GTEST_SKIP() << db->error();
    ASSERT_TRUE(db->error().empty()) << db->error();
  }

  std::int64_t Count(const std::string& table) {
    auto rows = StoreTestAccess::QueryText(*store, "SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() && !rows->empty() ? std::stoll((*rows)[0]) : -1;
  }

  core::Result<ImportReport> Import(store::Id wave, const std::string& path, bool dry_run = false) {
    ImportOptions options;
    options.dry_run = dry_run;
    return ImportCsvFile(*store, wave, path, options);
  }

  // Imports a small good wave into w1 (used by the export tests).
  void ImportGoodWave() {
    const std::string path = WriteFile("good.csv",
                                       "area,received_on,T1,T2,V1,V3,B3,B4,M1_1,M1_2,M1_3,C1\n"
                                       "Gadehavegård,2025-09-03,1,2,1,2,12,2.5,,,,\n"
                                       "Charlotteager,2025-09-04,3,8,2,,40,0.25,1,0,1,Mørkt\n"
                                       "Gadehavegård,2025-09-05,4,,,,,,0,0,0,\n");
    auto r = Import(wave1, path);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(r->problems.empty()) << r->problems[0].ToString();
    ASSERT_TRUE(r->written);
  }
};

TEST(DecodeText, KeepsUtf8DropsTheBomAndConvertsWindows1252) {
  DecodedText plain = DecodeText("a;b\n\xc3\xa6\xc3\xb8\xc3\xa5\n");
  EXPECT_EQ(plain.encoding, TextEncoding::kUtf8);
  EXPECT_EQ(plain.utf8, "a;b\n\xc3\xa6\xc3\xb8\xc3\xa5\n");
  DecodedText bom = DecodeText("\xef\xbb\xbfx");
  EXPECT_EQ(bom.encoding, TextEncoding::kUtf8Bom);
  EXPECT_EQ(bom.utf8, "x");
  // æ ø å Æ Ø Å € “ ” in Windows-1252, and the undefined byte 0x81.
  DecodedText cp = DecodeText("\xe6\xf8\xe5\xc6\xd8\xc5\x80\x93\x94\x81");
  EXPECT_EQ(cp.encoding, TextEncoding::kWindows1252);
  EXPECT_EQ(cp.utf8,
            "\xc3\xa6\xc3\xb8\xc3\xa5\xc3\x86\xc3\x98\xc3\x85\xe2\x82\xac\xe2\x80\x9c\xe2\x80\x9d\xef\xbf\xbd");
  // A truncated UTF-8 sequence and an overlong form are not UTF-8.
  EXPECT_EQ(DecodeText("\xc3").encoding, TextEncoding::kWindows1252);
  EXPECT_EQ(DecodeText("\xc0\xaf").encoding, TextEncoding::kWindows1252);
}

TEST(ColumnMap, ReadsColumnItemPairsAndLocatesMistakes) {
  auto map = ParseColumnMap("column;item\nSpm 1;T1\n\"Tryg, mørke\";T2\n", "map.csv");
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->size(), 2u);
  EXPECT_EQ(map->at("Tryg, mørke"), "T2");
  auto twice = ParseColumnMap("column,item\na,T1\na,T2\n", "map.csv");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("map.csv:3:"), std::string::npos) << twice.status().message();
  EXPECT_FALSE(ParseColumnMap("col,it\na,T1\n", "map.csv").ok());
}

TEST_P(ExchangeTest, AFileWithTenFaultsGetsTenLocatedMessagesAndWritesNothing) {
  const std::string path = WriteFile("faults.csv",
                                     "area,received_on,T1,T2,B3,B4,V1,V3,M1_1,C1,completeness\n"
                                     "Gadehavegård,2025-09-03,7,1,,,,,,,\n"            // 2: T1 unknown code
                                     "Gadehavegård,2025-09-03,1,1,150,,,,,,\n"         // 3: B3 out of range
                                     "Gadehavegård,2025-09-03,1,1,,,2,1,,,\n"          // 4: V3 not asked
                                     "Nowhere,2025-09-03,1,1,,,,,,,\n"                 // 5: unknown area
                                     "Gadehavegård,2025-02-30,1,1,,,,,,,\n"            // 6: no such day
                                     "Gadehavegård,2025-09-03,1,abc,,,,,,,\n"          // 7: T2 not a code
                                     "Gadehavegård,2025-09-03,1,1,,1.5.3,,,,,\n"       // 8: B4 not a number
                                     "Gadehavegård,2025-09-03,3,1,,,,,2,,\n"           // 9: M1_1 not 0/1
                                     "Gadehavegård,2025-09-03,1,1,,,,,,elleve tegn,\n" // 10: C1 longer than 10
                                     "Gadehavegård,2025-09-03,1,1,,,,,,,halfway\n"     // 11: completeness
                                     "Gadehavegård,2025-09-03,1,1,,,,,,,\n");          // 12: good
  auto r = Import(wave1, path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->problems.size(), 10u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"T1", "7"}, {"B3", "150"}, {"V3", "1"}, {"area", "Nowhere"}, {"received_on", "2025-02-30"},
      {"T2", "abc"}, {"B4", "1.5.3"}, {"M1_1", "2"}, {"C1", "elleve tegn"}, {"completeness", "halfway"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const CellProblem& p = r->problems[i];
    EXPECT_EQ(p.file, path);
    EXPECT_EQ(p.line, i + 2) << p.ToString();
    EXPECT_EQ(p.column, expected[i].first) << p.ToString();
    EXPECT_EQ(p.value, expected[i].second) << p.ToString();
    EXPECT_FALSE(p.why.empty());
  }
  EXPECT_NE(r->problems[2].why.find("not asked"), std::string::npos) << r->problems[2].why;
  EXPECT_NE(r->problems[3].why.find("Charlotteager"), std::string::npos) << r->problems[3].why;
  EXPECT_FALSE(r->written);
  EXPECT_EQ(Count("response"), 0);
  EXPECT_EQ(Count("import_batch"), 0);
}

TEST_P(ExchangeTest, UnknownColumnsAreRefusedUnlessMappedOrIgnored) {
  const std::string path = WriteFile("cols.csv", "Spm1,Kommentar fra intervieweren,T2\n1,ringede igen,2\n");
  auto r = Import(wave1, path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // Spm1 and the interviewer's note are unknown, and with two areas the file needs an area column.
  ASSERT_EQ(r->problems.size(), 3u);
  EXPECT_EQ(r->problems[0].line, 1u);
  EXPECT_EQ(r->problems[0].column, "Spm1");
  ImportOptions options;
  options.map = {{"Spm1", "T1"}, {"Sted", "area"}};
  options.ignore = {"Kommentar fra intervieweren"};
  const std::string mapped = WriteFile("mapped.csv", "Spm1,Kommentar fra intervieweren,T2,Sted\n1,ringede igen,2,Charlotteager\n");
  auto ok = ImportCsvFile(*store, wave1, mapped, options);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_TRUE(ok->problems.empty()) << ok->problems[0].ToString();
  auto responses = store->ReadResponses(wave1);
  ASSERT_TRUE(responses.ok());
  ASSERT_EQ(responses->size(), 1u);
  EXPECT_EQ((*responses)[0].meta.area_id, comparison);
  EXPECT_EQ(std::get<core::Code>((*responses)[0].answers.at("T1")), 1);
  EXPECT_EQ(std::get<core::Code>((*responses)[0].answers.at("T2")), 2);
}

TEST_P(ExchangeTest, AWindows1252SemicolonFileWithDecimalCommasImports) {
  // As Danish Excel saves "CSV (semikolonsepareret)": Windows-1252, ';', decimal comma, DD-MM-YYYY.
  const std::string bytes =
      "omr\xe5" "de;dag;T1;B3;B4;C1\r\n"
      "Gadehaveg\xe5rd;01-03-2026;2;12;2,5;\xc6" "bler \x80" "5\r\n"
      "Charlotteager;02.03.2026;4;3;0,75;S\xf8" "en\r\n";
  const std::string map = "column;item\nomr\xe5" "de;area\ndag;received_on\n";
  ImportOptions options;
  auto parsed_map = ParseColumnMap(map, "map.csv");
  ASSERT_TRUE(parsed_map.ok()) << parsed_map.status().ToString();
  options.map = *parsed_map;
  auto r = ImportCsvFile(*store, wave1, WriteFile("excel.csv", bytes), options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->problems.empty()) << r->problems[0].ToString();
  EXPECT_EQ(r->encoding, TextEncoding::kWindows1252);
  EXPECT_EQ(r->separator, ';');
  EXPECT_TRUE(r->written);
  EXPECT_EQ(r->file_hash, core::Sha256Hex(bytes));
  auto responses = store->ReadResponses(wave1);
  ASSERT_TRUE(responses.ok()) << responses.status().ToString();
  ASSERT_EQ(responses->size(), 2u);
  const store::StoredResponse& a = (*responses)[0];
  const store::StoredResponse& b = (*responses)[1];
  EXPECT_EQ(a.meta.area_id, pilot);
  EXPECT_EQ(a.meta.received_on, "2026-03-01");
  EXPECT_EQ(a.meta.channel, store::Channel::kImport);
  EXPECT_EQ(a.meta.language, "da");
  EXPECT_EQ(std::get<core::Code>(a.answers.at("T1")), 2);
  EXPECT_EQ(std::get<double>(a.answers.at("B3")), 12.0);
  EXPECT_EQ(std::get<double>(a.answers.at("B4")), 2.5);
  EXPECT_EQ(std::get<std::string>(a.answers.at("C1")), "\xc3\x86" "bler \xe2\x82\xac" "5");  // "Æbler €5"
  EXPECT_EQ(b.meta.area_id, comparison);
  EXPECT_EQ(b.meta.received_on, "2026-03-02");
  EXPECT_EQ(std::get<double>(b.answers.at("B4")), 0.75);
  EXPECT_EQ(std::get<std::string>(b.answers.at("C1")), "S\xc3\xb8" "en");  // "Søen"
}

TEST_P(ExchangeTest, TheSameFileTwiceIsRefusedAndDryRunWritesNothing) {
  const std::string path = WriteFile("once.csv", "area,T1\nGadehavegård,1\nCharlotteager,2\n");
  auto dry = Import(wave1, path, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  EXPECT_TRUE(dry->problems.empty());
  EXPECT_FALSE(dry->written);
  EXPECT_EQ(dry->rows, 2u);
  EXPECT_EQ(Count("response"), 0);
  EXPECT_EQ(Count("import_batch"), 0);
  // A dry run leaves no trace, so the real import goes through.
  auto first = Import(wave1, path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->written);
  EXPECT_EQ(first->response_ids.size(), 2u);
  auto second = Import(wave1, path);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), core::StatusCode::kAlreadyExists) << second.status().ToString();
  EXPECT_EQ(Count("response"), 2);
  EXPECT_EQ(Count("import_batch"), 1);
  // The same bytes under another name are the same file.
  auto renamed = Import(wave1, WriteFile("copy.csv", "area,T1\nGadehavegård,1\nCharlotteager,2\n"));
  EXPECT_EQ(renamed.status().code(), core::StatusCode::kAlreadyExists);
}

// What ReadStat's reader finds in a .sav or .dta file.
struct ReadBack {
  std::vector<std::string> names, labels, label_sets;
  std::map<std::string, std::map<long, std::string>> value_labels;  // set -> code -> label
  std::vector<std::vector<std::string>> cells;                       // [row][var], "" = missing
  int rows = 0;
};

ReadBack ReadStatFile(const std::string& path, bool dta) {
  ReadBack rb;
  readstat_parser_t* parser = readstat_parser_init();
  readstat_set_metadata_handler(parser, [](readstat_metadata_t* m, void* ctx) -> int {
    static_cast<ReadBack*>(ctx)->rows = readstat_get_row_count(m);
    return READSTAT_HANDLER_OK;
  });
  readstat_set_variable_handler(parser, [](int, readstat_variable_t* v, const char* set, void* ctx) -> int {
    auto* r = static_cast<ReadBack*>(ctx);
    r->names.emplace_back(readstat_variable_get_name(v));
    const char* label = readstat_variable_get_label(v);
    r->labels.emplace_back(label ? label : "");
    r->label_sets.emplace_back(set ? set : "");
    return READSTAT_HANDLER_OK;
  });
  readstat_set_value_handler(parser, [](int obs, readstat_variable_t* v, readstat_value_t value, void* ctx) -> int {
    auto* r = static_cast<ReadBack*>(ctx);
    if (static_cast<int>(r->cells.size()) <= obs) r->cells.resize(obs + 1);
    auto& row = r->cells[obs];
    const int i = readstat_variable_get_index(v);
    if (static_cast<int>(row.size()) <= i) row.resize(i + 1);
    if (readstat_value_is_system_missing(value)) return READSTAT_HANDLER_OK;
    if (readstat_value_type(value) == READSTAT_TYPE_STRING) {
      row[i] = readstat_string_value(value);
    } else {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", readstat_double_value(value) + 0.0);
      if (readstat_value_type(value) != READSTAT_TYPE_DOUBLE && readstat_value_type(value) != READSTAT_TYPE_FLOAT) {
        std::snprintf(buf, sizeof buf, "%d", readstat_int32_value(value));
      }
      row[i] = buf;
    }
    return READSTAT_HANDLER_OK;
  });
  readstat_set_value_label_handler(parser, [](const char* set, readstat_value_t value, const char* label, void* ctx) -> int {
    auto* r = static_cast<ReadBack*>(ctx);
    const long code = readstat_value_type(value) == READSTAT_TYPE_DOUBLE
                          ? std::lround(readstat_double_value(value))
                          : readstat_int32_value(value);
    r->value_labels[set][code] = label;
    return READSTAT_HANDLER_OK;
  });
  const readstat_error_t e = dta ? readstat_parse_dta(parser, path.c_str(), &rb) : readstat_parse_sav(parser, path.c_str(), &rb);
  readstat_parser_free(parser);
  EXPECT_EQ(e, READSTAT_OK) << readstat_error_message(e);
  return rb;
}

TEST_P(ExchangeTest, SavAndDtaReadBackWithTheSameValuesAndLabels) {
  ImportGoodWave();
  for (const bool dta : {false, true}) {
    SCOPED_TRACE(dta ? "dta" : "sav");
    ExportOptions options;
    options.format = dta ? ExportFormat::kDta : ExportFormat::kSav;
    auto table = BuildExportTable(*store, study_id, wave1, options);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    const std::string path = db->dir() + (dta ? "/w1.dta" : "/w1.sav");
    auto files = WriteExport(*table, options, path);
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    ReadBack rb = ReadStatFile(path, dta);
    ASSERT_EQ(rb.rows, 3);
    auto col = [&](const std::string& name) {
      auto it = std::find(rb.names.begin(), rb.names.end(), name);
      EXPECT_NE(it, rb.names.end()) << name;
      return static_cast<std::size_t>(it - rb.names.begin());
    };
    // Free text (C1) is left out; response ids are never exported.
    EXPECT_EQ(std::find(rb.names.begin(), rb.names.end(), "C1"), rb.names.end());
    EXPECT_EQ(rb.names[0], "area");
    const std::size_t t1 = col("T1"), t2 = col("T2"), b4 = col("B4"), m13 = col("M1_3"), area = col("area"),
                      day = col("received_on"), v3 = col("V3");
    EXPECT_EQ(rb.labels[t1], "Tryg i nabolaget?");
    EXPECT_EQ(rb.labels[m13], "Utrygge steder: P-kælderen");
    ASSERT_FALSE(rb.label_sets[t1].empty());
    const auto& t1_labels = rb.value_labels[rb.label_sets[t1]];
    EXPECT_EQ(t1_labels.at(1), "Meget tryg");
    EXPECT_EQ(t1_labels.at(4), "Meget utryg");
    EXPECT_EQ(t1_labels.at(8), "Ved ikke");
    EXPECT_EQ(rb.value_labels[rb.label_sets[m13]].at(1), "Valgt");
    ASSERT_EQ(rb.cells.size(), 3u);
    // Row by row, what good.csv said.
    EXPECT_EQ(rb.cells[0][area], "Gadehavegård");
    EXPECT_EQ(rb.cells[1][area], "Charlotteager");
    EXPECT_EQ(rb.cells[2][day], "2025-09-05");
    EXPECT_EQ(rb.cells[0][t1], "1");
    EXPECT_EQ(rb.cells[1][t2], "8");
    EXPECT_EQ(rb.cells[2][t2], "");   // not answered: system missing
    EXPECT_EQ(rb.cells[0][v3], "2");
    EXPECT_EQ(rb.cells[0][b4], "2.5");
    EXPECT_EQ(rb.cells[1][b4], "0.25");
    EXPECT_EQ(rb.cells[0][m13], "");  // M1 not asked (T1 = 1)
    EXPECT_EQ(rb.cells[1][m13], "1");
    EXPECT_EQ(rb.cells[2][m13], "0");  // asked, nothing chosen
  }
}

TEST_P(ExchangeTest, CsvExportImportsIntoAnotherWaveAsTheSameData) {
  ImportGoodWave();
  ExportOptions options;
  options.format = ExportFormat::kCsv;
  options.include_free_text = true;
  auto table = BuildExportTable(*store, study_id, wave1, options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const std::string path = db->dir() + "/w1.csv";
  ASSERT_TRUE(WriteExport(*table, options, path).ok());
  auto r = Import(wave2, path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->problems.empty()) << r->problems[0].ToString();
  auto a = store->ReadResponses(wave1);
  auto b = store->ReadResponses(wave2);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), 3u);
  ASSERT_EQ(b->size(), 3u);
  for (std::size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ((*a)[i].answers, (*b)[i].answers) << "row " << i;
    EXPECT_EQ((*a)[i].meta.area_id, (*b)[i].meta.area_id);
    EXPECT_EQ((*a)[i].meta.received_on, (*b)[i].meta.received_on);
    EXPECT_EQ((*a)[i].meta.language, (*b)[i].meta.language);
  }
  EXPECT_EQ(std::get<std::string>((*b)[1].answers.at("C1")), "Mørkt");
  EXPECT_TRUE((*b)[2].answers.count("M1"));  // the empty set survives
  EXPECT_TRUE(std::get<core::Codes>((*b)[2].answers.at("M1")).empty());
}

TEST_P(ExchangeTest, XlsxIsAZipWithTheDataAndCodebookSheets) {
  ImportGoodWave();
  ExportOptions options;
  options.format = ExportFormat::kXlsx;
  options.labels = true;
  auto table = BuildExportTable(*store, study_id, std::nullopt, options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const std::string path = db->dir() + "/study.xlsx";
  ASSERT_TRUE(WriteExport(*table, options, path).ok());
  auto bytes = core::ReadFile(path);
  ASSERT_TRUE(bytes.ok());
  ASSERT_EQ(bytes->substr(0, 4), std::string("PK\x03\x04", 4));
  auto unzip = [&](const std::string& member) {
    std::string out;
    std::FILE* p = ::popen(("unzip -p '" + path + "' " + member).c_str(), "r");
    if (p == nullptr) return out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out;
  };
  const std::string workbook = unzip("xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"data\""), std::string::npos) << workbook;
  EXPECT_NE(workbook.find("name=\"codebook\""), std::string::npos) << workbook;
  const std::string data = unzip("xl/worksheets/sheet1.xml");
  // Header, the wave column of a whole-study export, and labels instead of codes.
  EXPECT_NE(data.find(">wave<"), std::string::npos);
  EXPECT_NE(data.find(">Charlotteager<"), std::string::npos);
  EXPECT_NE(data.find(">Meget tryg<"), std::string::npos);
  const std::string codebook = unzip("xl/worksheets/sheet2.xml");
  EXPECT_NE(codebook.find(">Tryg i nabolaget?<"), std::string::npos);
}

TEST_P(ExchangeTest, TheCodebookListsItemsTextsCodesAndLabels) {
  ExportOptions options;
  options.format = ExportFormat::kCodebook;
  auto table = BuildExportTable(*store, study_id, wave1, options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto files = WriteExport(*table, options, db->dir() + "/codebook.csv");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 2u);
  auto csv = core::ReadFile((*files)[0]);
  auto json = core::ReadFile((*files)[1]);
  ASSERT_TRUE(csv.ok() && json.ok());
  EXPECT_NE(csv->find("T1,T1,single,Tryg i nabolaget?,,,\n"), std::string::npos) << *csv;
  EXPECT_NE(csv->find("T1,T1,single,,8,Ved ikke,1\n"), std::string::npos) << *csv;
  EXPECT_NE(csv->find("B4,B4,number,Timer udendørs om ugen,,,\n"), std::string::npos) << *csv;
  EXPECT_NE(json->find("{\"name\":\"T1\",\"item\":\"T1\",\"type\":\"single\",\"label\":\"Tryg i nabolaget?\","
                       "\"values\":[{\"code\":1,\"label\":\"Meget tryg\",\"missing\":false}"),
            std::string::npos)
      << *json;
}

TEST_P(ExchangeTest, BackupWhileAnotherConnectionWritesAndRestoreGivesTheSameData) {
  const std::string out = db->dir() + "/backup.db";
  if (GetParam() == Backend::kPostgres) {
    core::Status st = store->Backup(out);
    EXPECT_EQ(st.code(), core::StatusCode::kFailedPrecondition);
    EXPECT_NE(st.message().find("pg_dump --format=custom --file=" + out), std::string::npos) << st.message();
    return;
  }
  ASSERT_TRUE(store->OpenWave(wave1).ok());
  ImportGoodWave();
  // Another Store (its own connections) writes responses while the backup runs.
  auto writer_store = store::Store::Open(db->url());
  ASSERT_TRUE(writer_store.ok());
  std::atomic<int> written{0};
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 400; ++i) {
      store::ResponseMeta meta;
      meta.wave_id = wave1;
      meta.area_id = pilot;
      meta.channel = store::Channel::kLink;
      meta.questionnaire_version_id = qv_id;
      core::Answers answers{{"T1", core::Code{1 + i % 4}}, {"B4", 0.5 * i}};
      if ((*writer_store)->SubmitResponse(meta, answers, std::nullopt, std::nullopt).ok()) ++written;
    }
    done = true;
  });
  while (written < 20 && !done) std::this_thread::yield();
  core::Status st = store->Backup(out);
  writer.join();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(store->Backup(out).code(), core::StatusCode::kAlreadyExists);

  // Restore into a new path: a consistent prefix of what was written.
  const std::string target = db->dir() + "/restored.db";
  ASSERT_TRUE(store::Store::Restore(out, target, false).ok());
  auto restored = store::Store::Open(target);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  auto check = StoreTestAccess::QueryText(**restored, "PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(*check, std::vector<std::string>{"ok"});
  auto source = store->ReadResponses(wave1);
  auto copy = (*restored)->ReadResponses(wave1);
  ASSERT_TRUE(source.ok() && copy.ok());
  EXPECT_GE(copy->size(), 3u + 20u);
  ASSERT_LE(copy->size(), source->size());
  for (std::size_t i = 0; i < copy->size(); ++i) {
    EXPECT_EQ((*copy)[i].id, (*source)[i].id);
    EXPECT_EQ((*copy)[i].answers, (*source)[i].answers);
  }
  restored->reset();

  // Once the writer is done, a second backup restored over the first holds everything.
  const std::string out2 = db->dir() + "/backup2.db";
  ASSERT_TRUE(store->Backup(out2).ok());
  core::Status refused = store::Store::Restore(out2, target, false);
  EXPECT_EQ(refused.code(), core::StatusCode::kAlreadyExists) << refused.ToString();
  ASSERT_TRUE(store::Store::Restore(out2, target, true).ok());
  EXPECT_TRUE(std::filesystem::exists(target + ".before-restore"));
  auto again = store::Store::Open(target);
  ASSERT_TRUE(again.ok());
  auto all = (*again)->ReadResponses(wave1);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), source->size());
  for (std::size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i].answers, (*source)[i].answers);
  auto kept = store::Store::Open(target + ".before-restore");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ((*kept)->CountResponses(wave1).value(), static_cast<std::int64_t>(copy->size()));
}

TEST_P(ExchangeTest, RestoreRefusesADamagedBackupOrANewerSchema) {
  if (GetParam() == Backend::kPostgres) {
    core::Status st = store::Store::Restore(db->dir() + "/b.dump", db->url(), false);
    EXPECT_EQ(st.code(), core::StatusCode::kFailedPrecondition);
    EXPECT_NE(st.message().find("pg_restore --clean --if-exists"), std::string::npos) << st.message();
    return;
  }
  const std::string out = db->dir() + "/b.db";
  ASSERT_TRUE(store->Backup(out).ok());
  // A newer schema: the backup claims a migration this program does not know.
  {
    auto b = store::Store::Open(out);
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE(StoreTestAccess::Execute(**b, "INSERT INTO schema_version (version, applied_at, program) VALUES (" +
                                                  std::to_string(store::CurrentSchemaVersion() + 1) +
                                                  ", '2030-01-01T00:00:00Z', 'tryghed 9')")
                    .ok());
  }
  core::Status newer = store::Store::Restore(out, db->dir() + "/t1.db", false);
  EXPECT_EQ(newer.code(), core::StatusCode::kFailedPrecondition) << newer.ToString();
  EXPECT_FALSE(std::filesystem::exists(db->dir() + "/t1.db"));
  // A damaged file: not a database at all.
  const std::string junk = WriteFile("junk.db", std::string(8192, 'x'));
  core::Status damaged = store::Store::Restore(junk, db->dir() + "/t2.db", false);
  EXPECT_EQ(damaged.code(), core::StatusCode::kInvalidInput) << damaged.ToString();
  EXPECT_FALSE(std::filesystem::exists(db->dir() + "/t2.db"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ExchangeTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return store::testing::BackendName(p.param);
                         });

}  // namespace
}  // namespace tryghed::exchange
