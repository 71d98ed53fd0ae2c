#include "report/result_json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cmath>
#include <optional>
#include <vector>

namespace tryghed::report {

namespace {

using evaluation::EvaluationResult;
using Value = rapidjson::Value;

// Reads the members of one JSON object into fields; the first type error is
// kept (with its path) and later reads do nothing.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  const core::Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }

  void Fail(const std::string& path, const std::string& what) {
    if (status_.ok()) status_ = core::InvalidInput(source_ + ": " + path + ": " + what);
  }

  static std::string Join(const std::string& path, const char* key) {
    return path.empty() ? std::string(key) : path + "." + key;
  }

  // The member `key` of `obj`, or nullptr when absent or null.
  static const Value* Member(const Value& obj, const char* key) {
    const auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
  }

  void Str(const Value& obj, const char* key, const std::string& path, std::string& out) {
    const Value* v = Member(obj, key);
    if (!v || !ok()) return;
    if (!v->IsString()) return Fail(Join(path, key), "expected a string");
    out.assign(v->GetString(), v->GetStringLength());
  }

  void Bool(const Value& obj, const char* key, const std::string& path, bool& out) {
    const Value* v = Member(obj, key);
    if (!v || !ok()) return;
    if (!v->IsBool()) return Fail(Join(path, key), "expected true or false");
    out = v->GetBool();
  }

  void Int(const Value& obj, const char* key, const std::string& path, std::int64_t& out) {
    const Value* v = Member(obj, key);
    if (!v || !ok()) return;
    if (v->IsInt64()) {
      out = v->GetInt64();
    } else if (v->IsDouble() && std::isfinite(v->GetDouble()) && v->GetDouble() == std::floor(v->GetDouble()) &&
               std::fabs(v->GetDouble()) < 9e15) {
      out = static_cast<std::int64_t>(v->GetDouble());
    } else {
      Fail(Join(path, key), "expected an integer");
    }
  }

  void OptInt(const Value& obj, const char* key, const std::string& path, std::optional<std::int64_t>& out) {
    if (!Member(obj, key)) return;
    std::int64_t x = 0;
    Int(obj, key, path, x);
    if (ok()) out = x;
  }

  void Num(const Value& obj, const char* key, const std::string& path, std::optional<double>& out) {
    const Value* v = Member(obj, key);
    if (!v || !ok()) return;
    if (!v->IsNumber() || !std::isfinite(v->GetDouble())) return Fail(Join(path, key), "expected a number");
    out = v->GetDouble();
  }

  void Num(const Value& obj, const char* key, const std::string& path, double& out) {
    std::optional<double> x;
    Num(obj, key, path, x);
    if (x) out = *x;
  }

  void Strings(const Value& obj, const char* key, const std::string& path, std::vector<std::string>& out) {
    const Value* v = Member(obj, key);
    if (!v || !ok()) return;
    if (!v->IsArray()) return Fail(Join(path, key), "expected an array");
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      if (!(*v)[i].IsString()) return Fail(Join(path, key) + "[" + std::to_string(i) + "]", "expected a string");
      out.emplace_back((*v)[i].GetString(), (*v)[i].GetStringLength());
    }
  }

  void Ints(const Value& obj, const char* key, const std::string& path, std::vector<std::int64_t>& out) {
    const Value* v = Member(obj, key);
    if (!v || !ok()) return;
    if (!v->IsArray()) return Fail(Join(path, key), "expected an array");
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      if (!(*v)[i].IsInt64()) return Fail(Join(path, key) + "[" + std::to_string(i) + "]", "expected an integer");
      out.push_back((*v)[i].GetInt64());
    }
  }

  // Calls read(element, element_path, out.back()) for every object of the array `key`.
  template <typename T, typename F>
  void Objects(const Value& obj, const char* key, const std::string& path, std::vector<T>& out, F read) {
    const Value* v = Member(obj, key);
    if (!v || !ok()) return;
    const std::string p = Join(path, key);
    if (!v->IsArray()) return Fail(p, "expected an array");
    out.reserve(v->Size());
    for (rapidjson::SizeType i = 0; i < v->Size() && ok(); ++i) {
      const std::string element = p + "[" + std::to_string(i) + "]";
      if (!(*v)[i].IsObject()) return Fail(element, "expected an object");
      out.emplace_back();
      read((*v)[i], element, out.back());
    }
  }

 private:
  std::string source_;
  core::Status status_;
};

evaluation::IndicatorKind KindOf(const std::string& name) {
  if (name == "subindex") return evaluation::IndicatorKind::kSubIndex;
  if (name == "share") return evaluation::IndicatorKind::kShare;
  if (name == "prevalence") return evaluation::IndicatorKind::kPrevalence;
  return evaluation::IndicatorKind::kOverall;
}

void ReadEstimate(Reader& r, const Value& v, const std::string& p, evaluation::Estimate& e) {
  r.Str(v, "id", p, e.id);
  r.Str(v, "label", p, e.label);
  std::string kind;
  r.Str(v, "kind", p, kind);
  if (!kind.empty() && kind != "overall" && kind != "subindex" && kind != "share" && kind != "prevalence") {
    r.Fail(p + ".kind", "expected overall, subindex, share or prevalence, got \"" + kind + "\"");
  }
  e.kind = KindOf(kind);
  r.Num(v, "estimate", p, e.estimate);
  r.Num(v, "se", p, e.se);
  r.Num(v, "ci_lower", p, e.ci_lower);
  r.Num(v, "ci_upper", p, e.ci_upper);
  r.Num(v, "df", p, e.df);
  r.Int(v, "n", p, e.n);
  r.Num(v, "effective_n", p, e.effective_n);
  r.Int(v, "missing", p, e.missing);
  r.Str(v, "note", p, e.note);
  r.Bool(v, "suppressed", p, e.suppressed);
  r.Str(v, "suppression", p, e.suppression);
  r.Bool(v, "small_base", p, e.small_base);
  r.Str(v, "caution", p, e.caution);
}

void ReadCell(Reader& r, const Value& v, const std::string& p, evaluation::Cell& c) {
  r.Str(v, "wave", p, c.wave);
  r.Str(v, "area", p, c.area);
  r.Str(v, "role", p, c.role);
  r.Str(v, "series", p, c.series);
  r.Int(v, "respondents", p, c.respondents);
  r.Objects(v, "estimates", p, c.estimates,
            [&](const Value& x, const std::string& q, evaluation::Estimate& e) { ReadEstimate(r, x, q, e); });
  r.Objects(v, "item_nonresponse", p, c.item_nonresponse,
            [&](const Value& x, const std::string& q, evaluation::ItemNonresponse& i) {
              r.Str(x, "item", q, i.item);
              r.Int(x, "missing", q, i.missing);
              r.Num(x, "share", q, i.share);
            });
  r.Str(v, "note", p, c.note);
  r.Bool(v, "suppressed", p, c.suppressed);
  r.Str(v, "suppression", p, c.suppression);
  r.Objects(v, "distributions", p, c.distributions,
            [&](const Value& x, const std::string& q, evaluation::ItemDistribution& d) {
              r.Str(x, "item", q, d.item);
              r.Str(x, "text", q, d.text);
              r.Int(x, "answered", q, d.answered);
              r.Int(x, "unanswered", q, d.unanswered);
              r.Objects(x, "categories", q, d.categories,
                        [&](const Value& y, const std::string& s, evaluation::AnswerCategory& a) {
                          r.Int(y, "code", s, a.code);
                          r.Str(y, "label", s, a.label);
                          r.Bool(y, "non_substantive", s, a.non_substantive);
                          r.Int(y, "count", s, a.count);
                          r.Num(y, "share", s, a.share);
                        });
            });
  r.Objects(v, "groups", p, c.groups, [&](const Value& x, const std::string& q, evaluation::GroupVariable& g) {
    r.Str(x, "variable", q, g.variable);
    r.Str(x, "label", q, g.label);
    r.Objects(x, "levels", q, g.levels, [&](const Value& y, const std::string& s, evaluation::Group& l) {
      r.OptInt(y, "code", s, l.code);
      r.Str(y, "label", s, l.label);
      r.Int(y, "respondents", s, l.respondents);
      r.Bool(y, "suppressed", s, l.suppressed);
      r.Str(y, "suppression", s, l.suppression);
      r.Objects(y, "estimates", s, l.estimates,
                [&](const Value& z, const std::string& t, evaluation::Estimate& e) { ReadEstimate(r, z, t, e); });
    });
  });
  r.Objects(v, "places", p, c.places, [&](const Value& x, const std::string& q, evaluation::PlaceShares& s) {
    r.Str(x, "item", q, s.item);
    r.Str(x, "text", q, s.text);
    r.Int(x, "base", q, s.base);
    r.Objects(x, "places", q, s.places,
              [&](const Value& y, const std::string& t, evaluation::Estimate& e) { ReadEstimate(r, y, t, e); });
  });
  r.Objects(v, "margins", p, c.margins, [&](const Value& x, const std::string& q, evaluation::MarginShare& m) {
    r.Str(x, "margin", q, m.margin);
    r.Str(x, "level", q, m.level);
    r.Str(x, "label", q, m.label);
    r.OptInt(x, "population", q, m.population);
    r.Num(x, "population_share", q, m.population_share);
    r.OptInt(x, "sample", q, m.sample);
    r.Num(x, "sample_share", q, m.sample_share);
    r.Num(x, "weighted_share", q, m.weighted_share);
    r.Bool(x, "suppressed", q, m.suppressed);
    r.Str(x, "suppression", q, m.suppression);
  });
}

void ReadChange(Reader& r, const Value& v, const std::string& p, evaluation::Change& c) {
  r.Str(v, "series", p, c.series);
  r.Str(v, "area", p, c.area);
  r.Str(v, "indicator", p, c.indicator);
  r.Str(v, "comparison", p, c.comparison);
  r.Str(v, "from_wave", p, c.from_wave);
  r.Str(v, "to_wave", p, c.to_wave);
  r.Num(v, "difference", p, c.difference);
  r.Num(v, "se", p, c.se);
  r.Num(v, "ci_lower", p, c.ci_lower);
  r.Num(v, "ci_upper", p, c.ci_upper);
  r.Num(v, "df", p, c.df);
  r.Num(v, "p", p, c.p);
  r.Num(v, "p_adjusted", p, c.p_adjusted);
  r.Num(v, "mdd", p, c.mdd);
  r.Bool(v, "significant", p, c.significant);
  r.Str(v, "verdict", p, c.verdict);
  r.Str(v, "note", p, c.note);
  r.Bool(v, "suppressed", p, c.suppressed);
  r.Str(v, "suppression", p, c.suppression);
}

void ReadDiD(Reader& r, const Value& v, const std::string& p, evaluation::DiD& d) {
  r.Str(v, "series", p, d.series);
  r.Str(v, "indicator", p, d.indicator);
  r.Str(v, "baseline_wave", p, d.baseline_wave);
  r.Str(v, "wave", p, d.wave);
  r.Num(v, "estimate", p, d.estimate);
  r.Num(v, "se", p, d.se);
  r.Num(v, "ci_lower", p, d.ci_lower);
  r.Num(v, "ci_upper", p, d.ci_upper);
  r.Num(v, "df", p, d.df);
  r.Num(v, "p", p, d.p);
  r.Bool(v, "significant", p, d.significant);
  r.Str(v, "note", p, d.note);
  r.Int(v, "smallest_n", p, d.smallest_n);
  r.Bool(v, "suppressed", p, d.suppressed);
  r.Str(v, "suppression", p, d.suppression);
}

void ReadRest(Reader& r, const Value& root, EvaluationResult& out) {
  r.Objects(root, "weighting", "", out.weighting,
            [&](const Value& x, const std::string& q, evaluation::WeightingNote& w) {
              r.Str(x, "series", q, w.series);
              r.Str(x, "method", q, w.method);
              r.Int(x, "trimmed", q, w.trimmed);
              r.Strings(x, "notes", q, w.notes);
            });
  r.Strings(root, "notes", "", out.notes);
  if (const Value* d = Reader::Member(root, "disclosure")) {
    if (!d->IsObject()) {
      r.Fail("disclosure", "expected an object");
    } else {
      r.Int(*d, "min_cell", "disclosure", out.disclosure.min_cell);
      r.Int(*d, "min_base", "disclosure", out.disclosure.min_base);
    }
  }
  r.Objects(root, "reliability", "", out.reliability,
            [&](const Value& x, const std::string& q, evaluation::ScaleReliability& s) {
              r.Str(x, "series", q, s.series);
              r.Str(x, "wave", q, s.wave);
              r.Str(x, "area", q, s.area);
              r.Str(x, "subindex", q, s.subindex);
              r.Int(x, "n", q, s.n);
              r.Num(x, "alpha", q, s.alpha);
              r.Num(x, "ci_lower", q, s.ci_lower);
              r.Num(x, "ci_upper", q, s.ci_upper);
              r.Objects(x, "items", q, s.items, [&](const Value& y, const std::string& t, evaluation::ItemRest& i) {
                r.Str(y, "item", t, i.item);
                r.Num(y, "r_drop", t, i.r_drop);
                r.Num(y, "alpha_if_dropped", t, i.alpha_if_dropped);
              });
              r.Str(x, "note", q, s.note);
            });
  r.Objects(root, "area_reliability", "", out.area_reliability,
            [&](const Value& x, const std::string& q, evaluation::AreaReliabilityEstimate& a) {
              r.Str(x, "series", q, a.series);
              r.Str(x, "wave", q, a.wave);
              r.Str(x, "indicator", q, a.indicator);
              r.Num(x, "icc", q, a.icc);
              r.Num(x, "tau2", q, a.tau2);
              r.Num(x, "sigma2", q, a.sigma2);
              r.Bool(x, "tau2_truncated", q, a.tau2_truncated);
              r.Objects(x, "areas", q, a.areas, [&](const Value& y, const std::string& t, evaluation::AreaLambda& l) {
                r.Str(y, "area", t, l.area);
                r.Int(y, "n", t, l.n);
                r.Num(y, "lambda", t, l.lambda);
              });
              r.Str(x, "note", q, a.note);
            });
  r.Objects(root, "response_rates", "", out.response_rates,
            [&](const Value& x, const std::string& q, evaluation::ResponseRates& s) {
              r.Str(x, "wave", q, s.wave);
              r.Str(x, "area", q, s.area);
              r.Int(x, "invitations", q, s.invitations);
              r.Int(x, "complete", q, s.complete);
              r.Int(x, "partial", q, s.partial);
              r.Int(x, "refused", q, s.refused);
              r.Int(x, "not_used", q, s.not_used);
              r.Int(x, "undeliverable", q, s.undeliverable);
              r.Int(x, "not_eligible", q, s.not_eligible);
              r.Num(x, "rr1", q, s.rr1);
              r.Num(x, "rr2", q, s.rr2);
              r.Num(x, "coop1", q, s.coop1);
              r.Num(x, "ref1", q, s.ref1);
              r.Num(x, "con1", q, s.con1);
              r.Str(x, "note", q, s.note);
            });
  r.Objects(root, "response_counts", "", out.response_counts,
            [&](const Value& x, const std::string& q, evaluation::ResponseCount& s) {
              r.Str(x, "wave", q, s.wave);
              r.Str(x, "area", q, s.area);
              r.Str(x, "channel", q, s.channel);
              r.Str(x, "day", q, s.day);
              r.Int(x, "count", q, s.count);
            });
  if (const Value* b = Reader::Member(root, "robustness")) {
    if (!b->IsObject()) return r.Fail("robustness", "expected an object");
    auto ReadAdjusted = [&](const Value& x, const std::string& q, evaluation::AdjustedDiD& d) {
      r.Str(x, "series", q, d.series);
      r.Str(x, "indicator", q, d.indicator);
      r.Str(x, "baseline_wave", q, d.baseline_wave);
      r.Str(x, "wave", q, d.wave);
      r.Bool(x, "post", q, d.post);
      r.Str(x, "covariates", q, d.covariates);
      r.Num(x, "estimate", q, d.estimate);
      r.Num(x, "se", q, d.se);
      r.Num(x, "ci_lower", q, d.ci_lower);
      r.Num(x, "ci_upper", q, d.ci_upper);
      r.Num(x, "df", q, d.df);
      r.Num(x, "p", q, d.p);
      r.Int(x, "n", q, d.n);
      r.Str(x, "note", q, d.note);
    };
    evaluation::Robustness& rb = out.robustness;
    r.Strings(*b, "pre_waves", "robustness", rb.pre_waves);
    r.Objects(*b, "adjusted_did", "robustness", rb.adjusted_did, ReadAdjusted);
    r.Objects(*b, "pre_trends", "robustness", rb.pre_trends,
              [&](const Value& x, const std::string& q, evaluation::PreTrendCheck& t) {
                r.Str(x, "series", q, t.series);
                r.Str(x, "indicator", q, t.indicator);
                r.Strings(x, "pre_waves", q, t.pre_waves);
                r.Objects(x, "placebo", q, t.placebo, ReadAdjusted);
                r.Num(x, "f", q, t.f);
                r.Num(x, "df_num", q, t.df_num);
                r.Num(x, "df_den", q, t.df_den);
                r.Num(x, "p", q, t.p);
                r.Str(x, "verdict", q, t.verdict);
                r.Str(x, "note", q, t.note);
              });
    r.Strings(*b, "notes", "robustness", rb.notes);
  }
  if (const Value* c = Reader::Member(root, "crime")) {
    if (!c->IsObject()) return r.Fail("crime", "expected an object");
    evaluation::CrimeResult crime;
    r.Str(*c, "source", "crime", crime.source);
    r.Num(*c, "per", "crime", crime.per);
    r.Num(*c, "level", "crime", crime.level);
    r.Strings(*c, "periods", "crime", crime.periods);
    r.Objects(*c, "rates", "crime", crime.rates, [&](const Value& x, const std::string& q, evaluation::CrimeRate& s) {
      r.Str(x, "area", q, s.area);
      r.Str(x, "period", q, s.period);
      r.Str(x, "offence_group", q, s.offence_group);
      r.Bool(x, "total", q, s.total);
      r.Int(x, "count", q, s.count);
      r.Num(x, "population", q, s.population);
      r.Num(x, "rate", q, s.rate);
      r.Num(x, "ci_lower", q, s.ci_lower);
      r.Num(x, "ci_upper", q, s.ci_upper);
      r.Str(x, "note", q, s.note);
    });
    r.Objects(*c, "changes", "crime", crime.changes,
              [&](const Value& x, const std::string& q, evaluation::CrimeChange& s) {
                r.Str(x, "area", q, s.area);
                r.Str(x, "offence_group", q, s.offence_group);
                r.Str(x, "from_period", q, s.from_period);
                r.Str(x, "to_period", q, s.to_period);
                r.Int(x, "from_count", q, s.from_count);
                r.Int(x, "to_count", q, s.to_count);
                r.Num(x, "ratio", q, s.ratio);
                r.Num(x, "ci_lower", q, s.ci_lower);
                r.Num(x, "ci_upper", q, s.ci_upper);
                r.Num(x, "p", q, s.p);
                r.Str(x, "note", q, s.note);
              });
    r.Strings(*c, "notes", "crime", crime.notes);
    out.crime = std::move(crime);
  }  if (const Value* d = Reader::Member(root, "definitions")) {
    if (!d->IsObject()) return r.Fail("definitions", "expected an object");
    evaluation::IndexDefinitions defs;
    const std::string p = "definitions";
    r.Str(*d, "questionnaire", p, defs.questionnaire);
    r.Str(*d, "version", p, defs.version);
    r.Str(*d, "content_hash", p, defs.content_hash);
    r.Str(*d, "title", p, defs.title);
    r.Objects(*d, "subindices", p, defs.subindices,
              [&](const Value& x, const std::string& q, evaluation::SubIndexDefinition& s) {
                r.Str(x, "id", q, s.id);
                r.Str(x, "label", q, s.label);
                r.Num(x, "min_share", q, s.min_share);
                r.Objects(x, "items", q, s.items,
                          [&](const Value& y, const std::string& t, evaluation::IndexItemDefinition& i) {
                            r.Str(y, "item", t, i.item);
                            r.Str(y, "text", t, i.text);
                            r.Bool(y, "reversed", t, i.reversed);
                            r.Num(y, "min", t, i.min);
                            r.Num(y, "max", t, i.max);
                          });
              });
    if (const Value* o = Reader::Member(*d, "overall")) {
      if (!o->IsObject()) return r.Fail("definitions.overall", "expected an object");
      evaluation::OverallDefinition overall;
      const std::string q = "definitions.overall";
      r.Str(*o, "id", q, overall.id);
      r.Str(*o, "label", q, overall.label);
      r.Int(*o, "min_subindices", q, overall.min_subindices);
      r.Objects(*o, "weights", q, overall.weights,
                [&](const Value& y, const std::string& t, std::pair<std::string, double>& w) {
                  r.Str(y, "subindex", t, w.first);
                  r.Num(y, "weight", t, w.second);
                });
      defs.overall = std::move(overall);
    }
    r.Objects(*d, "shares", p, defs.shares, [&](const Value& x, const std::string& q, evaluation::ShareDefinition& s) {
      r.Str(x, "id", q, s.id);
      r.Str(x, "label", q, s.label);
      std::string kind;
      r.Str(x, "kind", q, kind);
      s.kind = kind == "prevalence" ? evaluation::IndicatorKind::kPrevalence : evaluation::IndicatorKind::kShare;
      r.Strings(x, "items", q, s.items);
      r.Ints(x, "codes", q, s.codes);
      r.Strings(x, "code_labels", q, s.code_labels);
      r.Int(x, "min_count", q, s.min_count);
    });
    r.Strings(*d, "notes", p, defs.notes);
    out.definitions = std::move(defs);
  }
}

}  // namespace

core::Result<EvaluationResult> ParseEvaluationJson(std::string_view json, const std::string& source) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    const std::size_t offset = doc.GetErrorOffset();
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < json.size(); ++i) {
      if (json[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(json[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    return core::InvalidInput(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                              rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return core::InvalidInput(source + ": expected a JSON object (an evaluation result)");
  Reader r(source);
  EvaluationResult out;
  out.level = 0.95;
  r.Str(doc, "study", "", out.study);
  r.Num(doc, "level", "", out.level);
  if (r.ok() && !(out.level > 0 && out.level < 1)) r.Fail("level", "expected a number between 0 and 1");
  r.Bool(doc, "weighted", "", out.weighted);
  r.Bool(doc, "pooled_channels", "", out.pooled_channels);
  r.Str(doc, "proportion_method", "", out.proportion_method);
  r.Str(doc, "adjust_method", "", out.adjust_method);
  r.Strings(doc, "waves", "", out.waves);
  r.Strings(doc, "areas", "", out.areas);
  r.Objects(doc, "cells", "", out.cells,
            [&](const Value& x, const std::string& q, evaluation::Cell& c) { ReadCell(r, x, q, c); });
  r.Objects(doc, "changes", "", out.changes,
            [&](const Value& x, const std::string& q, evaluation::Change& c) { ReadChange(r, x, q, c); });
  r.Objects(doc, "did", "", out.did,
            [&](const Value& x, const std::string& q, evaluation::DiD& d) { ReadDiD(r, x, q, d); });
  ReadRest(r, doc, out);
  if (!r.ok()) return r.status();
  return out;
}

}  // namespace tryghed::report
