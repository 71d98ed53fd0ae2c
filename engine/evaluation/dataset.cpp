#include "evaluation/dataset.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "questionnaire/loader.h"
#include "questionnaire/scoring.h"

namespace tryghed::evaluation {

namespace {

std::string Label(const questionnaire::Questionnaire& q, const questionnaire::Text& text, const std::string& id) {
  auto it = text.find(q.default_language);
  if (it != text.end()) return it->second;
  it = text.find("da");
  if (it != text.end()) return it->second;
  if (!text.empty()) return text.begin()->second;
  return id;
}

std::size_t IndexOf(const std::vector<Indicator>& v, const std::string& id) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i].id == id) return i;
  }
  return v.size();
}

std::size_t IndexOf(const std::vector<std::string>& v, const std::string& id) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), id) - v.begin());
}

// The options of `item`; non-substantive ones only when `all`.
std::vector<Category> Categories(const questionnaire::Questionnaire& q, const questionnaire::Item& item, bool all) {
  std::vector<Category> out;
  for (const questionnaire::Option& o : item.options) {
    if (o.missing && !all) continue;
    out.push_back({o.code, Label(q, o.label, std::to_string(o.code)), o.missing});
  }
  return out;
}

// The index definitions of `q`, labels and texts in its default language.
IndexDefinitions Definitions(const questionnaire::Questionnaire& q) {
  IndexDefinitions d;
  d.questionnaire = q.id;
  d.version = q.version;
  d.content_hash = q.content_hash;
  d.title = Label(q, q.title, q.id);
  const questionnaire::Indices& ix = q.indices;
  for (const questionnaire::SubIndex& sub : ix.subindices) {
    SubIndexDefinition def{sub.id, Label(q, sub.label, sub.id), sub.min_share, {}};
    for (const questionnaire::SubIndexItem& item : sub.items) {
      const questionnaire::Item* it = q.FindItem(item.item);
      def.items.push_back({item.item, it ? Label(q, it->text, it->id) : "", !item.higher_is_better, item.min, item.max});
    }
    d.subindices.push_back(std::move(def));
  }
  if (ix.overall) {
    d.overall = OverallDefinition{ix.overall->id, Label(q, ix.overall->label, ix.overall->id),
                                  ix.overall->min_subindices, ix.overall->weights};
  }
  auto share = [&](const std::string& id, const questionnaire::Text& label, IndicatorKind kind,
                   const std::vector<std::string>& items, const std::vector<core::Code>& codes, int min_count) {
    ShareDefinition def{id, Label(q, label, id), kind, items, {}, {}, min_count};
    const questionnaire::Item* first = items.empty() ? nullptr : q.FindItem(items.front());
    for (core::Code c : codes) {
      def.codes.push_back(c);
      const questionnaire::Option* o = first ? first->FindOption(c) : nullptr;
      def.code_labels.push_back(o ? Label(q, o->label, std::to_string(c)) : "");
    }
    d.shares.push_back(std::move(def));
  };
  for (const questionnaire::Share& x : ix.shares) share(x.id, x.label, IndicatorKind::kShare, x.items, x.codes, x.min_count);
  for (const questionnaire::Prevalence& x : ix.prevalences) {
    share(x.id, x.label, IndicatorKind::kPrevalence, x.items, x.codes, 1);
  }
  return d;
}

// True when `item` has a substantive answer in `answers`.
bool AnsweredSubstantively(const questionnaire::Questionnaire& q, const std::string& item_id,
                           const core::Answers& answers) {
  const questionnaire::Item* item = q.FindItem(item_id);
  auto it = answers.find(item_id);
  if (item == nullptr || it == answers.end()) return false;
  auto substantive = [&](core::Code c) {
    const questionnaire::Option* o = item->FindOption(c);
    return o != nullptr && !o->missing;
  };
  if (const auto* code = std::get_if<core::Code>(&it->second)) return substantive(*code);
  if (const auto* codes = std::get_if<core::Codes>(&it->second)) return std::any_of(codes->begin(), codes->end(), substantive);
  return false;
}

// Every item a condition's leaves name.
void ConditionItems(const questionnaire::Condition& c, std::vector<std::string>& out) {
  if (!c.item.empty()) out.push_back(c.item);
  for (const questionnaire::Condition& child : c.children) ConditionItems(child, out);
}

// The places a response names for place item `item_id` (Respondent::places).
std::optional<std::vector<core::Code>> PlacesNamed(const questionnaire::Questionnaire& q, const std::string& item_id,
                                                   const core::Answers& answers) {
  const questionnaire::Item* item = q.FindItem(item_id);
  if (item == nullptr) return std::nullopt;
  if (!questionnaire::IsAsked(q, *item, answers)) {
    // Not asked: in the base (naming no place) only when every question
    // the condition names was answered substantively.
    std::vector<std::string> gates;
    if (item->show_if) ConditionItems(*item->show_if, gates);
    if (gates.empty()) return std::nullopt;
    for (const std::string& g : gates) {
      if (!AnsweredSubstantively(q, g, answers)) return std::nullopt;
    }
    return std::vector<core::Code>{};
  }
  auto it = answers.find(item_id);
  if (it == answers.end()) return std::nullopt;
  const auto* codes = std::get_if<core::Codes>(&it->second);
  if (codes == nullptr) return std::nullopt;
  std::vector<core::Code> named;
  for (core::Code c : *codes) {
    const questionnaire::Option* o = item->FindOption(c);
    if (o != nullptr && !o->missing) named.push_back(c);
  }
  // An empty set, or only non-substantive codes ("Ved ikke"): not in the base.
  if (named.empty()) return std::nullopt;
  return named;
}

}  // namespace

void AddIndicators(StudyData& data, const questionnaire::Questionnaire& q) {
  auto add = [&](const std::string& id, const questionnaire::Text& label, IndicatorKind kind) {
    if (IndexOf(data.indicators, id) < data.indicators.size()) return;
    data.indicators.push_back({id, Label(q, label, id), kind});
  };
  const questionnaire::Indices& ix = q.indices;
  if (ix.overall) add(ix.overall->id, ix.overall->label, IndicatorKind::kOverall);
  for (const auto& s : ix.subindices) {
    add(s.id, s.label, IndicatorKind::kSubIndex);
    Indicator& ind = data.indicators[IndexOf(data.indicators, s.id)];
    if (ind.items.empty()) {
      for (const auto& item : s.items) ind.items.push_back(item.item);
    }
  }
  for (const auto& s : ix.shares) add(s.id, s.label, IndicatorKind::kShare);
  for (const auto& p : ix.prevalences) add(p.id, p.label, IndicatorKind::kPrevalence);
  for (const auto& s : ix.subindices) {
    for (const auto& item : s.items) {
      if (IndexOf(data.items, item.item) == data.items.size()) data.items.push_back(item.item);
    }
  }
  data.item_definitions.resize(data.items.size());
  for (std::size_t j = 0; j < data.items.size(); ++j) {
    ItemDefinition& def = data.item_definitions[j];
    const questionnaire::Item* item = q.FindItem(data.items[j]);
    if (item == nullptr || !def.options.empty()) continue;
    def = {Label(q, item->text, item->id), Categories(q, *item, true)};
  }
  for (const questionnaire::Section& section : q.sections) {
    for (const questionnaire::Item& item : section.items) {
      if (item.type != questionnaire::ItemType::kPlace) continue;
      if (std::any_of(data.place_items.begin(), data.place_items.end(),
                      [&](const PlaceItem& p) { return p.id == item.id; })) {
        continue;
      }
      data.place_items.push_back({item.id, Label(q, item.text, item.id), Categories(q, item, false)});
    }
  }
  if (data.background.empty()) {
    for (std::string_view role : questionnaire::kBackgroundRoles) {
      auto it = q.background.find(std::string(role));
      if (it == q.background.end()) continue;
      const questionnaire::Item* item = q.FindItem(it->second);
      if (item == nullptr) continue;
      data.background.push_back({std::string(role), Label(q, item->text, item->id), Categories(q, *item, false)});
    }
  }
  if (!data.definitions) {
    data.definitions = Definitions(q);
  } else if (!q.content_hash.empty() && q.content_hash != data.definitions->content_hash) {
    const IndexDefinitions later = Definitions(q);
    // Only the definitions matter here, not the texts or the version fields.
    auto same = [](const IndexDefinitions& a, const IndexDefinitions& b) {
      if (a.subindices.size() != b.subindices.size() || a.shares.size() != b.shares.size()) return false;
      for (std::size_t i = 0; i < a.subindices.size(); ++i) {
        const SubIndexDefinition &x = a.subindices[i], &y = b.subindices[i];
        if (x.id != y.id || x.min_share != y.min_share || x.items.size() != y.items.size()) return false;
        for (std::size_t j = 0; j < x.items.size(); ++j) {
          if (x.items[j].item != y.items[j].item || x.items[j].reversed != y.items[j].reversed ||
              x.items[j].min != y.items[j].min || x.items[j].max != y.items[j].max) {
            return false;
          }
        }
      }
      for (std::size_t i = 0; i < a.shares.size(); ++i) {
        const ShareDefinition &x = a.shares[i], &y = b.shares[i];
        if (x.id != y.id || x.items != y.items || x.codes != y.codes || x.min_count != y.min_count) return false;
      }
      if (a.overall.has_value() != b.overall.has_value()) return false;
      return !a.overall || (a.overall->weights == b.overall->weights &&
                            a.overall->min_subindices == b.overall->min_subindices);
    };
    const std::string note = "questionnaire version " + later.version + " (" + later.content_hash.substr(0, 12) +
                             ") defines the indices differently; the definitions shown are those of version " +
                             data.definitions->version;
    if (!same(*data.definitions, later) &&
        std::find(data.definitions->notes.begin(), data.definitions->notes.end(), note) ==
            data.definitions->notes.end()) {
      data.definitions->notes.push_back(note);
    }
  }
  for (Respondent& r : data.respondents) {
    r.values.resize(data.indicators.size());
    r.items.resize(data.items.size());
  }
}

core::Status AddResponse(StudyData& data, const questionnaire::Questionnaire& q, std::size_t wave,
                         std::size_t area, store::Channel channel, const core::Answers& answers) {
  if (wave >= data.waves.size()) {
    return core::InvalidArgument("response of wave " + std::to_string(wave) + ", but the study has " +
                                 std::to_string(data.waves.size()) + " waves");
  }
  if (area >= data.areas.size()) {
    return core::InvalidArgument("response of area " + std::to_string(area) + ", but the study has " +
                                 std::to_string(data.areas.size()) + " areas");
  }
  Respondent r;
  r.wave = wave;
  r.area = area;
  r.channel = channel;
  r.values.resize(data.indicators.size());
  r.items.resize(data.items.size());
  for (const auto& [role, item_id] : q.background) {
    auto it = answers.find(item_id);
    if (it == answers.end() || !std::holds_alternative<core::Code>(it->second)) continue;
    const core::Code code = std::get<core::Code>(it->second);
    const questionnaire::Item* item = q.FindItem(item_id);
    const questionnaire::Option* option = item != nullptr ? item->FindOption(code) : nullptr;
    if (option == nullptr || option->missing) continue;
    r.background[role] = code;
  }
  const questionnaire::Scores s = questionnaire::ScoreResponse(q, answers);
  auto set = [&](const std::string& id, std::optional<double> v) {
    const std::size_t i = IndexOf(data.indicators, id);
    if (i < r.values.size()) r.values[i] = v;
  };
  if (q.indices.overall) set(q.indices.overall->id, s.overall);
  for (const auto& x : s.subindices) set(x.id, x.value);
  auto flag = [](const std::optional<bool>& b) -> std::optional<double> {
    if (!b) return std::nullopt;
    return *b ? 1.0 : 0.0;
  };
  for (const auto& x : s.shares) set(x.id, flag(x.value));
  for (const auto& x : s.prevalences) set(x.id, flag(x.value));
  for (const auto& x : s.items) {
    const std::size_t i = IndexOf(data.items, x.id);
    if (i < r.items.size()) r.items[i] = x.value;
  }
  r.codes.resize(data.items.size());
  for (std::size_t j = 0; j < data.items.size(); ++j) {
    auto it = answers.find(data.items[j]);
    if (it != answers.end() && std::holds_alternative<core::Code>(it->second)) {
      r.codes[j] = std::get<core::Code>(it->second);
    }
  }
  r.places.resize(data.place_items.size());
  for (std::size_t j = 0; j < data.place_items.size(); ++j) r.places[j] = PlacesNamed(q, data.place_items[j].id, answers);
  data.respondents.push_back(std::move(r));
  return core::Status::Ok();
}

core::Result<StudyData> LoadStudy(store::Store& db, const std::string& study_name) {
  core::Result<store::Study> study = db.FindStudy(study_name);
  if (!study.ok()) return study.status();
  core::Result<std::vector<store::Area>> areas = db.ListAreas(study->id);
  if (!areas.ok()) return areas.status();
  core::Result<std::vector<store::Wave>> waves = db.ListWaves(study->id);
  if (!waves.ok()) return waves.status();
  std::vector<store::Wave> ordered = *waves;
  // Creation order: ids are assigned in insertion order.
  std::sort(ordered.begin(), ordered.end(), [](const store::Wave& a, const store::Wave& b) { return a.id < b.id; });

  StudyData data;
  data.study = study->name;
  for (const store::Area& a : *areas) data.areas.push_back({a.name, a.role, a.population});
  for (const store::Wave& w : ordered) {
    WaveData wd;
    wd.label = w.label;
    for (const store::Area& a : *areas) {
      core::Result<std::vector<store::Margin>> m = db.GetMargins(a.id, w.id);
      if (!m.ok()) return m.status();
      wd.margins.push_back(std::move(m).value());
      core::Result<std::vector<store::DispositionCount>> counts = db.CountDispositions(w.id, a.id);
      if (!counts.ok()) return counts.status();
      wd.dispositions.push_back(SumDispositions(*counts));
    }
    data.waves.push_back(std::move(wd));
  }

  std::map<store::Id, questionnaire::Questionnaire> versions;
  for (std::size_t wi = 0; wi < ordered.size(); ++wi) {
    const store::Wave& w = ordered[wi];
    if (!w.questionnaire_version_id) continue;
    const store::Id vid = *w.questionnaire_version_id;
    if (!versions.contains(vid)) {
      core::Result<store::QuestionnaireVersion> v = db.GetQuestionnaireVersion(vid);
      if (!v.ok()) return v.status();
      core::Result<questionnaire::Questionnaire> q =
          questionnaire::LoadQuestionnaire(v->json, "questionnaire version " + std::to_string(vid));
      if (!q.ok()) return q.status().WithContext("wave " + w.label);
      versions.emplace(vid, std::move(q).value());
    }
    AddIndicators(data, versions.at(vid));
  }
  for (std::size_t wi = 0; wi < ordered.size(); ++wi) {
    const store::Wave& w = ordered[wi];
    core::Result<std::vector<store::StoredResponse>> responses = db.ReadResponses(w.id);
    if (!responses.ok()) return responses.status();
    for (const store::StoredResponse& r : *responses) {
      // Score with the questionnaire the resident saw (the response's version).
      auto it = versions.find(r.meta.questionnaire_version_id);
      if (it == versions.end()) {
        core::Result<store::QuestionnaireVersion> v = db.GetQuestionnaireVersion(r.meta.questionnaire_version_id);
        if (!v.ok()) return v.status();
        core::Result<questionnaire::Questionnaire> q = questionnaire::LoadQuestionnaire(
            v->json, "questionnaire version " + std::to_string(r.meta.questionnaire_version_id));
        if (!q.ok()) return q.status().WithContext("wave " + w.label);
        it = versions.emplace(r.meta.questionnaire_version_id, std::move(q).value()).first;
        AddIndicators(data, it->second);
      }
      std::size_t area = areas->size();
      for (std::size_t ai = 0; ai < areas->size(); ++ai) {
        if ((*areas)[ai].id == r.meta.area_id) area = ai;
      }
      if (area == areas->size()) {
        return core::InvalidInput("response " + std::to_string(r.id) + " of wave " + w.label + " names area " +
                                  std::to_string(r.meta.area_id) + ", which is not an area of study " +
                                  study_name);
      }
      TRYGHED_RETURN_IF_ERROR(AddResponse(data, it->second, wi, area, r.meta.channel, r.answers));
      data.respondents.back().received_on = r.meta.received_on;
    }
  }
  return data;
}

DispositionCounts SumDispositions(const std::vector<store::DispositionCount>& counts) {
  DispositionCounts dc;
  for (const store::DispositionCount& c : counts) {
    switch (c.disposition) {
      case store::Disposition::kNotUsed: dc.not_used += c.count; break;
      case store::Disposition::kComplete: dc.complete += c.count; break;
      case store::Disposition::kPartial: dc.partial += c.count; break;
      case store::Disposition::kRefused: dc.refused += c.count; break;
      case store::Disposition::kUndeliverable: dc.undeliverable += c.count; break;
      case store::Disposition::kNotEligible: dc.not_eligible += c.count; break;
    }
  }
  return dc;
}

}  // namespace tryghed::evaluation
