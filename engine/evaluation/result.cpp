#include "evaluation/result.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdio>

namespace tryghed::evaluation {

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Key(JsonWriter& w, const char* key) { w.Key(key); }

void String(JsonWriter& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// 17 significant digits, so the value round-trips; null when not finite.
void Number(JsonWriter& w, double x) {
  if (!std::isfinite(x)) {
    w.Null();
    return;
  }
  char buffer[40];
  const int len = std::snprintf(buffer, sizeof buffer, "%.17g", x);
  w.RawValue(buffer, static_cast<std::size_t>(len), rapidjson::kNumberType);
}

void Number(JsonWriter& w, const std::optional<double>& x) {
  if (x) {
    Number(w, *x);
  } else {
    w.Null();
  }
}

void Field(JsonWriter& w, const char* key, const std::optional<double>& x) {
  Key(w, key);
  Number(w, x);
}

void Field(JsonWriter& w, const char* key, const std::string& s) {
  Key(w, key);
  String(w, s);
}

void Field(JsonWriter& w, const char* key, std::int64_t n) {
  Key(w, key);
  w.Int64(n);
}

void Field(JsonWriter& w, const char* key, bool b) {
  Key(w, key);
  w.Bool(b);
}

void Strings(JsonWriter& w, const char* key, const std::vector<std::string>& v) {
  Key(w, key);
  w.StartArray();
  for (const std::string& s : v) String(w, s);
  w.EndArray();
}

void WriteEstimate(JsonWriter& w, const Estimate& e) {
  w.StartObject();
  Field(w, "id", e.id);
  Field(w, "label", e.label);
  Field(w, "kind", std::string(IndicatorKindName(e.kind)));
  Field(w, "estimate", e.estimate);
  Field(w, "se", e.se);
  Field(w, "ci_lower", e.ci_lower);
  Field(w, "ci_upper", e.ci_upper);
  Field(w, "df", e.df);
  Field(w, "n", e.n);
  Field(w, "effective_n", e.effective_n);
  Field(w, "missing", e.missing);
  Field(w, "note", e.note);
  w.EndObject();
}

void WriteCell(JsonWriter& w, const Cell& c) {
  w.StartObject();
  Field(w, "wave", c.wave);
  Field(w, "area", c.area);
  Field(w, "role", c.role);
  Field(w, "series", c.series);
  Field(w, "respondents", c.respondents);
  Key(w, "estimates");
  w.StartArray();
  for (const Estimate& e : c.estimates) WriteEstimate(w, e);
  w.EndArray();
  Key(w, "item_nonresponse");
  w.StartArray();
  for (const ItemNonresponse& i : c.item_nonresponse) {
    w.StartObject();
    Field(w, "item", i.item);
    Field(w, "missing", i.missing);
    Field(w, "share", std::optional<double>(i.share));
    w.EndObject();
  }
  w.EndArray();
  Field(w, "note", c.note);
  w.EndObject();
}

void WriteChange(JsonWriter& w, const Change& c) {
  w.StartObject();
  Field(w, "series", c.series);
  Field(w, "area", c.area);
  Field(w, "indicator", c.indicator);
  Field(w, "comparison", c.comparison);
  Field(w, "from_wave", c.from_wave);
  Field(w, "to_wave", c.to_wave);
  Field(w, "difference", c.difference);
  Field(w, "se", c.se);
  Field(w, "ci_lower", c.ci_lower);
  Field(w, "ci_upper", c.ci_upper);
  Field(w, "df", c.df);
  Field(w, "p", c.p);
  Field(w, "p_adjusted", c.p_adjusted);
  Field(w, "mdd", c.mdd);
  Field(w, "significant", c.significant);
  Field(w, "verdict", c.verdict);
  Field(w, "note", c.note);
  w.EndObject();
}

void WriteDiD(JsonWriter& w, const DiD& d) {
  w.StartObject();
  Field(w, "series", d.series);
  Field(w, "indicator", d.indicator);
  Field(w, "baseline_wave", d.baseline_wave);
  Field(w, "wave", d.wave);
  Field(w, "estimate", d.estimate);
  Field(w, "se", d.se);
  Field(w, "ci_lower", d.ci_lower);
  Field(w, "ci_upper", d.ci_upper);
  Field(w, "df", d.df);
  Field(w, "p", d.p);
  Field(w, "significant", d.significant);
  Field(w, "note", d.note);
  w.EndObject();
}

}  // namespace

const char* IndicatorKindName(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::kOverall: return "overall";
    case IndicatorKind::kSubIndex: return "subindex";
    case IndicatorKind::kShare: return "share";
    case IndicatorKind::kPrevalence: return "prevalence";
  }
  return "overall";
}

std::string ToJson(const EvaluationResult& r) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Field(w, "study", r.study);
  Field(w, "level", std::optional<double>(r.level));
  Field(w, "weighted", r.weighted);
  Field(w, "pooled_channels", r.pooled_channels);
  Field(w, "proportion_method", r.proportion_method);
  Field(w, "adjust_method", r.adjust_method);
  Strings(w, "waves", r.waves);
  Strings(w, "areas", r.areas);
  Key(w, "cells");
  w.StartArray();
  for (const Cell& c : r.cells) WriteCell(w, c);
  w.EndArray();
  Key(w, "changes");
  w.StartArray();
  for (const Change& c : r.changes) WriteChange(w, c);
  w.EndArray();
  Key(w, "did");
  w.StartArray();
  for (const DiD& d : r.did) WriteDiD(w, d);
  w.EndArray();
  Key(w, "weighting");
  w.StartArray();
  for (const WeightingNote& n : r.weighting) {
    w.StartObject();
    Field(w, "series", n.series);
    Field(w, "method", n.method);
    Field(w, "trimmed", n.trimmed);
    Strings(w, "notes", n.notes);
    w.EndObject();
  }
  w.EndArray();
  Strings(w, "notes", r.notes);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace tryghed::evaluation
