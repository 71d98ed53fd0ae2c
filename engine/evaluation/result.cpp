#include "evaluation/result.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "evaluation/internal/json_fields.h"

namespace tryghed::evaluation {

namespace {

using internal::JsonWriter;

// The result's conventions (17 significant digits, null for no value) live in
// internal/json_fields.h, shared with the crime and robustness writers.
void Field(JsonWriter& w, const char* key, const std::optional<double>& x) { internal::JsonField(w, key, x); }
void Field(JsonWriter& w, const char* key, const std::string& s) { internal::JsonField(w, key, s); }
void Field(JsonWriter& w, const char* key, std::int64_t n) { internal::JsonField(w, key, n); }
void Field(JsonWriter& w, const char* key, bool b) { internal::JsonField(w, key, b); }
void Strings(JsonWriter& w, const char* key, const std::vector<std::string>& v) { internal::JsonField(w, key, v); }

void Field(JsonWriter& w, const char* key, const std::optional<std::int64_t>& n) {
  w.Key(key);
  if (n) {
    w.Int64(*n);
  } else {
    w.Null();
  }
}

void Key(JsonWriter& w, const char* key) { w.Key(key); }

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
  Field(w, "suppressed", e.suppressed);
  Field(w, "suppression", e.suppression);
  Field(w, "small_base", e.small_base);
  Field(w, "caution", e.caution);
  w.EndObject();
}

template <typename T, typename F>
void Array(JsonWriter& w, const char* key, const std::vector<T>& v, F write) {
  Key(w, key);
  w.StartArray();
  for (const T& x : v) write(w, x);
  w.EndArray();
}

void WriteDistribution(JsonWriter& w, const ItemDistribution& d) {
  w.StartObject();
  Field(w, "item", d.item);
  Field(w, "text", d.text);
  Field(w, "answered", d.answered);
  Field(w, "unanswered", d.unanswered);
  Array(w, "categories", d.categories, [](JsonWriter& j, const AnswerCategory& c) {
    j.StartObject();
    Field(j, "code", c.code);
    Field(j, "label", c.label);
    Field(j, "non_substantive", c.non_substantive);
    Field(j, "count", c.count);
    Field(j, "share", c.share);
    j.EndObject();
  });
  w.EndObject();
}

void WriteGroupVariable(JsonWriter& w, const GroupVariable& g) {
  w.StartObject();
  Field(w, "variable", g.variable);
  Field(w, "label", g.label);
  Array(w, "levels", g.levels, [](JsonWriter& j, const Group& l) {
    j.StartObject();
    Field(j, "code", l.code);
    Field(j, "label", l.label);
    Field(j, "respondents", l.respondents);
    Field(j, "suppressed", l.suppressed);
    Field(j, "suppression", l.suppression);
    Array(j, "estimates", l.estimates, WriteEstimate);
    j.EndObject();
  });
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
  Field(w, "suppressed", c.suppressed);
  Field(w, "suppression", c.suppression);
  Array(w, "distributions", c.distributions, WriteDistribution);
  Array(w, "groups", c.groups, WriteGroupVariable);
  Array(w, "places", c.places, [](JsonWriter& j, const PlaceShares& p) {
    j.StartObject();
    Field(j, "item", p.item);
    Field(j, "text", p.text);
    Field(j, "base", p.base);
    Array(j, "places", p.places, WriteEstimate);
    j.EndObject();
  });
  Array(w, "margins", c.margins, [](JsonWriter& j, const MarginShare& m) {
    j.StartObject();
    Field(j, "margin", m.margin);
    Field(j, "level", m.level);
    Field(j, "label", m.label);
    Field(j, "population", m.population);
    Field(j, "population_share", m.population_share);
    Field(j, "sample", m.sample);
    Field(j, "sample_share", m.sample_share);
    Field(j, "weighted_share", m.weighted_share);
    Field(j, "suppressed", m.suppressed);
    Field(j, "suppression", m.suppression);
    j.EndObject();
  });
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
  Field(w, "suppressed", c.suppressed);
  Field(w, "suppression", c.suppression);
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
  Field(w, "smallest_n", d.smallest_n);
  Field(w, "suppressed", d.suppressed);
  Field(w, "suppression", d.suppression);
  w.EndObject();
}

void WriteReliability(JsonWriter& w, const ScaleReliability& r) {
  w.StartObject();
  Field(w, "series", r.series);
  Field(w, "wave", r.wave);
  Field(w, "area", r.area);
  Field(w, "subindex", r.subindex);
  Field(w, "n", r.n);
  Field(w, "alpha", r.alpha);
  Field(w, "ci_lower", r.ci_lower);
  Field(w, "ci_upper", r.ci_upper);
  Array(w, "items", r.items, [](JsonWriter& j, const ItemRest& i) {
    j.StartObject();
    Field(j, "item", i.item);
    Field(j, "r_drop", i.r_drop);
    Field(j, "alpha_if_dropped", i.alpha_if_dropped);
    j.EndObject();
  });
  Field(w, "note", r.note);
  w.EndObject();
}

void WriteAreaReliability(JsonWriter& w, const AreaReliabilityEstimate& r) {
  w.StartObject();
  Field(w, "series", r.series);
  Field(w, "wave", r.wave);
  Field(w, "indicator", r.indicator);
  Field(w, "icc", r.icc);
  Field(w, "tau2", r.tau2);
  Field(w, "sigma2", r.sigma2);
  Field(w, "tau2_truncated", r.tau2_truncated);
  Array(w, "areas", r.areas, [](JsonWriter& j, const AreaLambda& a) {
    j.StartObject();
    Field(j, "area", a.area);
    Field(j, "n", a.n);
    Field(j, "lambda", a.lambda);
    j.EndObject();
  });
  Field(w, "note", r.note);
  w.EndObject();
}

void WriteResponseRates(JsonWriter& w, const ResponseRates& r) {
  w.StartObject();
  Field(w, "wave", r.wave);
  Field(w, "area", r.area);
  Field(w, "invitations", r.invitations);
  Field(w, "complete", r.complete);
  Field(w, "partial", r.partial);
  Field(w, "refused", r.refused);
  Field(w, "not_used", r.not_used);
  Field(w, "undeliverable", r.undeliverable);
  Field(w, "not_eligible", r.not_eligible);
  Field(w, "rr1", r.rr1);
  Field(w, "rr2", r.rr2);
  Field(w, "coop1", r.coop1);
  Field(w, "ref1", r.ref1);
  Field(w, "con1", r.con1);
  Field(w, "note", r.note);
  w.EndObject();
}

void WriteResponseCount(JsonWriter& w, const ResponseCount& c) {
  w.StartObject();
  Field(w, "wave", c.wave);
  Field(w, "area", c.area);
  Field(w, "channel", c.channel);
  Field(w, "day", c.day);
  Field(w, "count", c.count);
  w.EndObject();
}

std::string Int(std::int64_t n) { return std::to_string(n); }

void Suppress(Estimate& e, const std::string& why) {
  e.estimate.reset();
  e.se.reset();
  e.ci_lower.reset();
  e.ci_upper.reset();
  e.df.reset();
  e.effective_n.reset();
  e.small_base = false;
  e.caution.clear();
  if (!e.suppressed) e.suppression = why;
  e.suppressed = true;
}

// Primary suppression of a whole unit (cell or group) and of single estimates.
void PrimaryEstimates(std::vector<Estimate>& estimates, bool unit_suppressed, const std::string& unit_reason,
                      std::int64_t min_cell) {
  for (Estimate& e : estimates) {
    if (unit_suppressed) {
      Suppress(e, unit_reason);
    } else if (e.n > 0 && e.n < min_cell) {
      Suppress(e, "primary: fewer than " + Int(min_cell) + " respondents with a value");
    }
  }
}

// Secondary suppression within the levels of one background variable: for
// every indicator whose total (the cell's estimate) is shown, one hidden
// level would be recovered by subtraction, so the next-smallest is hidden too.
void Secondary(const Cell& cell, GroupVariable& g) {
  for (const Estimate& total : cell.estimates) {
    if (total.suppressed || !total.estimate) continue;
    std::vector<Estimate*> hidden, shown;
    for (Group& level : g.levels) {
      for (Estimate& e : level.estimates) {
        if (e.id != total.id || e.n == 0) continue;
        (e.suppressed ? hidden : shown).push_back(&e);
      }
    }
    if (hidden.size() != 1 || shown.empty()) continue;
    Estimate* smallest = shown.front();
    for (Estimate* e : shown) {
      if (e->n < smallest->n) smallest = e;
    }
    Suppress(*smallest, "secondary: hidden so that a suppressed group of '" + g.variable +
                            "' cannot be recovered from the total");
  }
}

// Sample counts of margin levels: primary suppression under `min`, and
// secondary suppression of the next-smallest level of the same margin when
// exactly one is hidden (the cell's respondents are shown, so one hidden
// count could be recovered by subtraction).
void SuppressMarginSamples(Cell& c, std::int64_t min) {
  auto hide = [](MarginShare& m, const std::string& why) {
    m.sample.reset();
    m.sample_share.reset();
    m.suppressed = true;
    m.suppression = why;
  };
  const std::string primary = "primary: fewer than " + Int(min) + " respondents in the level";
  std::vector<std::string> names;
  for (MarginShare& m : c.margins) {
    if (std::find(names.begin(), names.end(), m.margin) == names.end()) names.push_back(m.margin);
    if (!m.suppressed && m.sample && *m.sample > 0 && *m.sample < min) hide(m, primary);
  }
  for (const std::string& name : names) {
    std::vector<MarginShare*> hidden, shown;
    for (MarginShare& m : c.margins) {
      if (m.margin != name) continue;
      if (m.suppressed) {
        hidden.push_back(&m);
      } else if (m.sample && *m.sample > 0) {
        shown.push_back(&m);
      }
    }
    if (hidden.size() != 1 || shown.empty()) continue;
    MarginShare* smallest = shown.front();
    for (MarginShare* m : shown) {
      if (*m->sample < *smallest->sample) smallest = m;
    }
    hide(*smallest, "secondary: hidden so that a suppressed level of '" + name + "' cannot be recovered from the total");
  }
}

void WriteDefinitions(JsonWriter& w, const IndexDefinitions& d) {
  w.StartObject();
  Field(w, "questionnaire", d.questionnaire);
  Field(w, "version", d.version);
  Field(w, "content_hash", d.content_hash);
  Field(w, "title", d.title);
  Array(w, "subindices", d.subindices, [](JsonWriter& j, const SubIndexDefinition& s) {
    j.StartObject();
    Field(j, "id", s.id);
    Field(j, "label", s.label);
    Field(j, "min_share", std::optional<double>(s.min_share));
    Array(j, "items", s.items, [](JsonWriter& k, const IndexItemDefinition& i) {
      k.StartObject();
      Field(k, "item", i.item);
      Field(k, "text", i.text);
      Field(k, "reversed", i.reversed);
      Field(k, "min", std::optional<double>(i.min));
      Field(k, "max", std::optional<double>(i.max));
      k.EndObject();
    });
    j.EndObject();
  });
  Key(w, "overall");
  if (!d.overall) {
    w.Null();
  } else {
    w.StartObject();
    Field(w, "id", d.overall->id);
    Field(w, "label", d.overall->label);
    Field(w, "min_subindices", d.overall->min_subindices);
    Array(w, "weights", d.overall->weights, [](JsonWriter& j, const std::pair<std::string, double>& x) {
      j.StartObject();
      Field(j, "subindex", x.first);
      Field(j, "weight", std::optional<double>(x.second));
      j.EndObject();
    });
    w.EndObject();
  }
  Array(w, "shares", d.shares, [](JsonWriter& j, const ShareDefinition& s) {
    j.StartObject();
    Field(j, "id", s.id);
    Field(j, "label", s.label);
    Field(j, "kind", std::string(IndicatorKindName(s.kind)));
    Strings(j, "items", s.items);
    Array(j, "codes", s.codes, [](JsonWriter& k, std::int64_t c) { k.Int64(c); });
    Strings(j, "code_labels", s.code_labels);
    Field(j, "min_count", s.min_count);
    j.EndObject();
  });
  Strings(w, "notes", d.notes);
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
  Key(w, "disclosure");
  w.StartObject();
  Field(w, "min_cell", r.disclosure.min_cell);
  Field(w, "min_base", r.disclosure.min_base);
  w.EndObject();
  Array(w, "reliability", r.reliability, WriteReliability);
  Array(w, "area_reliability", r.area_reliability, WriteAreaReliability);
  Array(w, "response_rates", r.response_rates, WriteResponseRates);
  Array(w, "response_counts", r.response_counts, WriteResponseCount);
  for (const auto& [key, json] : {std::pair<const char*, std::string>{"robustness", RobustnessToJson(r.robustness)},
                                  {"crime", r.crime ? CrimeToJson(*r.crime) : "null"}}) {
    Key(w, key);
    w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
  }
  Key(w, "definitions");
  if (r.definitions) {
    WriteDefinitions(w, *r.definitions);
  } else {
    w.Null();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

core::Status ApplyDisclosureControl(EvaluationResult& r, const DisclosureRules& rules) {
  if (rules.min_cell < 3 || rules.min_base < 3) {
    return core::InvalidArgument("disclosure thresholds may not be below 3, got min_cell " + Int(rules.min_cell) +
                                 " and min_base " + Int(rules.min_base));
  }
  r.disclosure = rules;
  const std::int64_t min = rules.min_cell;
  const std::string cell_reason = "primary: fewer than " + Int(min) + " respondents in the cell";
  const std::string group_reason = "primary: fewer than " + Int(min) + " respondents in the group";
  std::map<std::string, const Estimate*> shown;  // series|area|wave|indicator -> cell estimate
  for (Cell& c : r.cells) {
    if (c.respondents > 0 && c.respondents < min) {
      c.suppressed = true;
      c.suppression = cell_reason;
      c.distributions.clear();
      c.item_nonresponse.clear();
      c.margins.clear();
    }
    SuppressMarginSamples(c, min);
    PrimaryEstimates(c.estimates, c.suppressed, cell_reason, min);
    for (GroupVariable& g : c.groups) {
      for (Group& level : g.levels) {
        if (level.respondents > 0 && level.respondents < min && !level.suppressed) {
          level.suppressed = true;
          level.suppression = c.suppressed ? cell_reason : group_reason;
        }
        PrimaryEstimates(level.estimates, level.suppressed, level.suppression, min);
      }
      Secondary(c, g);
    }
    auto flag_small_base = [&](Estimate& e) {
      const bool proportion = e.kind == IndicatorKind::kShare || e.kind == IndicatorKind::kPrevalence;
      e.small_base = proportion && !e.suppressed && e.n > 0 && e.n < rules.min_base;
      e.caution = e.small_base ? "unweighted base under " + Int(rules.min_base) + ": interpret with caution" : "";
    };
    for (PlaceShares& p : c.places) {
      PrimaryEstimates(p.places, c.suppressed, cell_reason, min);
      for (Estimate& e : p.places) flag_small_base(e);
    }
    for (Estimate& e : c.estimates) {
      flag_small_base(e);
      shown[c.series + '|' + c.area + '|' + c.wave + '|' + e.id] = &e;
    }
  }
  for (Change& ch : r.changes) {
    auto hidden = [&](const std::string& wave) {
      auto it = shown.find(ch.series + '|' + ch.area + '|' + wave + '|' + ch.indicator);
      return it != shown.end() && it->second->suppressed;
    };
    if (ch.suppressed || !(hidden(ch.from_wave) || hidden(ch.to_wave))) continue;
    ch.difference.reset();
    ch.se.reset();
    ch.ci_lower.reset();
    ch.ci_upper.reset();
    ch.df.reset();
    ch.p.reset();
    ch.p_adjusted.reset();
    ch.mdd.reset();
    ch.significant = false;
    ch.verdict = "undertrykt";
    ch.suppressed = true;
    ch.suppression = "the estimate of a wave is suppressed (fewer than " + Int(min) + " respondents)";
  }
  for (DiD& d : r.did) {
    if (d.suppressed || !(d.smallest_n > 0 && d.smallest_n < min)) continue;
    d.estimate.reset();
    d.se.reset();
    d.ci_lower.reset();
    d.ci_upper.reset();
    d.df.reset();
    d.p.reset();
    d.significant = false;
    d.suppressed = true;
    d.suppression = "one of the four domains has fewer than " + Int(min) + " respondents with a value";
  }
  for (ScaleReliability& s : r.reliability) {
    if (s.n > 0 && s.n < min) {
      s.alpha.reset();
      s.ci_lower.reset();
      s.ci_upper.reset();
      s.items.clear();
      s.note = "suppressed: fewer than " + Int(min) + " complete cases";
    }
  }
  for (AreaReliabilityEstimate& a : r.area_reliability) {
    for (AreaLambda& l : a.areas) {
      if (l.n > 0 && l.n < min) l.lambda.reset();
    }
  }
  return core::Status::Ok();
}

}  // namespace tryghed::evaluation
