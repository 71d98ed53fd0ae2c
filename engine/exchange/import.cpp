#include "exchange/import.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <utility>

#include "core/csv.h"
#include "core/file.h"
#include "core/sha256.h"
#include "core/utf8.h"
#include "questionnaire/loader.h"
#include "questionnaire/scoring.h"

namespace tryghed::exchange {

namespace {

using questionnaire::Item;
using questionnaire::Questionnaire;

// Windows-1252 0x80..0x9F as Unicode code points (0xFFFD: undefined).
constexpr char32_t kCp1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// A whole number written with digits and an optional sign.
std::optional<std::int64_t> ParseInteger(const std::string& s) {
  std::int64_t v = 0;
  const char* b = s.data();
  const char* e = b + s.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e || b == e) return std::nullopt;
  return v;
}

// A decimal number with '.' or ',' as decimal mark (not both, no thousands
// separators), or scientific notation.
std::optional<double> ParseDecimal(std::string s) {
  if (s.find(',') != std::string::npos) {
    if (s.find('.') != std::string::npos || std::count(s.begin(), s.end(), ',') > 1) return std::nullopt;
    std::replace(s.begin(), s.end(), ',', '.');
  }
  const char* b = s.data();
  const char* e = b + s.size();
  if (b != e && *b == '+') ++b;
  double v = 0;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e || b == e || !std::isfinite(v)) return std::nullopt;
  return v;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY as YYYY-MM-DD; nullopt otherwise.
std::optional<std::string> ParseDay(const std::string& s) {
  int y = 0, m = 0, d = 0;
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    if (pos + len > s.size()) return false;
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return ec == std::errc() && p == s.data() + pos + len;
  };
  if (s.size() != 10) return std::nullopt;
  if (s[4] == '-' && s[7] == '-') {
    if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  } else if ((s[2] == '-' && s[5] == '-') || (s[2] == '.' && s[5] == '.')) {
    if (!num(0, 2, d) || !num(3, 2, m) || !num(6, 4, y)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || m < 1 || m > 12 || d < 1) return std::nullopt;
  if (d > kDays[m - 1] + (m == 2 && IsLeapYear(y) ? 1 : 0)) return std::nullopt;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return std::string(buf);
}

// The items a condition refers to.
void ConditionItems(const questionnaire::Condition& c, std::set<std::string>& out) {
  if (!c.item.empty()) out.insert(c.item);
  for (const auto& child : c.children) ConditionItems(child, out);
}

std::string JoinNames(const std::vector<store::Area>& areas) {
  std::string s;
  for (const auto& a : areas) s += (s.empty() ? "" : ", ") + a.name;
  return s;
}

// What one column of the file holds.
struct ColumnRole {
  enum class Kind { kIgnored, kItem, kDummy, kArea, kDay, kLanguage, kCompleteness, kChannel } kind = Kind::kIgnored;
  const Item* item = nullptr;  // kItem, kDummy
  core::Code code = 0;         // kDummy
};

constexpr std::string_view kMetaColumns = "area, received_on, language, completeness, channel";

}  // namespace

const char* TextEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8: return "UTF-8";
    case TextEncoding::kUtf8Bom: return "UTF-8 with BOM";
    case TextEncoding::kWindows1252: return "Windows-1252";
  }
  return "?";
}

DecodedText DecodeText(std::string_view bytes) {
  DecodedText out;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    bytes.remove_prefix(3);
    out.encoding = TextEncoding::kUtf8Bom;
  }
  if (core::IsValidUtf8(bytes)) {
    out.utf8 = std::string(bytes);
    return out;
  }
  out.encoding = TextEncoding::kWindows1252;
  out.utf8.reserve(bytes.size() + bytes.size() / 8);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.utf8 += ch;
    } else if (c < 0xA0) {
      AppendUtf8(out.utf8, kCp1252High[c - 0x80]);
    } else {
      AppendUtf8(out.utf8, c);  // Latin-1 range: code point = byte
    }
  }
  return out;
}

std::string CellProblem::ToString() const {
  return file + ":" + std::to_string(line) + ": column \"" + column + "\": \"" + value + "\": " + why;
}

core::Result<ColumnMap> ParseColumnMap(std::string_view text, const std::string& source) {
  DecodedText decoded = DecodeText(text);
  core::Result<core::CsvTable> t = core::ParseCsv(decoded.utf8, source);
  if (!t.ok()) return t.status();
  auto column = t->Find("column");
  auto item = t->Find("item");
  if (!column || !item) {
    return core::InvalidInput(source + ":1: a mapping file needs the header column,item");
  }
  ColumnMap map;
  for (std::size_t r = 0; r < t->rows.size(); ++r) {
    const std::string where = source + ":" + std::to_string(t->lines[r]) + ": ";
    std::string c = Trim(t->rows[r][*column]), i = Trim(t->rows[r][*item]);
    if (c.empty() || i.empty()) return core::InvalidInput(where + "both column and item must be given");
    if (!map.emplace(c, i).second) return core::InvalidInput(where + "column \"" + c + "\" is mapped twice");
  }
  return map;
}

core::Result<ImportReport> CheckImport(std::string_view bytes, const std::string& source,
                                       const ImportTarget& target, const ImportOptions& options,
                                       std::vector<store::Submission>& submissions) {
  submissions.clear();
  if (target.questionnaire == nullptr) return core::Internal("CheckImport: no questionnaire");
  const Questionnaire& q = *target.questionnaire;
  ImportReport report;
  report.file_hash = core::Sha256Hex(bytes);
  DecodedText decoded = DecodeText(bytes);
  report.encoding = decoded.encoding;
  core::Result<core::CsvTable> parsed = core::ParseCsv(decoded.utf8, source);
  if (!parsed.ok()) return parsed.status();
  const core::CsvTable& table = *parsed;
  report.separator = table.separator;
  report.rows = table.rows.size();
  auto problem = [&](std::size_t line, const std::string& column, const std::string& value, std::string why) {
    report.problems.push_back({source, line, column, value, std::move(why)});
  };

  // --- the header: what each column holds
  std::vector<ColumnRole> roles(table.names.size());
  std::map<std::string, std::size_t> item_column;  // item id -> first column giving it
  std::set<std::string> seen_targets;
  bool has_area = false;
  for (std::size_t c = 0; c < table.names.size(); ++c) {
    const std::string& name = table.names[c];
    if (options.ignore.count(name) > 0) continue;
    auto mapped = options.map.find(name);
    const std::string key = mapped != options.map.end() ? mapped->second : Trim(name);
    ColumnRole& role = roles[c];
    using Kind = ColumnRole::Kind;
    if (key == "area") role.kind = Kind::kArea;
    else if (key == "received_on") role.kind = Kind::kDay;
    else if (key == "language") role.kind = Kind::kLanguage;
    else if (key == "completeness") role.kind = Kind::kCompleteness;
    else if (key == "channel") role.kind = Kind::kChannel;
    else if (const Item* item = q.FindItem(key)) {
      role = {Kind::kItem, item, 0};
    } else {
      const std::size_t us = key.rfind('_');
      const Item* base = us == std::string::npos ? nullptr : q.FindItem(std::string_view(key).substr(0, us));
      std::optional<std::int64_t> code = us == std::string::npos ? std::nullopt : ParseInteger(key.substr(us + 1));
      if (base != nullptr && questionnaire::IsMultiCoded(base->type) && code && base->FindOption(*code) != nullptr) {
        role = {Kind::kDummy, base, *code};
      } else if (base != nullptr && questionnaire::IsMultiCoded(base->type)) {
        problem(1, name, key, "is not an option of " + base->id + " (one column per option is named " + base->id +
                                  "_CODE)");
        continue;
      } else {
        problem(1, name, key,
                "is not an item of questionnaire " + q.id + " nor one of the columns " + std::string(kMetaColumns) +
                    "; map it with --map or skip it with --ignore-column");
        continue;
      }
    }
    if (role.kind == Kind::kArea) has_area = true;
    if (!seen_targets.insert(key).second) {
      problem(1, name, key, "is given by two columns");
      role.kind = Kind::kIgnored;
      continue;
    }
    if (role.item != nullptr) {
      if (role.kind == Kind::kItem && item_column.count(role.item->id) > 0) {
        problem(1, name, key, "is given both as one column and as one column per option");
        role.kind = Kind::kIgnored;
        continue;
      }
      if (role.kind == Kind::kDummy && seen_targets.count(role.item->id) > 0) {
        problem(1, name, key, "is given both as one column and as one column per option");
        role.kind = Kind::kIgnored;
        continue;
      }
      item_column.emplace(role.item->id, c);
    }
  }
  std::optional<store::Id> only_area;
  if (target.areas.size() == 1) only_area = target.areas[0].id;
  if (!has_area && !only_area) {
    problem(1, "area", "", "the file has no area column and the study has " + std::to_string(target.areas.size()) +
                               " areas (" + JoinNames(target.areas) + "); add a column area with the area's name");
  }
  if (table.rows.empty()) problem(1, "", "", "the file has a header but no data rows");
  const std::string default_day = target.wave.starts_on;
  const std::string default_language = q.default_language;

  // --- the rows
  const std::size_t total = table.rows.size();
  if (total > 0) submissions.reserve(total);
  for (std::size_t r = 0; r < total; ++r) {
    const std::vector<std::string>& row = table.rows[r];
    const std::size_t line = table.lines[r];
    store::Submission sub;
    sub.meta.wave_id = target.wave.id;
    sub.meta.channel = store::Channel::kImport;
    sub.meta.questionnaire_version_id = target.wave.questionnaire_version_id.value_or(0);
    sub.meta.language = default_language;
    sub.meta.received_on = default_day;
    sub.meta.area_id = only_area.value_or(0);
    std::set<std::string> bad_items;     // items with a cell that could not be read
    std::set<std::string> dummy_items;   // multiple items given per option with at least one 0/1
    const std::size_t before = report.problems.size();
    for (std::size_t c = 0; c < row.size(); ++c) {
      const ColumnRole& role = roles[c];
      const std::string value = Trim(row[c]);
      const std::string& name = table.names[c];
      using Kind = ColumnRole::Kind;
      switch (role.kind) {
        case Kind::kIgnored:
        case Kind::kChannel:
          if (role.kind == Kind::kChannel && !value.empty() && value != "kiosk" && value != "link" &&
              value != "open" && value != "import") {
            problem(line, name, value, "is not a channel (kiosk, link, open or import)");
          }
          break;
        case Kind::kArea: {
          if (value.empty()) {
            if (!only_area) problem(line, name, value, "the area is missing; areas: " + JoinNames(target.areas));
            break;
          }
          auto it = std::find_if(target.areas.begin(), target.areas.end(),
                                 [&](const store::Area& a) { return a.name == value; });
          if (it == target.areas.end()) {
            problem(line, name, value, "is not an area of the study; areas: " + JoinNames(target.areas));
          } else {
            sub.meta.area_id = it->id;
          }
          break;
        }
        case Kind::kDay: {
          if (value.empty()) break;
          std::optional<std::string> day = ParseDay(value);
          if (!day) {
            problem(line, name, value, "is not a date; write YYYY-MM-DD (or DD-MM-YYYY)");
          } else {
            sub.meta.received_on = *day;
          }
          break;
        }
        case Kind::kLanguage:
          if (value.empty()) break;
          if (std::find(q.languages.begin(), q.languages.end(), value) == q.languages.end()) {
            std::string langs;
            for (const auto& l : q.languages) langs += (langs.empty() ? "" : ", ") + l;
            problem(line, name, value, "is not a language of the questionnaire (" + langs + ")");
          } else {
            sub.meta.language = value;
          }
          break;
        case Kind::kCompleteness:
          if (value.empty() || value == "complete") {
            sub.meta.completeness = store::Completeness::kComplete;
          } else if (value == "partial") {
            sub.meta.completeness = store::Completeness::kPartial;
          } else {
            problem(line, name, value, "must be complete or partial");
          }
          break;
        case Kind::kDummy: {
          if (value.empty()) break;
          auto v = ParseDecimal(value);
          if (!v || (*v != 0 && *v != 1)) {
            problem(line, name, value, "must be 1 (chosen), 0 (not chosen) or empty (not answered)");
            bad_items.insert(role.item->id);
            break;
          }
          dummy_items.insert(role.item->id);
          auto [it, inserted] = sub.answers.try_emplace(role.item->id, core::Codes{});
          (void)inserted;
          if (*v == 1) std::get<core::Codes>(it->second).push_back(role.code);
          break;
        }
        case Kind::kItem: {
          if (value.empty()) break;
          const Item& item = *role.item;
          if (questionnaire::IsSingleCoded(item.type)) {
            auto code = ParseInteger(value);
            if (!code) {
              problem(line, name, value, "is not a code of " + item.id + " (a whole number)");
              bad_items.insert(item.id);
            } else {
              sub.answers[item.id] = core::Code{*code};
            }
          } else if (questionnaire::IsMultiCoded(item.type)) {
            core::Codes codes;
            bool ok = true;
            std::string token;
            auto flush = [&] {
              if (token.empty()) return;
              auto code = ParseInteger(token);
              if (!code) ok = false;
              else codes.push_back(*code);
              token.clear();
            };
            for (char ch : value) {
              if (ch == ' ' || ch == '|' || ch == '+' || ch == ',' || ch == ';') flush();
              else token += ch;
            }
            flush();
            if (!ok) {
              problem(line, name, value, "is not a list of codes of " + item.id + " (e.g. \"1 3\")");
              bad_items.insert(item.id);
            } else {
              std::sort(codes.begin(), codes.end());
              sub.answers[item.id] = std::move(codes);
            }
          } else if (item.type == questionnaire::ItemType::kNumber) {
            auto v = ParseDecimal(value);
            if (!v) {
              problem(line, name, value, "is not a number (write 2.5 or 2,5)");
              bad_items.insert(item.id);
            } else {
              sub.answers[item.id] = *v;
            }
          } else {
            sub.answers[item.id] = value;
          }
          break;
        }
      }
    }
    for (auto& [id, answer] : sub.answers) {
      if (auto* codes = std::get_if<core::Codes>(&answer)) std::sort(codes->begin(), codes->end());
    }
    // Check the answers that could be read against the questionnaire. An
    // item whose condition names an unreadable cell is not judged "not asked".
    for (const questionnaire::AnswerProblem& p : questionnaire::CheckAnswers(q, sub.answers)) {
      const Item* item = q.FindItem(p.item);
      if (item != nullptr && item->show_if && !questionnaire::IsAsked(q, *item, sub.answers)) {
        std::set<std::string> refs;
        ConditionItems(*item->show_if, refs);
        if (std::any_of(refs.begin(), refs.end(), [&](const std::string& i) { return bad_items.count(i) > 0; })) {
          continue;
        }
      }
      auto col = item_column.find(p.item);
      std::string column = col != item_column.end() ? table.names[col->second] : p.item;
      std::string value;
      if (col != item_column.end() && roles[col->second].kind == ColumnRole::Kind::kItem) {
        value = Trim(row[col->second]);
      } else if (auto it = sub.answers.find(p.item); it != sub.answers.end()) {
        if (const auto* codes = std::get_if<core::Codes>(&it->second)) {
          for (core::Code code : *codes) value += (value.empty() ? "" : " ") + std::to_string(code);
        }
      }
      problem(line, column, value, p.message);
    }
    if (report.problems.size() == before) {
      submissions.push_back(std::move(sub));
    }
    if ((r + 1) % 1000 == 0 || r + 1 == total) core::ReportProgress(options.progress, r + 1, total);
  }
  if (!report.problems.empty()) submissions.clear();
  // Problems in file order (header problems first).
  std::stable_sort(report.problems.begin(), report.problems.end(),
                   [](const CellProblem& a, const CellProblem& b) { return a.line < b.line; });
  return report;
}

core::Result<questionnaire::Questionnaire> LoadWaveQuestionnaire(store::Store& db, const store::Wave& wave) {
  if (!wave.questionnaire_version_id) {
    return core::FailedPrecondition("wave '" + wave.label +
                                    "' has no questionnaire; set one with `tryghed wave create --questionnaire`");
  }
  core::Result<store::QuestionnaireVersion> v = db.GetQuestionnaireVersion(*wave.questionnaire_version_id);
  if (!v.ok()) return v.status();
  return questionnaire::LoadQuestionnaire(v->json, "questionnaire " + v->content_hash.substr(0, 12) + " of wave '" +
                                                       wave.label + "'");
}

core::Result<ImportReport> ImportCsvFile(store::Store& db, store::Id wave_id, const std::string& path,
                                         const ImportOptions& options) {
  core::Result<store::Wave> wave = db.GetWave(wave_id);
  if (!wave.ok()) return wave.status();
  core::Result<Questionnaire> q = LoadWaveQuestionnaire(db, *wave);
  if (!q.ok()) return q.status();
  core::Result<std::vector<store::Area>> areas = db.ListAreas(wave->study_id);
  if (!areas.ok()) return areas.status();
  core::Result<std::string> bytes = core::ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  ImportTarget target{&*q, *wave, *areas};
  std::vector<store::Submission> subs;
  core::Result<ImportReport> report = CheckImport(*bytes, path, target, options, subs);
  if (!report.ok() || !report->problems.empty()) return report;
  if (options.dry_run) {
    // The real import would refuse a file imported before: so does the check.
    core::Result<bool> before = db.WasImported(wave_id, report->file_hash);
    if (!before.ok()) return before.status();
    if (*before) {
      return core::AlreadyExists(path + ": this file was already imported into wave '" + wave->label + "'");
    }
    return report;
  }
  core::Result<std::vector<store::Id>> ids = db.ImportResponses(wave_id, report->file_hash, subs, options.write_progress);
  if (!ids.ok()) return ids.status().WithContext("importing " + path);
  report->written = true;
  report->response_ids = std::move(ids).value();
  return report;
}

}  // namespace tryghed::exchange
