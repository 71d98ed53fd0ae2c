#include "exchange/export.h"

#include <fcntl.h>
#include <unistd.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>

#include "core/file.h"
#include "exchange/import.h"
#include "exchange/internal/write.h"
#include "questionnaire/model.h"

namespace tryghed::exchange {

namespace {

using questionnaire::Item;
using questionnaire::Questionnaire;

std::string TextIn(const questionnaire::Text& text, const std::string& language, const std::string& fallback) {
  if (auto it = text.find(language); it != text.end()) return it->second;
  if (auto it = text.find(fallback); it != text.end()) return it->second;
  return text.empty() ? std::string() : text.begin()->second;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",;\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The columns one item becomes (see export.h).
void AddItemColumns(const Item& item, const std::string& language, const std::string& fallback,
                    std::vector<ExportColumn>& out) {
  const std::string text = TextIn(item.text, language, fallback);
  const std::string type(questionnaire::ItemTypeName(item.type));
  auto values_of = [&] {
    std::vector<ExportColumn::ValueLabel> values;
    for (const auto& o : item.options) values.push_back({o.code, TextIn(o.label, language, fallback), o.missing});
    return values;
  };
  if (questionnaire::IsMultiCoded(item.type)) {
    const bool danish = (language.empty() ? fallback : language) == "da";
    for (const auto& o : item.options) {
      ExportColumn c;
      c.name = item.id + "_" + std::to_string(o.code);
      c.label = text + ": " + TextIn(o.label, language, fallback);
      c.kind = ExportColumn::Kind::kCode;
      c.item = item.id;
      c.item_type = type;
      c.option = o.code;
      c.values = {{0, danish ? "Ikke valgt" : "Not chosen", false}, {1, danish ? "Valgt" : "Chosen", false}};
      out.push_back(std::move(c));
    }
    return;
  }
  ExportColumn c;
  c.name = item.id;
  c.label = text;
  c.item = item.id;
  c.item_type = type;
  if (questionnaire::IsSingleCoded(item.type)) {
    c.kind = ExportColumn::Kind::kCode;
    c.values = values_of();
  } else if (item.type == questionnaire::ItemType::kNumber) {
    c.kind = ExportColumn::Kind::kNumber;
    if (item.unit) c.label += " (" + TextIn(*item.unit, language, fallback) + ")";
  } else {
    c.kind = ExportColumn::Kind::kText;
  }
  out.push_back(std::move(c));
}

ExportCell AnswerCell(const ExportColumn& column, const core::Answers& answers) {
  auto it = answers.find(column.item);
  if (it == answers.end()) return std::monostate{};
  const core::AnswerValue& a = it->second;
  if (column.option) {
    const auto* codes = std::get_if<core::Codes>(&a);
    if (codes == nullptr) return std::monostate{};
    return std::int64_t{std::find(codes->begin(), codes->end(), *column.option) != codes->end() ? 1 : 0};
  }
  if (const auto* code = std::get_if<core::Code>(&a)) return std::int64_t{*code};
  if (const auto* number = std::get_if<double>(&a)) return *number;
  if (const auto* text = std::get_if<std::string>(&a)) return *text;
  return std::monostate{};
}

std::string ShortestNumber(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, p) : std::to_string(v);
}

}  // namespace

namespace internal {

std::string CellText(const ExportColumn& column, const ExportCell& cell, bool labels) {
  if (std::holds_alternative<std::monostate>(cell)) return "";
  if (const auto* code = std::get_if<std::int64_t>(&cell)) {
    if (labels) {
      for (const auto& v : column.values) {
        if (v.code == *code) return v.label;
      }
    }
    return std::to_string(*code);
  }
  if (const auto* number = std::get_if<double>(&cell)) return ShortestNumber(*number);
  return std::get<std::string>(cell);
}

}  // namespace internal

const char* ExportFormatName(ExportFormat format) {
  switch (format) {
    case ExportFormat::kCsv: return "csv";
    case ExportFormat::kCodebook: return "codebook";
    case ExportFormat::kSav: return "sav";
    case ExportFormat::kDta: return "dta";
    case ExportFormat::kXlsx: return "xlsx";
  }
  return "?";
}

core::Result<ExportFormat> ParseExportFormat(const std::string& name) {
  for (ExportFormat f : {ExportFormat::kCsv, ExportFormat::kCodebook, ExportFormat::kSav, ExportFormat::kDta,
                         ExportFormat::kXlsx}) {
    if (name == ExportFormatName(f)) return f;
  }
  return core::InvalidArgument("unknown export format '" + name + "'; use csv, codebook, sav, dta or xlsx");
}

core::Result<ExportTable> BuildExportTable(store::Store& db, store::Id study_id, std::optional<store::Id> wave_id,
                                           const ExportOptions& options) {
  std::vector<store::Wave> waves;
  if (wave_id) {
    core::Result<store::Wave> w = db.GetWave(*wave_id);
    if (!w.ok()) return w.status();
    if (w->study_id != study_id) return core::InvalidArgument("wave " + std::to_string(*wave_id) + " is not of this study");
    waves.push_back(*w);
  } else {
    core::Result<std::vector<store::Wave>> all = db.ListWaves(study_id);
    if (!all.ok()) return all.status();
    waves = std::move(all).value();
  }
  core::Result<std::vector<store::Area>> areas = db.ListAreas(study_id);
  if (!areas.ok()) return areas.status();
  std::map<store::Id, std::string> area_names;
  for (const auto& a : *areas) area_names[a.id] = a.name;

  ExportTable table;
  table.title = wave_id ? "wave " + waves[0].label : "all waves";
  const bool whole_study = !wave_id;
  if (whole_study) table.columns.push_back({"wave", "Wave", ExportColumn::Kind::kText, "", "", std::nullopt, {}});
  const std::pair<const char*, const char*> own[] = {{"area", "Area"},
                                                      {"channel", "Channel (kiosk, link, open, import)"},
                                                      {"received_on", "Day received"},
                                                      {"language", "Language of the form"},
                                                      {"completeness", "Complete or partial interview"}};
  for (const auto& [name, label] : own) {
    table.columns.push_back({name, label, ExportColumn::Kind::kText, "", "", std::nullopt, {}});
  }
  const std::size_t meta_columns = table.columns.size();

  // Items: the union over the waves' questionnaires, newest labels win.
  std::map<store::Id, Questionnaire> questionnaires;
  std::vector<std::string> item_order;
  std::map<std::string, std::vector<ExportColumn>> item_columns;
  for (const store::Wave& w : waves) {
    if (!w.questionnaire_version_id) continue;
    if (questionnaires.count(*w.questionnaire_version_id) == 0) {
      core::Result<Questionnaire> q = LoadWaveQuestionnaire(db, w);
      if (!q.ok()) return q.status();
      questionnaires.emplace(*w.questionnaire_version_id, std::move(q).value());
    }
    const Questionnaire& q = questionnaires.at(*w.questionnaire_version_id);
    for (const auto& section : q.sections) {
      for (const Item& item : section.items) {
        if (item.type == questionnaire::ItemType::kText && !options.include_free_text) continue;
        if (item_columns.count(item.id) == 0) item_order.push_back(item.id);
        std::vector<ExportColumn> cols;
        AddItemColumns(item, options.language, q.default_language, cols);
        item_columns[item.id] = std::move(cols);
      }
    }
  }
  for (const std::string& id : item_order) {
    for (ExportColumn& c : item_columns[id]) table.columns.push_back(std::move(c));
  }

  for (const store::Wave& w : waves) {
    core::Result<std::vector<store::StoredResponse>> responses = db.ReadResponses(w.id);
    if (!responses.ok()) return responses.status();
    for (const store::StoredResponse& r : *responses) {
      std::vector<ExportCell> row;
      row.reserve(table.columns.size());
      if (whole_study) row.emplace_back(w.label);
      row.emplace_back(area_names.count(r.meta.area_id) ? area_names[r.meta.area_id] : std::to_string(r.meta.area_id));
      row.emplace_back(std::string(store::ChannelName(r.meta.channel)));
      row.emplace_back(r.meta.received_on);
      row.emplace_back(r.meta.language);
      row.emplace_back(std::string(r.meta.completeness == store::Completeness::kComplete ? "complete" : "partial"));
      for (std::size_t c = meta_columns; c < table.columns.size(); ++c) {
        row.push_back(AnswerCell(table.columns[c], r.answers));
      }
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

std::string CodebookCsv(const ExportTable& table) {
  std::string out = "variable,item,type,label,code,value_label,missing\n";
  for (const ExportColumn& c : table.columns) {
    const std::string type = c.item_type.empty() ? "response" : c.item_type;
    out += CsvField(c.name) + "," + CsvField(c.item) + "," + CsvField(type) + "," + CsvField(c.label) + ",,,\n";
    for (const auto& v : c.values) {
      out += CsvField(c.name) + "," + CsvField(c.item) + "," + CsvField(type) + ",," + std::to_string(v.code) + "," +
             CsvField(v.label) + "," + (v.missing ? "1" : "0") + "\n";
    }
  }
  return out;
}

std::string CodebookJson(const ExportTable& table) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("title");
  w.String(table.title.c_str());
  w.Key("variables");
  w.StartArray();
  for (const ExportColumn& c : table.columns) {
    w.StartObject();
    w.Key("name");
    w.String(c.name.c_str());
    w.Key("item");
    if (c.item.empty()) w.Null(); else w.String(c.item.c_str());
    w.Key("type");
    w.String(c.item_type.empty() ? "response" : c.item_type.c_str());
    w.Key("label");
    w.String(c.label.c_str());
    if (c.option) {
      w.Key("option");
      w.Int64(*c.option);
    }
    w.Key("values");
    w.StartArray();
    for (const auto& v : c.values) {
      w.StartObject();
      w.Key("code");
      w.Int64(v.code);
      w.Key("label");
      w.String(v.label.c_str());
      w.Key("missing");
      w.Bool(v.missing);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

namespace {

// The wide table as CSV text: a header of variable names, one line per row.
std::string WideCsv(const ExportTable& table, const ExportOptions& options) {
  std::string out;
  for (std::size_t c = 0; c < table.columns.size(); ++c) out += (c ? "," : "") + CsvField(table.columns[c].name);
  out += "\n";
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      out += (c ? "," : "") + CsvField(internal::CellText(table.columns[c], row[c], options.labels));
    }
    out += "\n";
  }
  return out;
}

}  // namespace

core::Result<std::vector<std::string>> WriteExport(const ExportTable& table, const ExportOptions& options,
                                                   const std::string& path) {
  switch (options.format) {
    case ExportFormat::kCsv: {
      TRYGHED_RETURN_IF_ERROR(core::WriteFileAtomically(path, WideCsv(table, options)));
      return std::vector<std::string>{path};
    }
    case ExportFormat::kCodebook: {
      std::filesystem::path p(path);
      const bool json_first = p.extension() == ".json";
      std::filesystem::path other = p;
      other.replace_extension(json_first ? ".csv" : ".json");
      const std::string csv_path = json_first ? other.string() : path;
      const std::string json_path = json_first ? path : other.string();
      TRYGHED_RETURN_IF_ERROR(core::WriteFileAtomically(csv_path, CodebookCsv(table)));
      TRYGHED_RETURN_IF_ERROR(core::WriteFileAtomically(json_path, CodebookJson(table)));
      return std::vector<std::string>{csv_path, json_path};
    }
    case ExportFormat::kSav:
    case ExportFormat::kDta:
    case ExportFormat::kXlsx: {
      const std::string tmp = core::TempPathBeside(path);
      core::Status st = options.format == ExportFormat::kXlsx
                            ? internal::WriteXlsx(table, options, tmp)
                            : internal::WriteReadStat(table, options.format == ExportFormat::kDta, tmp);
      if (!st.ok()) {
        std::remove(tmp.c_str());
        return st;
      }
      TRYGHED_RETURN_IF_ERROR(core::CommitTempFile(tmp, path));
      return std::vector<std::string>{path};
    }
  }
  return core::Internal("unknown export format");
}

core::Result<std::string> ExportBytes(const ExportTable& table, const ExportOptions& options) {
  if (options.format == ExportFormat::kCsv) return WideCsv(table, options);
  if (options.format == ExportFormat::kCodebook) return CodebookCsv(table);
  std::error_code ec;
  std::string name = (std::filesystem::temp_directory_path(ec) / "tryghed-export-XXXXXX").string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return core::Unavailable("cannot make a temporary file for the export: " + std::string(std::strerror(errno)));
  ::close(fd);
  const core::Status st = options.format == ExportFormat::kXlsx
                              ? internal::WriteXlsx(table, options, name)
                              : internal::WriteReadStat(table, options.format == ExportFormat::kDta, name);
  core::Result<std::string> bytes = st.ok() ? core::ReadFile(name) : core::Result<std::string>(st);
  std::remove(name.c_str());
  return bytes;
}

}  // namespace tryghed::exchange
