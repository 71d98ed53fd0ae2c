// tryghed import | export | backup | restore | invite (letters) | invite mark | kiosk add — moving
// data in and out of the store (engine/exchange, docs/store.md).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/database.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/sha256.h"
#include "core/token.h"
#include "exchange/export.h"
#include "exchange/import.h"
#include "exchange/invitations.h"
#include "report/letters.h"
#include "report/pdf.h"
#include "store/store.h"

namespace tryghed::cli {

namespace {

struct ExchangeOptions {
  DatabaseOptions database;
  std::string study;
  std::string wave;
  std::string area;
  std::string file;
  std::string map;
  std::vector<std::string> ignore;
  bool dry_run = false;
  std::string format;
  std::string out;
  bool labels = false;
  bool include_free_text = false;
  std::string language;
  bool force = false;
  int count = 0;
  std::string base_url = "http://localhost:8080";
  std::string letters;
  std::string letters_pdf;
  std::string sender;
  std::string contact;
  int minutes = 0;
  std::string token;
  std::string disposition;
  std::string name;
};

core::Result<std::unique_ptr<store::Store>> Open(const ExchangeOptions& o) { return OpenStoreForVerb(o.database); }

// The study, and the wave when `o.wave` is set.
struct Scope {
  store::Study study;
  std::optional<store::Wave> wave;
};

core::Result<Scope> FindScope(store::Store& db, const ExchangeOptions& o) {
  Scope scope;
  core::Result<store::Study> study = db.FindStudy(o.study);
  if (!study.ok()) return study.status();
  scope.study = *study;
  if (!o.wave.empty()) {
    core::Result<store::Wave> wave = db.FindWave(study->id, o.wave);
    if (!wave.ok()) return wave.status();
    scope.wave = *wave;
  }
  return scope;
}

int RunImport(const ExchangeOptions& o, const Io& io) {
  exchange::ImportOptions options;
  options.dry_run = o.dry_run;
  options.ignore.insert(o.ignore.begin(), o.ignore.end());
  if (!o.map.empty()) {
    core::Result<std::string> text = core::ReadFile(o.map);
    if (!text.ok()) return ReportFailure(io, text.status());
    core::Result<exchange::ColumnMap> map = exchange::ParseColumnMap(*text, o.map);
    if (!map.ok()) return ReportFailure(io, map.status());
    options.map = std::move(map).value();
  }
  auto db = Open(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  core::Result<Scope> scope = FindScope(**db, o);
  if (!scope.ok()) return ReportFailure(io, scope.status());
  TerminalProgress progress("Checking " + o.file, io.err);
  options.progress = progress.Callback();
  TerminalProgress writing("Writing " + o.file, io.err);  // the rows, in one transaction
  options.write_progress = writing.Callback();
  core::Result<exchange::ImportReport> report = exchange::ImportCsvFile(**db, scope->wave->id, o.file, options);
  if (!report.ok()) return ReportFailure(io, report.status(), "tryghed import");
  const std::string read_as = std::string(exchange::TextEncodingName(report->encoding)) + ", '" +
                              std::string(1, report->separator) + "'-separated";
  if (!report->problems.empty()) {
    for (const exchange::CellProblem& p : report->problems) io.err << p.ToString() << "\n";
    io.err << "tryghed import: " << report->problems.size() << " problem" << (report->problems.size() == 1 ? "" : "s")
           << " in " << o.file << " (" << report->rows << " rows, read as " << read_as
           << "); nothing was imported\n";
    return kExitInvalid;
  }
  if (o.dry_run) {
    io.out << "checked " << report->rows << " rows of " << o.file << " (" << read_as
           << "): no problems; nothing was written (--dry-run)\n";
  } else {
    io.out << "imported " << report->response_ids.size() << " responses from " << o.file << " (" << read_as
           << ") into wave " << o.wave << " of study " << o.study << "\n";
  }
  return kExitOk;
}

int RunExport(const ExchangeOptions& o, const Io& io) {
  exchange::ExportOptions options;
  core::Result<exchange::ExportFormat> format = exchange::ParseExportFormat(o.format);
  if (!format.ok()) return ReportFailure(io, format.status());
  options.format = *format;
  options.labels = o.labels;
  options.include_free_text = o.include_free_text;
  options.language = o.language;
  auto db = Open(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  core::Result<Scope> scope = FindScope(**db, o);
  if (!scope.ok()) return ReportFailure(io, scope.status());
  std::optional<store::Id> wave;
  if (scope->wave) wave = scope->wave->id;
  core::Result<exchange::ExportTable> table = exchange::BuildExportTable(**db, scope->study.id, wave, options);
  if (!table.ok()) return ReportFailure(io, table.status(), "tryghed export");
  core::Result<std::vector<std::string>> files = exchange::WriteExport(*table, options, o.out);
  if (!files.ok()) return ReportFailure(io, files.status(), "tryghed export");
  for (const std::string& f : *files) {
    io.out << "wrote " << f << " (" << table->rows.size() << " responses, " << table->columns.size()
           << " variables)\n";
  }
  return kExitOk;
}

int RunBackup(const ExchangeOptions& o, const Io& io) {
  auto db = Open(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  core::Status st = (*db)->Backup(o.out);
  if (!st.ok()) return ReportFailure(io, st, "tryghed backup");
  io.out << "backed up " << ResolveDatabase(o.database).value() << " to " << o.out << "\n";
  return kExitOk;
}

int RunRestore(const ExchangeOptions& o, const Io& io) {
  const std::string& db = o.database.db;
  if (db.empty()) {
    return ReportFailure(io, core::InvalidArgument("say which database to restore into with --db"), "tryghed restore");
  }
  core::Status st = store::Store::Restore(o.file, db, o.force);
  if (!st.ok()) return ReportFailure(io, st, "tryghed restore");
  io.out << "restored " << o.file << " into " << db;
  if (o.force) io.out << " (the previous database, if any, is kept as " << db << ".before-restore)";
  io.out << "\n";
  return kExitOk;
}

constexpr const char* kInvite = "tryghed invite";
constexpr const char* kInviteMark = "tryghed invite mark";

int RunInvite(const ExchangeOptions& o, const Io& io) {
  if (o.study.empty() || o.wave.empty() || o.area.empty() || o.count == 0 || o.out.empty()) {
    return ReportFailure(io,
                         core::InvalidArgument("--study, --wave, --area, --count and --out are required "
                                               "(or mark dispositions with `tryghed invite mark`)"),
                         kInvite);
  }
  std::error_code ec;
  for (const std::string* path : {&o.out, &o.letters, &o.letters_pdf}) {
    if (!path->empty() && std::filesystem::exists(*path, ec)) {
      return ReportFailure(io, core::AlreadyExists(*path + " exists; tokens are written once, to new files"), kInvite);
    }
  }
  auto db = Open(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  core::Result<Scope> scope = FindScope(**db, o);
  if (!scope.ok()) return ReportFailure(io, scope.status());
  core::Result<store::Area> area = (*db)->FindArea(scope->study.id, o.area);
  if (!area.ok()) return ReportFailure(io, area.status());
  core::Result<std::vector<exchange::Invitation>> invitations = exchange::NewInvitations(o.count, o.base_url);
  if (!invitations.ok()) return ReportFailure(io, invitations.status(), kInvite);

  // Everything is made before anything is stored: a letter that cannot be
  // made stores no invitation.
  std::vector<std::pair<std::string, std::string>> files = {{o.out, exchange::InvitationsCsv(*invitations)}};
  std::vector<std::string> back_names;
  if (!o.letters.empty()) {
    core::Result<report::Letters> letters = exchange::RenderInvitationLetters(
        **db, scope->wave->id, area->id, *invitations, {o.sender, o.contact, o.minutes});
    if (!letters.ok()) return ReportFailure(io, letters.status(), kInvite);
    for (const std::string& lang : letters->left_out) {
      io.err << kInvite << ": the questionnaire is also in '" << lang
             << "', but there is no letter text in that language (reports/letter-" << lang
             << ".txt); the letters leave it out\n";
    }
    back_names = letters->back_languages;
    files.emplace_back(o.letters, std::move(letters->html));
  }

  // The files are written (and flushed) first, the hashes stored second, the
  // files linked into place last: the tokens reach the user exactly when the
  // database knows them.
  std::vector<std::string> temps;
  const auto remove_temps = [&] {
    for (const std::string& t : temps) std::remove(t.c_str());
  };
  for (const auto& [path, content] : files) {
    core::Result<std::string> tmp = core::WriteTempBeside(path, content);
    if (!tmp.ok()) {
      remove_temps();
      return ReportFailure(io, tmp.status(), kInvite);
    }
    temps.push_back(*tmp);
  }
  core::Status st = exchange::StoreInvitations(**db, scope->wave->id, area->id, *invitations);
  for (std::size_t i = 0; st.ok() && i < files.size(); ++i) {
    if (::link(temps[i].c_str(), files[i].first.c_str()) != 0) {
      st = core::Unavailable("the invitations are stored but " + files[i].first + " could not be written (" +
                             std::strerror(errno) + ")" +
                             (i > 0 ? "; " + files[0].first + " holds every token" : "; they cannot be used: make new ones"));
    } else {
      (void)core::FsyncPath(core::DirectoryOf(files[i].first), /*directory=*/true);
    }
  }
  remove_temps();
  if (!st.ok()) return ReportFailure(io, st, kInvite);
  io.out << "wrote " << o.count << " invitation" << (o.count == 1 ? "" : "s") << " for wave " << o.wave << ", area "
         << o.area << " to " << o.out << " (only their SHA-256 is stored; keep the file safe)\n";
  if (o.letters.empty()) return kExitOk;
  io.out << "wrote " << o.count << " letter" << (o.count == 1 ? "" : "s") << " to " << o.letters
         << ": one A4 sheet each, Danish on the front, "
         << (back_names.empty() ? std::string("the back blank") : "the back in " + [&] {
              std::string list;
              for (const std::string& l : back_names) list += (list.empty() ? "" : ", ") + l;
              return list;
            }())
         << "; print double-sided, flipping on the long edge\n";
  if (o.letters_pdf.empty()) return kExitOk;
  core::Status pdf;
  {
    // Minutes for hundreds of letters: the elapsed-time spinner on a terminal.
    TerminalProgress progress("Printing " + o.letters_pdf + " with Chromium", io.err);
    report::ChromiumOptions chromium;
    chromium.timeout_seconds = std::max(120, 60 + o.count / 4);  // about 4 letters a second on a small machine
    chromium.waiting = progress.ElapsedCallback();
    pdf = report::PrintToPdf(o.letters, o.letters_pdf, chromium);
  }
  if (!pdf.ok()) {
    ReportFailure(io, pdf, kInvite);
    io.err << kInvite << ": the invitations, " << o.out << " and " << o.letters
           << " are complete; only the PDF is missing (print the HTML from a browser, or run again with chromium)\n";
    return kExitInvalid;
  }
  // The PDF holds the tokens too: readable by its owner only, like the other files.
  std::filesystem::permissions(o.letters_pdf, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace, ec);
  io.out << "wrote " << o.letters_pdf << "\n";
  return kExitOk;
}

int RunInviteMark(const ExchangeOptions& o, const Io& io) {
  std::vector<exchange::DispositionMark> marks;
  if (!o.file.empty()) {
    if (!o.token.empty() || !o.disposition.empty()) {
      return ReportFailure(io, core::InvalidArgument("give either --file or --token with --disposition"), kInviteMark);
    }
    core::Result<std::string> text = core::ReadFile(o.file);
    if (!text.ok()) return ReportFailure(io, text.status(), kInviteMark);
    core::Result<exchange::DispositionMarks> parsed = exchange::ParseDispositionsCsv(*text, o.file);
    if (!parsed.ok()) return ReportFailure(io, parsed.status(), kInviteMark);
    if (!parsed->problems.empty()) {
      for (const std::string& p : parsed->problems) io.err << p << "\n";
      io.err << kInviteMark << ": " << parsed->problems.size() << " problem"
             << (parsed->problems.size() == 1 ? "" : "s") << " in " << o.file << "; nothing was marked\n";
      return kExitInvalid;
    }
    marks = std::move(parsed->marks);
  } else {
    if (o.token.empty() || o.disposition.empty()) {
      return ReportFailure(io, core::InvalidArgument("give --file, or --token with --disposition"), kInviteMark);
    }
    core::Result<exchange::DispositionMark> mark = exchange::ParseDispositionMark(o.token, o.disposition, "--token");
    if (!mark.ok()) return ReportFailure(io, mark.status(), kInviteMark);
    marks.push_back(std::move(mark).value());
  }
  auto db = Open(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  const core::Status st = exchange::MarkDispositions(**db, marks);
  if (!st.ok()) return ReportFailure(io, st, kInviteMark);
  io.out << "marked " << exchange::DispositionSummary(marks) << "\n";
  return kExitOk;
}

int RunKioskAdd(const ExchangeOptions& o, const Io& io) {
  auto db = Open(o);
  if (!db.ok()) return ReportFailure(io, db.status());
  std::optional<store::Id> area_id;
  if (!o.area.empty()) {
    if (o.study.empty()) return ReportFailure(io, core::InvalidArgument("--area needs --study"));
    core::Result<store::Study> study = (*db)->FindStudy(o.study);
    if (!study.ok()) return ReportFailure(io, study.status());
    core::Result<store::Area> area = (*db)->FindArea(study->id, o.area);
    if (!area.ok()) return ReportFailure(io, area.status());
    area_id = area->id;
  }
  core::Result<std::string> secret = core::NewToken();
  if (!secret.ok()) return ReportFailure(io, secret.status());
  core::Result<store::Id> id = (*db)->RegisterKiosk(o.name, area_id, *secret);
  if (!id.ok()) return ReportFailure(io, id.status(), "tryghed kiosk add");
  io.out << "registered kiosk " << *id << ": " << o.name << "\n"
         << "set-up secret: " << *secret << "\n"
         << "Enter the secret on the kiosk now; it is shown only this once (only its SHA-256 is stored).\n";
  return kExitOk;
}

}  // namespace

void AddExchangeCommands(CLI::App& app, const Io& io) {
  {
    auto o = std::make_shared<ExchangeOptions>();
    CLI::App* cmd = app.add_subcommand("import", "Import an older wave from a CSV file, all or nothing");
    cmd->add_option("FILE", o->file, "CSV file (',' or ';', UTF-8 or Windows-1252)")->required();
    cmd->add_option("--study", o->study, "Name of the study")->required();
    cmd->add_option("--wave", o->wave, "Label of the wave to import into")->required();
    cmd->add_option("--map", o->map, "CSV with the columns column,item: which file column holds which item");
    cmd->add_option("--ignore-column", o->ignore, "A file column to skip (repeat for several)");
    cmd->add_flag("--dry-run", o->dry_run, "Check every cell and report; write nothing");
    AddDatabaseOptions(cmd, &o->database);
    cmd->footer(
        "Columns: item ids (or --map), ITEM_CODE 0/1 per option of a multiple item, and optionally area, "
        "received_on, language, completeness. Every bad cell is listed (line, column, value, why) and then "
        "nothing is written; a file is imported once.\n"
        "Exit codes: 0 imported (or checked), 1 the file has problems, 2 bad options or a file imported before, "
        "3 the database failed.\n"
        "Example:\n  tryghed import --study \"Gadehavegård 2026\" --wave baseline paper-2025.csv --map columns.csv "
        "--dry-run");
    cmd->callback([o, io] { Finish(RunImport(*o, io)); });
  }
  {
    auto o = std::make_shared<ExchangeOptions>();
    CLI::App* cmd = app.add_subcommand("export", "Export a wave or a study: CSV, codebook, SPSS, Stata or Excel");
    cmd->add_option("--study", o->study, "Name of the study")->required();
    cmd->add_option("--wave", o->wave, "Label of one wave (default: every wave, with a wave column)");
    cmd->add_option("--format", o->format, "csv, codebook (CSV and JSON), sav (SPSS), dta (Stata) or xlsx")
        ->required()
        ->check(CLI::IsMember({"csv", "codebook", "sav", "dta", "xlsx"}));
    cmd->add_option("--out", o->out, "File to write (replaced if it exists)")->required();
    cmd->add_flag("--labels", o->labels, "csv/xlsx: write answer labels instead of codes");
    cmd->add_flag("--include-free-text", o->include_free_text,
                  "Include free-text answers (personal data: only when needed)");
    cmd->add_option("--lang", o->language, "Language of the labels (default: the questionnaire's)");
    AddDatabaseOptions(cmd, &o->database);
    cmd->footer("Example:\n  tryghed export --study \"Gadehavegård 2026\" --wave baseline --format sav --out baseline.sav\n"
                "  tryghed export --study \"Gadehavegård 2026\" --format codebook --out codebook.csv   "
                "# also codebook.json");
    cmd->callback([o, io] { Finish(RunExport(*o, io)); });
  }
  {
    auto o = std::make_shared<ExchangeOptions>();
    CLI::App* cmd = app.add_subcommand("backup", "Copy the SQLite database to a new file while it is in use");
    cmd->add_option("OUT", o->out, "The backup file to create (never overwritten)")->required();
    AddDatabaseOptions(cmd, &o->database);
    cmd->footer("PostgreSQL databases are backed up with pg_dump (the command is printed).\n"
                "Example:\n  tryghed backup /srv/backup/tryghed-2026-05-01.db --db /srv/tryghed/tryghed.db");
    cmd->callback([o, io] { Finish(RunBackup(*o, io)); });
  }
  {
    auto o = std::make_shared<ExchangeOptions>();
    CLI::App* cmd = app.add_subcommand("restore", "Put a backup in place as a SQLite database, after checking it");
    cmd->add_option("BACKUP", o->file, "A file made by tryghed backup")->required();
    cmd->add_option("--db", o->database.db, "The SQLite database file to restore into")->required();
    cmd->add_flag("--force", o->force, "Replace an existing database (kept as DB.before-restore)");
    cmd->footer("Stop every program using the database first.\n"
                "Example:\n  tryghed restore /srv/backup/tryghed-2026-05-01.db --db /srv/tryghed/tryghed.db --force");
    cmd->callback([o, io] { Finish(RunRestore(*o, io)); });
  }
  {
    auto o = std::make_shared<ExchangeOptions>();
    CLI::App* cmd = app.add_subcommand("invite", "Make invitation tokens, links and printable letters for a wave and an area");
    cmd->add_option("--study", o->study, "Name of the study (required)");
    cmd->add_option("--wave", o->wave, "Label of the wave (required)");
    cmd->add_option("--area", o->area, "Name of the area (required)");
    cmd->add_option("--count", o->count, "How many invitations, 1 to 100000 (required)");
    cmd->add_option("--out", o->out, "New CSV file for the tokens and links, e.g. for an SMS service (required; never overwritten)");
    cmd->add_option("--base-url", o->base_url, "Address of the survey server (default http://localhost:8080)");
    CLI::Option* letters = cmd->add_option("--letters", o->letters,
        "Also a new HTML file of printable letters: one A4 sheet per resident with the link and a QR code");
    cmd->add_option("--letters-pdf", o->letters_pdf, "Also print the letters to this new PDF file (needs chromium)")
        ->needs(letters);
    cmd->add_option("--sender", o->sender, "Who signs the letters (default: the study's name)");
    cmd->add_option("--contact", o->contact, "Phone number or address for questions, printed on the letters");
    cmd->add_option("--minutes", o->minutes, "Minutes to answer, as the letters say (default: from the questionnaire's items)")
        ->check(CLI::Range(1, 120));
    AddDatabaseOptions(cmd, &o->database);
    cmd->require_subcommand(0, 1);
    cmd->footer("The files are the only place the tokens exist: the database keeps their SHA-256 only. Letters are in "
                "Danish on the front and in the questionnaire's other languages on the back (docs/report.md).\n"
                "Exit codes: 0 done, 1 everything but the PDF was written, 2 bad options or an existing file, "
                "3 the database failed.\n"
                "Example:\n  tryghed invite --study \"Gadehavegård 2026\" --wave baseline --area Gadehavegård "
                "--count 800 \\\n      --out tokens-baseline.csv --letters letters-baseline.html --letters-pdf "
                "letters-baseline.pdf \\\n      --base-url https://tryg.example.dk --sender \"Høje-Taastrup Kommune\"");
    {
      auto m = std::make_shared<ExchangeOptions>();
      CLI::App* mark = cmd->add_subcommand(
          "mark", "Mark invitations returned as undeliverable, not eligible or refused (for the response rates)");
      mark->add_option("--file", m->file, "CSV with the columns token,disposition (all rows or none are marked)");
      mark->add_option("--token", m->token, "One token (instead of --file)");
      mark->add_option("--disposition", m->disposition, "With --token: undeliverable, not_eligible or refused");
      AddDatabaseOptions(mark, &m->database);
      mark->footer("Every bad line is reported with its line and column, and then nothing is marked; a token already "
                   "answered or marked stops the whole file.\n"
                   "Exit codes: 0 marked, 1 the file has problems, 2 bad options or an unknown or used token, "
                   "3 the database failed.\n"
                   "Example:\n  tryghed invite mark --file returned-letters.csv\n"
                   "  tryghed invite mark --token 0123456789abcdefghjkmnpqrs --disposition refused");
      mark->callback([m, io] { Finish(RunInviteMark(*m, io)); });
    }
    cmd->callback([o, io, cmd] {
      if (cmd->got_subcommand("mark")) return;
      Finish(RunInvite(*o, io));
    });
  }
  {
    CLI::App* group = app.add_subcommand("kiosk", "Register tablet kiosks");
    group->require_subcommand(1);
    auto o = std::make_shared<ExchangeOptions>();
    CLI::App* cmd = group->add_subcommand("add", "Register a kiosk and print its set-up secret once");
    cmd->add_option("--name", o->name, "Unique name of the kiosk")->required();
    cmd->add_option("--area", o->area, "Area the kiosk stands in (needs --study)");
    cmd->add_option("--study", o->study, "Name of the study of --area");
    AddDatabaseOptions(cmd, &o->database);
    cmd->footer("Example:\n  tryghed kiosk add --name beboerhus-1 --area Gadehavegård --study \"Gadehavegård 2026\"");
    cmd->callback([o, io] { Finish(RunKioskAdd(*o, io)); });
  }
}

}  // namespace tryghed::cli
