// tryghed init | study create|list | area add|list | wave create|open|close|list
// — the verbs that set up the store (engine/store, docs/store.md).
#include <cstdint>
#include <iomanip>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/database.h"
#include "cli/exit_codes.h"
#include "core/file.h"
#include "questionnaire/loader.h"
#include "store/margins.h"
#include "store/store.h"

namespace tryghed::cli {

namespace {

// Options of the store verbs; owned by the callbacks.
struct StoreOptions {
  DatabaseOptions database;
  std::string study;
  std::string name;
  std::string description;
  std::string role = "pilot";
  std::int64_t population = 0;
  CLI::Option* population_option = nullptr;
  std::string margins;
  std::string label;
  std::string from;
  std::string to;
  std::string questionnaire;
};

core::Result<std::unique_ptr<store::Store>> OpenDb(const StoreOptions& o) { return OpenStoreForVerb(o.database); }

// Adds --db and --config to a verb.
void AddDbOption(CLI::App* verb, const std::shared_ptr<StoreOptions>& opts) {
  AddDatabaseOptions(verb, &opts->database);
}

int RunInit(const StoreOptions& o, const Io& io) {
  core::Result<std::string> name = ResolveDatabase(o.database);
  if (!name.ok()) return ReportFailure(io, name.status());
  auto db = OpenDb(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  core::Result<int> version = (*db)->SchemaVersion();
  if (!version.ok()) return ReportFailure(io, version.status());
  io.out << "database ready: " << *name
         << " (schema version " << *version << ")\n";
  return kExitOk;
}

int RunStudyCreate(const StoreOptions& o, const Io& io) {
  auto db = OpenDb(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  core::Result<store::Id> id = (*db)->CreateStudy(o.name, o.description);
  if (!id.ok()) return ReportFailure(io, id.status());
  io.out << "created study " << *id << ": " << o.name << "\n";
  return kExitOk;
}

int RunStudyList(const StoreOptions& o, const Io& io) {
  auto db = OpenDb(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  auto studies = (*db)->ListStudies();
  if (!studies.ok()) return ReportFailure(io, studies.status());
  io.out << "id\tname\tcreated\tdescription\n";
  for (const store::Study& s : *studies) {
    io.out << s.id << "\t" << s.name << "\t" << s.created_on << "\t" << s.description << "\n";
  }
  return kExitOk;
}

int RunAreaAdd(const StoreOptions& o, const Io& io) {
  core::Result<store::AreaRole> role = store::ParseAreaRole(o.role);
  if (!role.ok()) return ReportFailure(io, role.status());
  std::optional<std::int64_t> population;
  if (o.population_option != nullptr && o.population_option->count() > 0) {
    if (o.population <= 0) {
      return ReportFailure(io, core::InvalidArgument("--population must be a positive number, got " +
                                            std::to_string(o.population)));
    }
    population = o.population;
  }
  // Validate the margins before anything is written.
  std::vector<store::Margin> margins;
  if (!o.margins.empty()) {
    core::Result<std::string> text = core::ReadFile(o.margins);
    if (!text.ok()) return ReportFailure(io, text.status());
    auto parsed = store::ParseMarginsCsv(*text, o.margins, population);
    if (!parsed.ok()) return ReportFailure(io, parsed.status());
    margins = std::move(parsed).value();
  }
  auto db = OpenDb(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  auto study = (*db)->FindStudy(o.study);
  if (!study.ok()) return ReportFailure(io, study.status());
  core::Result<store::Id> id = (*db)->AddArea(study->id, o.name, *role, population);
  if (!id.ok()) return ReportFailure(io, id.status());
  if (!margins.empty()) {
    core::Status set = (*db)->SetMargins(*id, std::nullopt, margins);
    if (!set.ok()) return ReportFailure(io, set);
  }
  io.out << "added area " << *id << ": " << o.name << " (" << o.role;
  if (population) io.out << ", population " << *population;
  if (!margins.empty()) io.out << ", " << margins.size() << " margin cells";
  io.out << ") to study " << o.study << "\n";
  return kExitOk;
}

int RunAreaList(const StoreOptions& o, const Io& io) {
  auto db = OpenDb(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  auto study = (*db)->FindStudy(o.study);
  if (!study.ok()) return ReportFailure(io, study.status());
  auto areas = (*db)->ListAreas(study->id);
  if (!areas.ok()) return ReportFailure(io, areas.status());
  io.out << "id\tname\trole\tpopulation\tmargin cells\n";
  for (const store::Area& a : *areas) {
    auto margins = (*db)->GetMargins(a.id, std::nullopt);
    if (!margins.ok()) return ReportFailure(io, margins.status());
    io.out << a.id << "\t" << a.name << "\t" << store::AreaRoleName(a.role) << "\t"
           << (a.population ? std::to_string(*a.population) : std::string("-")) << "\t" << margins->size() << "\n";
  }
  return kExitOk;
}

int RunWaveCreate(const StoreOptions& o, const Io& io) {
  std::optional<std::string> json;
  std::string hash;
  if (!o.questionnaire.empty()) {
    core::Result<std::string> text = core::ReadFile(o.questionnaire);
    if (!text.ok()) return ReportFailure(io, text.status());
    auto q = questionnaire::LoadQuestionnaire(*text, o.questionnaire);
    if (!q.ok()) {
      return ReportFailure(io, core::InvalidInput(o.questionnaire + " is not a valid questionnaire; run `tryghed questionnaire check " +
                                         o.questionnaire + "`"));
    }
    json = std::move(text).value();
    hash = q->content_hash;
  }
  auto db = OpenDb(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  auto study = (*db)->FindStudy(o.study);
  if (!study.ok()) return ReportFailure(io, study.status());
  std::optional<store::Id> qv;
  if (json) {
    auto id = (*db)->AddQuestionnaireVersion(*json, hash);
    if (!id.ok()) return ReportFailure(io, id.status());
    qv = *id;
  }
  auto id = (*db)->CreateWave(study->id, o.label, o.from, o.to, qv);
  if (!id.ok()) return ReportFailure(io, id.status());
  io.out << "created wave " << *id << ": " << o.label << " (draft";
  if (qv) io.out << ", questionnaire " << hash.substr(0, 12);
  io.out << ") in study " << o.study << "\n";
  return kExitOk;
}

int RunWaveMove(const StoreOptions& o, const Io& io, bool open) {
  auto db = OpenDb(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  auto study = (*db)->FindStudy(o.study);
  if (!study.ok()) return ReportFailure(io, study.status());
  auto wave = (*db)->FindWave(study->id, o.label);
  if (!wave.ok()) return ReportFailure(io, wave.status());
  core::Status st = open ? (*db)->OpenWave(wave->id) : (*db)->CloseWave(wave->id);
  if (!st.ok()) return ReportFailure(io, st);
  io.out << "wave " << o.label << " is now " << (open ? "open" : "closed") << "\n";
  return kExitOk;
}

int RunWaveList(const StoreOptions& o, const Io& io) {
  auto db = OpenDb(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  auto study = (*db)->FindStudy(o.study);
  if (!study.ok()) return ReportFailure(io, study.status());
  auto waves = (*db)->ListWaves(study->id);
  if (!waves.ok()) return ReportFailure(io, waves.status());
  io.out << "id\tlabel\tstatus\tfrom\tto\tquestionnaire\tresponses\n";
  for (const store::Wave& w : *waves) {
    std::string q = "-";
    if (w.questionnaire_version_id) {
      auto v = (*db)->GetQuestionnaireVersion(*w.questionnaire_version_id);
      if (!v.ok()) return ReportFailure(io, v.status());
      q = v->content_hash.substr(0, 12);
    }
    auto n = (*db)->CountResponses(w.id);
    if (!n.ok()) return ReportFailure(io, n.status());
    io.out << w.id << "\t" << w.label << "\t" << store::WaveStatusName(w.status) << "\t"
           << (w.starts_on.empty() ? "-" : w.starts_on) << "\t" << (w.ends_on.empty() ? "-" : w.ends_on) << "\t" << q
           << "\t" << *n << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddStoreCommands(CLI::App& app, const Io& io) {
  // init
  {
    auto opts = std::make_shared<StoreOptions>();
    CLI::App* init = app.add_subcommand("init", "Create the database, or bring its schema up to date");
    AddDbOption(init, opts);
    init->footer("Exit codes: 0 ready, 2 the database is newer than this program, 3 it cannot be reached.\n"
                 "Examples:\n  tryghed init\n  tryghed init --db /srv/tryghed/tryghed.db\n"
                 "  tryghed init --db postgresql://tryghed@db.example.dk/tryghed");
    init->callback([opts, io] { Finish(RunInit(*opts, io)); });
  }
  // study
  {
    CLI::App* group = app.add_subcommand("study", "Create and list studies (evaluation projects)");
    group->require_subcommand(1);
    auto opts = std::make_shared<StoreOptions>();
    CLI::App* create = group->add_subcommand("create", "Create a study");
    create->add_option("NAME", opts->name, "Unique name of the study")->required();
    create->add_option("--description", opts->description, "Free text for evaluators");
    AddDbOption(create, opts);
    create->footer("Example:\n  tryghed study create \"Gadehavegård 2026\" --description \"Trygge opmærksomhedsfællesskaber\"");
    create->callback([opts, io] { Finish(RunStudyCreate(*opts, io)); });

    CLI::App* list = group->add_subcommand("list", "List the studies");
    AddDbOption(list, opts);
    list->footer("Example:\n  tryghed study list --db tryghed.db");
    list->callback([opts, io] { Finish(RunStudyList(*opts, io)); });
  }
  // area
  {
    CLI::App* group = app.add_subcommand("area", "Add and list the housing areas of a study");
    group->require_subcommand(1);
    auto opts = std::make_shared<StoreOptions>();
    CLI::App* add = group->add_subcommand("add", "Add a pilot or comparison area to a study");
    add->add_option("NAME", opts->name, "Name of the area, unique within the study")->required();
    add->add_option("--study", opts->study, "Name of the study")->required();
    add->add_option("--role", opts->role, "pilot or comparison (default pilot)")
        ->check(CLI::IsMember({"pilot", "comparison"}));
    opts->population_option = add->add_option("--population", opts->population, "Residents in the survey population");
    add->add_option("--margins", opts->margins,
                    "CSV of population margins for weighting, columns margin,level,N; every margin must sum to the "
                    "population");
    AddDbOption(add, opts);
    add->footer("Example:\n  tryghed area add Gadehavegård --study \"Gadehavegård 2026\" --role pilot \\\n"
                "      --population 1800 --margins margins.csv\n"
                "margins.csv:\n  margin,level,N\n  sex,f,930\n  sex,m,870");
    add->callback([opts, io] { Finish(RunAreaAdd(*opts, io)); });

    CLI::App* list = group->add_subcommand("list", "List the areas of a study");
    list->add_option("--study", opts->study, "Name of the study")->required();
    AddDbOption(list, opts);
    list->footer("Example:\n  tryghed area list --study \"Gadehavegård 2026\"");
    list->callback([opts, io] { Finish(RunAreaList(*opts, io)); });
  }
  // wave
  {
    CLI::App* group = app.add_subcommand("wave", "Create, open, close and list the waves of a study");
    group->require_subcommand(1);
    auto opts = std::make_shared<StoreOptions>();
    CLI::App* create = group->add_subcommand("create", "Create a draft wave");
    create->add_option("LABEL", opts->label, "Label, unique within the study (e.g. baseline)")->required();
    create->add_option("--study", opts->study, "Name of the study")->required();
    create->add_option("--from", opts->from, "First day of collection, YYYY-MM-DD");
    create->add_option("--to", opts->to, "Last day of collection, YYYY-MM-DD");
    create->add_option("--questionnaire", opts->questionnaire,
                       "Questionnaire JSON file; its version is fixed when the wave opens");
    AddDbOption(create, opts);
    create->footer("Example:\n  tryghed wave create baseline --study \"Gadehavegård 2026\" --from 2026-03-01 \\\n"
                   "      --to 2026-04-15 --questionnaire questionnaires/tryghed-standard.json");
    create->callback([opts, io] { Finish(RunWaveCreate(*opts, io)); });

    for (const bool open : {true, false}) {
      CLI::App* move = group->add_subcommand(open ? "open" : "close",
                                             open ? "Open a draft wave for responses (fixes its questionnaire)"
                                                  : "Close an open wave (no more responses)");
      move->add_option("LABEL", opts->label, "Label of the wave")->required();
      move->add_option("--study", opts->study, "Name of the study")->required();
      AddDbOption(move, opts);
      move->footer(std::string("Waves move draft -> open -> closed, never back.\nExample:\n  tryghed wave ") +
                   (open ? "open" : "close") + " baseline --study \"Gadehavegård 2026\"");
      move->callback([opts, io, open] { Finish(RunWaveMove(*opts, io, open)); });
    }

    CLI::App* list = group->add_subcommand("list", "List the waves of a study");
    list->add_option("--study", opts->study, "Name of the study")->required();
    AddDbOption(list, opts);
    list->footer("Example:\n  tryghed wave list --study \"Gadehavegård 2026\"");
    list->callback([opts, io] { Finish(RunWaveList(*opts, io)); });
  }
}

}  // namespace tryghed::cli
