#include "cli/demo.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <vector>

#include "core/sha256.h"
#include "questionnaire/scoring.h"

namespace tryghed::cli {

namespace {

using core::Result;
using core::Status;
namespace q = questionnaire;

struct AreaSpec {
  const char* name;
  store::AreaRole role;
  std::int64_t population;   // residents aged 15 and over
  double latent_base;        // mean latent safety (0 = national average)
  double crime_per_1000;     // registered crime per 1,000 residents and year
};

// One pilot area of about 1,000 households (≈ 2,300 residents aged 15+)
// and two comparison areas. The comparison names are fictional: the data
// are synthetic.
constexpr AreaSpec kAreas[] = {
    {"Gadehavegård", store::AreaRole::kPilot, 2300, -0.35, 95},
    {"Nordparken", store::AreaRole::kComparison, 2600, -0.25, 80},
    {"Søndergården", store::AreaRole::kComparison, 1900, -0.30, 88},
};

struct WaveSpec {
  const char* label;
  const char* starts_on;
  const char* ends_on;
  store::WaveStatus status;
  double trend;              // common change of latent safety in every area
  double collected;          // share of the wave's invitations processed so far
};

constexpr WaveSpec kWaves[] = {
    {"Baseline 2025", "2025-03-03", "2025-04-13", store::WaveStatus::kClosed, 0.00, 1.0},
    {"Opfølgning 1 2025", "2025-10-06", "2025-11-16", store::WaveStatus::kClosed, 0.04, 1.0},
    {"Opfølgning 2 2026", "2026-03-02", "2026-04-12", store::WaveStatus::kOpen, 0.06, 0.65},
    {"Opfølgning 3 2026", "2026-10-05", "2026-11-15", store::WaveStatus::kDraft, 0.08, 0.0},
};
constexpr int kFirstWaveWithEffect = 2;  // 0-based: the third wave

// Age bands of the default questionnaire's age item (codes 1..8: 15–17,
// 18–24, 25–34, 35–44, 45–54, 55–64, 65–74, 75+) as population shares, and
// how much more or less likely each band is to answer.
constexpr double kAgeShare[] = {0.05, 0.14, 0.19, 0.17, 0.15, 0.12, 0.11, 0.07};
constexpr double kAgePropensity[] = {0.55, 0.60, 0.75, 0.90, 1.00, 1.15, 1.30, 1.20};
constexpr double kAgeLatent[] = {0.10, -0.05, -0.10, -0.05, 0.00, 0.05, 0.00, -0.15};
constexpr double kFemaleShare = 0.51;
constexpr double kFemalePropensity = 1.12;
constexpr double kFemaleLatent = -0.20;
constexpr double kBaseResponse = 0.40;

// How favourable each sub-index's items are on average, in latent units.
double FavourableShift(const std::string& subindex) {
  if (subindex == "tryghed") return 0.9;
  if (subindex == "problemfrihed") return 0.5;
  if (subindex == "tillid") return 0.6;
  return 0.3;
}

// The substantive codes of the item that has background role `role`, or
// none when the questionnaire has no such role.
std::vector<core::Code> RoleCodes(const q::Questionnaire& questionnaire, const std::string& role) {
  auto it = questionnaire.background.find(role);
  if (it == questionnaire.background.end()) return {};
  const q::Item* item = questionnaire.FindItem(it->second);
  return item ? item->SubstantiveCodes() : std::vector<core::Code>{};
}

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

struct Person {
  bool female = false;
  int age_band = 0;  // 0..7
  double latent = 0;
};

class Generator {
 public:
  Generator(const q::Questionnaire& questionnaire, std::uint64_t seed) : q_(questionnaire), rng_(seed) {
    for (const auto& s : q_.indices.subindices) {
      for (const auto& item : s.items) subindex_of_[item.item] = {s.id, item.higher_is_better};
    }
    for (const auto& [role, item] : q_.background) role_of_[item] = role;
  }

  double Uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }
  double Normal() { return std::normal_distribution<double>(0.0, 1.0)(rng_); }
  std::mt19937_64& rng() { return rng_; }

  Person DrawPerson(double latent_mean) {
    Person p;
    p.female = Uniform() < kFemaleShare;
    double u = Uniform(), acc = 0;
    p.age_band = 7;
    for (int b = 0; b < 8; ++b) {
      acc += kAgeShare[b];
      if (u < acc) {
        p.age_band = b;
        break;
      }
    }
    p.latent = latent_mean + (p.female ? kFemaleLatent : 0.0) + kAgeLatent[p.age_band] + Normal();
    return p;
  }

  double ResponsePropensity(const Person& p) {
    return std::min(0.95, kBaseResponse * kAgePropensity[p.age_band] * (p.female ? kFemalePropensity : 1.0));
  }

  // Answers in questionnaire order; `partial` stops after the first 40 % of items.
  core::Answers Answer(const Person& p, bool partial) {
    core::Answers answers;
    const int total = q_.ItemCount();
    int ordinal = 0;
    for (const auto& section : q_.sections) {
      for (const auto& item : section.items) {
        if (partial && ordinal++ > total * 2 / 5) return answers;
        if (!q::IsAsked(q_, item, answers)) continue;
        AnswerItem(p, item, answers);
      }
    }
    return answers;
  }

 private:
  void AnswerItem(const Person& p, const q::Item& item, core::Answers& answers) {
    const auto substantive = item.SubstantiveCodes();
    if (auto role = role_of_.find(item.id); role != role_of_.end()) {
      if (role->second == "sex" && substantive.size() >= 2) {
        answers[item.id] = substantive[p.female ? 1 : 0];  // mand = first, kvinde = second
        return;
      }
      if (role->second == "age_band" && substantive.size() >= 8) {
        answers[item.id] = substantive[static_cast<std::size_t>(p.age_band)];
        return;
      }
    }
    if (Uniform() < 0.02) return;  // skipped
    if (q::IsSingleCoded(item.type) && Uniform() < 0.03) {
      for (const auto& o : item.options) {
        if (o.missing) {
          answers[item.id] = o.code;  // "Ved ikke" (the first non-substantive option)
          return;
        }
      }
    }
    switch (item.type) {
      case q::ItemType::kSingle: {
        if (substantive.empty()) return;
        auto sub = subindex_of_.find(item.id);
        if (sub == subindex_of_.end()) {
          answers[item.id] = substantive[std::uniform_int_distribution<std::size_t>(0, substantive.size() - 1)(rng_)];
          return;
        }
        // Ordinal answer from latent safety: higher latent, more favourable.
        const double y = 0.8 * (p.latent + FavourableShift(sub->second.first)) + 0.6 * Normal();
        const double u = NormalCdf(y);
        const std::size_t m = substantive.size();
        std::size_t pos = std::min(m - 1, static_cast<std::size_t>(u * static_cast<double>(m)));
        if (!sub->second.second) pos = m - 1 - pos;  // higher code is worse
        answers[item.id] = substantive[pos];
        return;
      }
      case q::ItemType::kYesNo: {
        // Victimisation and unsafe places are likelier for residents who feel less safe.
        const double p_yes = 1.0 / (1.0 + std::exp(1.6 + 0.7 * p.latent));
        answers[item.id] = Uniform() < p_yes ? core::Code{1} : core::Code{2};
        return;
      }
      case q::ItemType::kMultiple:
      case q::ItemType::kPlace: {
        if (substantive.empty()) return;
        std::set<core::Code> chosen;
        const int count = 1 + (Uniform() < 0.35);
        for (int i = 0; i < count; ++i) {
          chosen.insert(substantive[std::uniform_int_distribution<std::size_t>(0, substantive.size() - 1)(rng_)]);
        }
        answers[item.id] = core::Codes(chosen.begin(), chosen.end());
        return;
      }
      case q::ItemType::kNumber: {
        const double x = item.min + Uniform() * (item.max - item.min);
        answers[item.id] = item.integer ? std::round(x) : x;
        return;
      }
      case q::ItemType::kText:
        return;  // no free text in demo data
    }
  }

  const q::Questionnaire& q_;
  std::mt19937_64 rng_;
  std::map<std::string, std::pair<std::string, bool>> subindex_of_;  // item -> (sub-index, higher is better)
  std::map<std::string, std::string> role_of_;                       // item -> background role
};

std::string RandomToken(std::mt19937_64& rng) {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
  std::string token;
  for (int i = 0; i < 20; ++i) token.push_back(kAlphabet[rng() % (sizeof(kAlphabet) - 1)]);
  return token;
}

std::string DayWithin(const char* starts_on, int offset_days) {
  int y = 0;
  unsigned m = 0, d = 0;
  std::sscanf(starts_on, "%d-%u-%u", &y, &m, &d);
  const std::chrono::sys_days day =
      std::chrono::sys_days(std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}) + std::chrono::days{offset_days};
  const std::chrono::year_month_day ymd{day};
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return out;
}

}  // namespace

Result<DemoSummary> CreateDemo(store::Store& db, const q::Questionnaire& q, const std::string& json,
                               const DemoOptions& options, const core::ProgressFn& progress) {
  if (db.FindStudy(options.study_name).ok()) {
    return core::AlreadyExists("a study named \"" + options.study_name + "\" exists already; use another --db or name");
  }
  Generator gen(q, options.seed);
  DemoSummary summary;
  auto study = db.CreateStudy(options.study_name,
                              "Demonstrationsstudie med syntetiske data: et pilotområde og to sammenligningsområde, "
                              "fire runder. Tryghedsindekset stiger i pilotområdet fra tredje runde.");
  if (!study.ok()) return study.status();
  auto version = db.AddQuestionnaireVersion(json, q.content_hash);
  if (!version.ok()) return version.status();

  std::vector<store::Id> area_ids;
  for (const auto& a : kAreas) {
    auto id = db.AddArea(*study, a.name, a.role, a.population);
    if (!id.ok()) return id.status();
    area_ids.push_back(*id);
    // Population margins for weighting: sex and age band as counts of
    // residents aged 15+, one cell per answer code of the role's item
    // (margin = role name, level = code).
    std::vector<store::Margin> margins;
    if (const auto sex = RoleCodes(q, "sex"); sex.size() >= 2) {
      const auto women = static_cast<std::int64_t>(std::llround(static_cast<double>(a.population) * kFemaleShare));
      margins.push_back({"sex", std::to_string(sex[0]), a.population - women});
      margins.push_back({"sex", std::to_string(sex[1]), women});
    }
    if (const auto age = RoleCodes(q, "age_band"); age.size() >= 8) {
      std::int64_t assigned = 0;
      for (std::size_t b = 0; b < 8; ++b) {
        const auto count = b == 7 ? a.population - assigned
                                  : static_cast<std::int64_t>(std::llround(static_cast<double>(a.population) * kAgeShare[b]));
        assigned += count;
        margins.push_back({"age_band", std::to_string(age[b]), count});
      }
    }
    TRYGHED_RETURN_IF_ERROR(db.SetMargins(*id, std::nullopt, margins));
  }
  summary.areas = static_cast<int>(area_ids.size());

  auto kiosk = db.RegisterKiosk("Beboerhuset Gadehavegård", area_ids[0], RandomToken(gen.rng()) + RandomToken(gen.rng()));
  if (!kiosk.ok()) return kiosk.status();

  std::size_t expected = 0;
  for (const auto& w : kWaves) {
    for (const auto& a : kAreas) {
      expected += static_cast<std::size_t>(static_cast<double>(a.population) * options.invited_fraction * w.collected * kBaseResponse);
    }
  }
  std::size_t done = 0;
  std::ostringstream crime;
  crime << "area,wave,reports,population\n";

  for (int wi = 0; wi < static_cast<int>(std::size(kWaves)); ++wi) {
    const WaveSpec& w = kWaves[wi];
    auto wave = db.CreateWave(*study, w.label, w.starts_on, w.ends_on, *version);
    if (!wave.ok()) return wave.status();
    ++summary.waves;
    if (w.status == store::WaveStatus::kDraft) continue;
    TRYGHED_RETURN_IF_ERROR(db.OpenWave(*wave));
    for (std::size_t ai = 0; ai < std::size(kAreas); ++ai) {
      const AreaSpec& a = kAreas[ai];
      const bool effect = a.role == store::AreaRole::kPilot && wi >= kFirstWaveWithEffect;
      const double latent_mean = a.latent_base + w.trend + (effect ? kPilotEffect : 0.0);
      const auto invited = static_cast<std::size_t>(static_cast<double>(a.population) * options.invited_fraction);
      std::vector<std::string> tokens;
      std::vector<std::string> hashes;
      for (std::size_t i = 0; i < invited; ++i) {
        tokens.push_back(RandomToken(gen.rng()));
        hashes.push_back(core::Sha256Hex(tokens.back()));
      }
      TRYGHED_RETURN_IF_ERROR(db.AddInvitations(*wave, area_ids[ai], hashes));
      summary.invitations += static_cast<std::int64_t>(invited);
      const auto processed = static_cast<std::size_t>(static_cast<double>(invited) * w.collected);
      for (std::size_t i = 0; i < processed; ++i) {
        const Person person = gen.DrawPerson(latent_mean);
        if (gen.Uniform() < gen.ResponsePropensity(person)) {
          const bool partial = gen.Uniform() < 0.05;
          core::Answers answers = gen.Answer(person, partial);
          TRYGHED_RETURN_IF_ERROR(q::ValidateAnswers(q, answers).WithContext("demo respondent"));
          store::ResponseMeta meta;
          meta.wave_id = *wave;
          meta.area_id = area_ids[ai];
          meta.channel = store::Channel::kLink;
          meta.language = gen.Uniform() < 0.82 ? "da" : (gen.Uniform() < 0.6 ? "ar" : "en");
          meta.questionnaire_version_id = *version;
          meta.received_on = DayWithin(w.starts_on, static_cast<int>(gen.Uniform() * 40));
          meta.completeness = partial ? store::Completeness::kPartial : store::Completeness::kComplete;
          auto id = db.SubmitResponse(meta, answers, hashes[i], std::nullopt);
          if (!id.ok()) return id.status();
          ++summary.responses;
          core::ReportProgress(progress, std::min(++done, expected), expected);
        } else {
          const double u = gen.Uniform();
          const auto disposition = u < 0.14 ? store::Disposition::kRefused
                                   : u < 0.19 ? store::Disposition::kUndeliverable
                                   : u < 0.21 ? store::Disposition::kNotEligible
                                              : store::Disposition::kNotUsed;
          if (disposition != store::Disposition::kNotUsed) TRYGHED_RETURN_IF_ERROR(db.SetDisposition(hashes[i], disposition));
        }
      }
      // Kiosk answers in the pilot area's community centre: not a
      // probability sample, and a little safer than the residents at large.
      if (a.role == store::AreaRole::kPilot) {
        const int kiosk_answers = static_cast<int>(45 * w.collected);
        for (int k = 0; k < kiosk_answers; ++k) {
          Person person = gen.DrawPerson(latent_mean + 0.2);
          store::ResponseMeta meta;
          meta.wave_id = *wave;
          meta.area_id = area_ids[ai];
          meta.channel = store::Channel::kKiosk;
          meta.language = gen.Uniform() < 0.7 ? "da" : "ar";
          meta.questionnaire_version_id = *version;
          meta.received_on = DayWithin(w.starts_on, static_cast<int>(gen.Uniform() * 40));
          auto id = db.SubmitResponse(meta, gen.Answer(person, false), std::nullopt, std::nullopt);
          if (!id.ok()) return id.status();
          ++summary.responses;
        }
      }
      // Registered crime over the four quarters before the wave: Poisson
      // around the area's rate, 15 % lower in the pilot once it works.
      const double mean_reports = a.crime_per_1000 * static_cast<double>(a.population) / 1000.0 * (effect ? 0.85 : 1.0);
      crime << a.name << "," << w.label << "," << std::poisson_distribution<int>(mean_reports)(gen.rng()) << ","
            << a.population << "\n";
    }
    if (w.status == store::WaveStatus::kClosed) TRYGHED_RETURN_IF_ERROR(db.CloseWave(*wave));
  }
  core::ReportProgress(progress, expected, expected);

  if (!options.crime_csv_path.empty()) {
    std::ofstream out(options.crime_csv_path, std::ios::trunc);
    out << crime.str();
    if (!out) return core::Unavailable(options.crime_csv_path + ": cannot write the registered-crime CSV");
  }
  return summary;
}

}  // namespace tryghed::cli
