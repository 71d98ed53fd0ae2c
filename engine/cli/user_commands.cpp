// tryghed user add | list | disable | enable — the accounts of the admin site
// (`tryghed serve`, /admin; docs/web.md "Admin").
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>

#include "cli/commands.h"
#include "cli/database.h"
#include "cli/exit_codes.h"
#include "core/password.h"
#include "core/utf8.h"
#include "store/store.h"

namespace tryghed::cli {

namespace {

struct UserOptions {
  DatabaseOptions database;
  std::string name;
  std::string role;
};

// Longest password accepted (a passphrase; Argon2 itself takes more).
constexpr std::size_t kMaxPasswordBytes = 1024;

// Characters (UTF-8 code points) in `s`.
std::size_t Characters(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// One line from the terminal with echo off, the prompt on `err`.
core::Result<std::string> ReadHidden(const Io& io, const std::string& prompt) {
  io.err << prompt << std::flush;
  termios old{};
  const bool terminal = tcgetattr(STDIN_FILENO, &old) == 0;
  if (terminal) {
    termios quiet = old;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  io.err << "\n";
  if (!got) return core::InvalidInput("no password given (the input ended)");
  return line;
}

// The new password: one line of standard input, or, on a terminal, typed
// twice without echo.
core::Result<std::string> ReadNewPassword(const Io& io) {
  std::string password;
  if (isatty(STDIN_FILENO) != 0) {
    core::Result<std::string> first = ReadHidden(io, "Password (at least " + std::to_string(core::kMinPasswordLength) +
                                                         " characters): ");
    if (!first.ok()) return first.status();
    core::Result<std::string> second = ReadHidden(io, "The same password again: ");
    if (!second.ok()) return second.status();
    if (*first != *second) return core::InvalidInput("the two passwords differ; nothing was changed");
    password = std::move(first).value();
  } else if (!std::getline(std::cin, password)) {
    return core::InvalidInput("no password on standard input: pipe one line, e.g. `pass show tryghed | tryghed user add ...`");
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (!core::IsValidUtf8(password)) {
    // A browser sends UTF-8; a password typed in another encoding could never sign in.
    return core::InvalidInput("the password is not UTF-8 text; set the terminal to UTF-8 and try again");
  }
  if (Characters(password) < core::kMinPasswordLength) {
    return core::InvalidInput("the password is too short: at least " + std::to_string(core::kMinPasswordLength) +
                              " characters (a few words make a good one)");
  }
  if (password.size() > kMaxPasswordBytes) {
    return core::InvalidInput("the password is too long: at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  }
  return password;
}

int RunUserAdd(const UserOptions& o, const Io& io) {
  core::Result<store::UserRole> role = store::ParseUserRole(o.role);
  if (!role.ok()) return ReportFailure(io, role.status(), "tryghed user add");
  auto db = OpenStoreForVerb(o.database);
  if (!db.ok()) return ReportFailure(io, db.status(), "tryghed user add");
  // Refuse a taken name before asking for a password.
  core::Result<store::User> existing = (*db)->FindUser(o.name);
  if (existing.ok()) {
    return ReportFailure(io, core::AlreadyExists("a user named '" + o.name + "' already exists"), "tryghed user add");
  }
  core::Result<std::string> password = ReadNewPassword(io);
  if (!password.ok()) return ReportFailure(io, password.status(), "tryghed user add");
  core::Result<std::string> hash = core::HashPassword(*password);
  if (!hash.ok()) return ReportFailure(io, hash.status(), "tryghed user add");
  core::Result<store::Id> id = (*db)->CreateUser(o.name, *role, *hash);
  if (!id.ok()) return ReportFailure(io, id.status(), "tryghed user add");
  io.out << "added user " << o.name << " (" << store::UserRoleName(*role) << ")\n";
  return kExitOk;
}

int RunUserList(const UserOptions& o, const Io& io) {
  auto db = OpenStoreForVerb(o.database);
  if (!db.ok()) return ReportFailure(io, db.status(), "tryghed user list");
  auto users = (*db)->ListUsers();
  if (!users.ok()) return ReportFailure(io, users.status(), "tryghed user list");
  io.out << "name\trole\tcreated\tstatus\n";
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  for (const store::User& u : *users) {
    const std::string status = u.disabled ? "disabled" : u.locked_until > now ? "locked" : "active";
    io.out << u.name << "\t" << store::UserRoleName(u.role) << "\t" << u.created_on << "\t" << status << "\n";
  }
  return kExitOk;
}

int RunUserDisable(const UserOptions& o, const Io& io, bool disable) {
  const std::string command = disable ? "tryghed user disable" : "tryghed user enable";
  auto db = OpenStoreForVerb(o.database);
  if (!db.ok()) return ReportFailure(io, db.status(), command);
  core::Status st = (*db)->SetUserDisabled(o.name, disable);
  if (!st.ok()) return ReportFailure(io, st, command);
  io.out << "user " << o.name << " is now " << (disable ? "disabled (signed out everywhere)" : "enabled") << "\n";
  return kExitOk;
}

}  // namespace

void AddUserCommands(CLI::App& app, const Io& io) {
  CLI::App* group = app.add_subcommand("user", "Add, list and disable the accounts of the admin site (/admin)");
  group->require_subcommand(1);
  auto opts = std::make_shared<UserOptions>();

  CLI::App* add = group->add_subcommand("add", "Add an account; the password is read from standard input");
  add->add_option("NAME", opts->name, "Login name: 1-64 characters, no spaces")->required();
  add->add_option("--role", opts->role,
                  "admin (everything), evaluator (studies, waves, kiosks) or reader (reports only)")
      ->required()
      ->check(CLI::IsMember({"admin", "evaluator", "reader"}));
  AddDatabaseOptions(add, &opts->database);
  add->footer("The password (at least 12 characters) is one line of standard input; on a terminal it is asked\n"
              "twice without echo. Only its Argon2id hash is stored.\n"
              "Examples:\n  tryghed user add anna --role evaluator\n"
              "  pass show tryghed/anna | tryghed user add anna --role evaluator --db /srv/tryghed/tryghed.db");
  add->callback([opts, io] { Finish(RunUserAdd(*opts, io)); });

  CLI::App* list = group->add_subcommand("list", "List the accounts (name, role, created, status)");
  AddDatabaseOptions(list, &opts->database);
  list->footer("Example:\n  tryghed user list --db tryghed.db");
  list->callback([opts, io] { Finish(RunUserList(*opts, io)); });

  for (const bool disable : {true, false}) {
    CLI::App* cmd = group->add_subcommand(disable ? "disable" : "enable",
                                          disable ? "Disable an account and end its sessions"
                                                  : "Enable a disabled account again");
    cmd->add_option("NAME", opts->name, "Login name")->required();
    AddDatabaseOptions(cmd, &opts->database);
    cmd->footer(std::string("Example:\n  tryghed user ") + (disable ? "disable" : "enable") + " anna");
    cmd->callback([opts, io, disable] { Finish(RunUserDisable(*opts, io, disable)); });
  }
}

}  // namespace tryghed::cli
