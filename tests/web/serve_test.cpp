// `tryghed serve` as a program: settings from a properties file, the printed
// links work, and SIGTERM ends it with exit code 0.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "core/sha256.h"
#include "questionnaire/builtin.h"
#include "questionnaire/loader.h"
#include "store/store.h"
#include "web/server.h"

extern char** environ;

namespace tryghed::web {
namespace {

// A fresh folder for one test, removed with everything in it when the test ends.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / ("tryghed_web_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

TEST(ServeSettingsTest, PropertiesFileSetsEveryKindOfValue) {
  const auto dir = TempDir("settings");
  WriteText(dir / "serve.properties",
            "# the form server\nstore.db = /srv/tryghed.db\nserver.port = 9090\nkiosk.idle_seconds = 120\n"
            "cookies.secure = true\nform.max_body_bytes = 32768\nadmin.idle_minutes = 15\nadmin.max_hours = 8\n"
            "server.max_connections_per_client = 0\n");
  auto s = LoadServeSettings((dir / "serve.properties").string());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->db, "/srv/tryghed.db");
  EXPECT_EQ(s->server.port, 9090);
  EXPECT_EQ(s->server.kiosk_idle_seconds, 120);
  EXPECT_TRUE(s->server.secure_cookies);
  EXPECT_EQ(s->server.max_body_bytes, 32768u);
  EXPECT_EQ(s->server.admin_idle_seconds, 15 * 60);
  EXPECT_EQ(s->server.admin_max_seconds, 8 * 3600);
  EXPECT_EQ(s->server.max_connections_per_client, 0);
  EXPECT_EQ(s->server.host, "127.0.0.1");  // untouched keys keep their defaults
  EXPECT_EQ(s->server.threads, 64);
}

TEST(ServeSettingsTest, UnknownKeysAndWrongValuesNameTheFileAndKey) {
  const auto dir = TempDir("bad_settings");
  WriteText(dir / "a.properties", "server.prot = 9090\n");
  auto unknown = LoadServeSettings((dir / "a.properties").string());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), core::StatusCode::kInvalidInput);
  EXPECT_NE(unknown.status().message().find("a.properties: unknown setting 'server.prot'"), std::string::npos)
      << unknown.status().message();
  WriteText(dir / "b.properties", "server.port = eighty\n");
  auto wrong = LoadServeSettings((dir / "b.properties").string());
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("'server.port' = 'eighty'"), std::string::npos) << wrong.status().message();
  EXPECT_EQ(LoadServeSettings((dir / "missing.properties").string()).status().code(), core::StatusCode::kNotFound);
}

int HttpGetStatus(int port, const std::string& path) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  return response.getStatus();
}

// A running `tryghed serve ARGS...`: its pid (0 when it could not start),
// its standard output and what it printed up to its "admin:" line.
struct Served {
  pid_t pid = 0;
  FILE* out = nullptr;
  std::string printed;
};

Served StartServe(const std::vector<std::string>& serve_args) {
  Served served;
  int out[2];
  if (::pipe(out) != 0) return served;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<std::string> args = {TRYGHED_BINARY, "serve"};
  args.insert(args.end(), serve_args.begin(), serve_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int spawned = posix_spawn(&served.pid, TRYGHED_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (spawned != 0) {
    served.pid = 0;
    ::close(out[0]);
    return served;
  }
  served.out = ::fdopen(out[0], "r");
  char line[1024];
  while (served.out != nullptr && std::fgets(line, sizeof line, served.out) != nullptr) {
    served.printed += line;
    if (std::string(line).find("admin:") != std::string::npos) break;
  }
  return served;
}

// Ends a server started by StartServe with SIGTERM; its exit code (-1 when
// it did not exit normally).
int StopServe(Served& served) {
  if (::kill(served.pid, SIGTERM) != 0) return -1;
  int status = 0;
  if (::waitpid(served.pid, &status, 0) != served.pid || !WIFEXITED(status)) return -1;
  if (served.out != nullptr) std::fclose(served.out);
  served.out = nullptr;
  return WEXITSTATUS(status);
}

TEST(ServeCommandTest, ChoosesTheDatabaseAsEveryVerbDoes) {
  const auto dir = TempDir("serve_db");
  const std::string from_config = (dir / "from-config.db").string();
  const std::string from_flag = (dir / "from-flag.db").string();
  WriteText(dir / "serve.properties", "store.db = " + from_config + "\nserver.port = 0\n");
  const std::string config = (dir / "serve.properties").string();
  // store.db of --config without --db; --db wins over it.
  for (const auto& [args, expected] :
       std::vector<std::pair<std::vector<std::string>, std::string>>{{{"--config", config}, from_config},
                                                                      {{"--config", config, "--db", from_flag}, from_flag}}) {
    Served served = StartServe(args);
    ASSERT_NE(served.pid, 0);
    EXPECT_NE(served.printed.find("Serving the resident form from " + expected + " on "), std::string::npos)
        << served.printed;
    EXPECT_EQ(StopServe(served), 0);
    EXPECT_TRUE(std::filesystem::exists(expected)) << expected;
  }
}

TEST(ServeCommandTest, PrintsWorkingLinksAndStopsCleanlyOnSigterm) {
  const auto dir = TempDir("serve");
  const std::string db_path = (dir / "tryghed.db").string();
  {
    auto db = store::Store::Open(db_path);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    const std::string json(questionnaire::BuiltinQuestionnaireJson("tryghed-standard"));
    auto q = questionnaire::LoadQuestionnaire(json, "q.json");
    ASSERT_TRUE(q.ok());
    auto study = (*db)->CreateStudy("Gadehavegård", "");
    auto area = (*db)->AddArea(*study, "Gadehavegård", store::AreaRole::kPilot, 1800);
    auto qv = (*db)->AddQuestionnaireVersion(json, q->content_hash);
    auto wave = (*db)->CreateWave(*study, "baseline", "", "", *qv);
    ASSERT_TRUE(area.ok() && wave.ok());
    ASSERT_TRUE((*db)->OpenWave(*wave).ok());
  }
  Served served = StartServe({"--db", db_path, "--port", "0", "--print-links", "2"});
  ASSERT_NE(served.pid, 0);
  const pid_t pid = served.pid;
  FILE* from = served.out;
  std::string printed = served.printed;
  char line[1024];
  std::smatch port_match;
  ASSERT_TRUE(std::regex_search(printed, port_match, std::regex("on http://127\\.0\\.0\\.1:([0-9]+)"))) << printed;
  const int port = std::stoi(port_match[1]);
  std::vector<std::string> links;
  static const std::regex kLink("http://127\\.0\\.0\\.1:[0-9]+(/[a-z]/[^ \n]+)");
  for (auto it = std::sregex_iterator(printed.begin(), printed.end(), kLink); it != std::sregex_iterator(); ++it) {
    links.push_back((*it)[1]);
  }
  ASSERT_EQ(links.size(), 4u) << printed;  // kiosk set-up, two invitations, the open link
  EXPECT_NE(links[0].find("/setup?secret="), std::string::npos);
  EXPECT_EQ(HttpGetStatus(port, links[0]), 303);  // sets the kiosk cookie
  EXPECT_EQ(HttpGetStatus(port, links[1]), 200);
  EXPECT_EQ(HttpGetStatus(port, links[2]), 200);
  EXPECT_EQ(HttpGetStatus(port, links[3]), 303);  // a new open-link form instance
  EXPECT_EQ(HttpGetStatus(port, "/admin/login"), 200);

  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  while (std::fgets(line, sizeof line, from) != nullptr) printed += line;
  std::fclose(from);
  EXPECT_NE(printed.find("Stopping"), std::string::npos) << printed;
}

}  // namespace
}  // namespace tryghed::web
