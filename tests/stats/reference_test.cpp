// The reference harness: every row of tests/data/reference/reference_values.csv
// (R survey 4.1) that tests/data/reference/cli_cases.csv maps to a command is
// recomputed through `tryghed stats` in-process (cli::Main with string
// streams) and compared within the row's rel_tol. See docs/statistics.md,
// "## Matching R". The test log lists the rows covered and not covered.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "core/csv.h"
#include "core/file.h"

namespace {

using tryghed::core::CsvTable;

const std::string kRef = std::string(TRYGHED_TEST_DATA) + "/reference";

CsvTable Load(const std::string& path, bool strip_comments) {
  auto text = tryghed::core::ReadFile(path);
  if (!text.ok()) throw std::runtime_error(text.status().ToString());
  std::string body;
  if (strip_comments) {
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] == '#') continue;
      body += line + "\n";
    }
  } else {
    body = *text;
  }
  auto t = tryghed::core::ParseCsv(body, path);
  if (!t.ok()) throw std::runtime_error(t.status().ToString());
  return *t;
}

std::string Cell(const CsvTable& t, std::size_t r, const std::string& col) { return t.rows[r][*t.Find(col)]; }

std::optional<double> Number(const std::string& s) {
  if (s.empty() || s == "NA") return std::nullopt;
  if (s == "Inf") return INFINITY;
  return std::stod(s);
}

std::string Substitute(std::string s, const std::smatch& m) {
  for (std::size_t pos = 0; (pos = s.find("{ref}", pos)) != std::string::npos;) s.replace(pos, 5, kRef);
  for (int g = 9; g >= 1; --g) {
    const std::string key = "$" + std::to_string(g);
    const std::string value = g < static_cast<int>(m.size()) ? m[static_cast<std::size_t>(g)].str() : "";
    for (std::size_t pos = 0; (pos = s.find(key, pos)) != std::string::npos;) {
      s.replace(pos, key.size(), value);
      pos += value.size();
    }
  }
  return s;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (ch == sep) {
      if (!cur.empty() || sep != ' ') out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

struct RunResult {
  int code = 0;
  std::string out, err;
};

// Recomputes every row of `values_file` that `cases_file` maps to a command
// and compares it within its rel_tol (`tag` prefixes the log lines); with
// `all_rows` every row must be covered.
void CheckAgainstR(const std::string& values_file, const std::string& cases_file, const std::string& tag,
                   bool all_rows) {
  const CsvTable ref = Load(kRef + "/" + values_file, false);
  const CsvTable cases = Load(kRef + "/" + cases_file, true);
  std::vector<std::regex> patterns;
  for (std::size_t c = 0; c < cases.rows.size(); ++c) patterns.emplace_back(Cell(cases, c, "id_pattern"));

  std::map<std::string, RunResult> cache;
  std::vector<std::string> uncovered, unavailable;
  std::size_t covered = 0, passed = 0, values = 0;
  double worst = 0;
  std::string worst_id;
  for (std::size_t r = 0; r < ref.rows.size(); ++r) {
    const std::string id = Cell(ref, r, "id");
    std::smatch m;
    std::size_t c = 0;
    while (c < patterns.size() && !std::regex_match(id, m, patterns[c])) ++c;
    if (c == patterns.size()) {
      uncovered.push_back(id);
      continue;
    }
    const std::string command = Substitute(Cell(cases, c, "args"), m);
    if (!cache.count(command)) {
      std::vector<std::string> args = {"tryghed"};
      for (auto& a : Split(command, ' ')) args.push_back(a);
      std::ostringstream out, err;
      RunResult rr;
      rr.code = tryghed::cli::Main(args, out, err);
      rr.out = out.str();
      rr.err = err.str();
      cache[command] = rr;
    }
    const RunResult& rr = cache[command];
    if (rr.code != 0 && rr.err.find("not available yet") != std::string::npos) {
      unavailable.push_back(id);
      continue;
    }
    ++covered;
    if (rr.code != 0) {
      ADD_FAILURE() << id << ": `tryghed " << command << "` exited " << rr.code << ": " << rr.err;
      continue;
    }
    rapidjson::Document doc;
    doc.Parse(rr.out.c_str());
    ASSERT_FALSE(doc.HasParseError()) << id << ": output is not JSON: " << rr.out;
    // Select the one estimate entry.
    const auto conditions = Split(Substitute(Cell(cases, c, "select"), m), ';');
    const rapidjson::Value* hit = nullptr;
    int hits = 0;
    for (const auto& e : doc["estimates"].GetArray()) {
      bool all = true;
      for (const auto& cond : conditions) {
        const auto eq = cond.find('=');
        const std::string key = cond.substr(0, eq), want = cond.substr(eq + 1);
        const rapidjson::Value* v = nullptr;
        if (key.rfind("domain.", 0) == 0) {
          if (e["domain"].IsObject() && e["domain"].HasMember(key.substr(7).c_str())) v = &e["domain"][key.substr(7).c_str()];
        } else if (e.HasMember(key.c_str())) {
          v = &e[key.c_str()];
        }
        all = all && v && v->IsString() && want == v->GetString();
      }
      if (all) {
        hit = &e;
        ++hits;
      }
    }
    if (hits != 1) {
      ADD_FAILURE() << id << ": " << hits << " output entries match \"" << Cell(cases, c, "select") << "\": " << rr.out;
      continue;
    }
    std::string compare = Cell(cases, c, "compare");
    if (compare.empty()) compare = "estimate=estimate;se=se;ci_lower=ci_lower;ci_upper=ci_upper";
    const auto tol = Number(Cell(ref, r, "rel_tol"));
    bool ok = true;
    for (const auto& pair : Split(compare, ';')) {
      const auto eq = pair.find('=');
      const std::string ref_col = pair.substr(0, eq), field = pair.substr(eq + 1);
      const auto expected = Number(Cell(ref, r, ref_col));
      if (!expected || !tol) continue;
      if (!hit->HasMember(field.c_str()) || !(*hit)[field.c_str()].IsNumber()) {
        ADD_FAILURE() << id << ": output has no number \"" << field << "\": " << rr.out;
        ok = false;
        continue;
      }
      const double got = (*hit)[field.c_str()].GetDouble();
      const double rel = std::abs(got - *expected) / std::max(std::abs(*expected), 1e-300);
      ++values;
      if (rel > worst) {
        worst = rel;
        worst_id = id + " " + ref_col;
      }
      if (!(std::abs(got - *expected) <= *tol * std::abs(*expected) + 1e-300)) {
        ADD_FAILURE() << id << " " << ref_col << ": R " << *expected << ", tryghed " << got << " (relative difference "
                      << rel << " > " << *tol << ")\n  tryghed " << command;
        ok = false;
      }
    }
    if (ok) ++passed;
  }
  std::cout << "[" << tag << "] rows: " << ref.rows.size() << ", covered: " << covered << ", passing: " << passed
            << ", values compared: " << values << ", largest relative difference: " << worst << " (" << worst_id
            << ")\n";
  std::cout << "[" << tag << "] not covered (" << uncovered.size() << "):";
  for (const auto& id : uncovered) std::cout << " " << id;
  std::cout << "\n[" << tag << "] feature not available yet (" << unavailable.size() << "):";
  for (const auto& id : unavailable) std::cout << " " << id;
  std::cout << "\n";
  EXPECT_GT(covered, 0u);
  if (all_rows) {
    EXPECT_EQ(covered, ref.rows.size()) << tag << ": rows without a command or not available";
  }
}

TEST(ReferenceHarness, StatsCommandsMatchR) { CheckAgainstR("reference_values.csv", "cli_cases.csv", "reference", false); }

// Replicate-weight variances of ratio, prop, contrast and ttest (JK1, JKn)
// against R's svyratio, svyciprop, svycontrast and svyttest on
// as.svrepdesign designs (replicate_extra.R): every row must be covered.
TEST(ReferenceHarness, ReplicateVerbsMatchR) {
  CheckAgainstR("replicate_extra_values.csv", "replicate_extra_cases.csv", "replicates", true);
}

}  // namespace
