// `tryghed serve --config FILE`: the properties file, and the termination
// signals of the serving process.
#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <csignal>
#include <fstream>
#include <functional>
#include <set>

#include "web/server.h"

namespace tryghed::web {

namespace {

void CollectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& root,
                 std::vector<std::string>& out) {
  Poco::Util::AbstractConfiguration::Keys keys;
  config.keys(root, keys);
  if (keys.empty() && !root.empty()) out.push_back(root);
  for (const std::string& k : keys) CollectKeys(config, root.empty() ? k : root + "." + k, out);
}

}  // namespace

core::Result<ServeSettings> LoadServeSettings(const std::string& path, ServeSettings base) {
  if (!std::ifstream(path).good()) return core::NotFound("cannot read the settings file " + path);
  Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config;
  try {
    config = new Poco::Util::PropertyFileConfiguration(path);
  } catch (const Poco::Exception& e) {
    return core::InvalidInput(path + ": " + e.displayText());
  }
  ServerOptions& o = base.server;
  const std::map<std::string, std::function<void(const std::string&)>> setters = {
      {"store.db", [&](const std::string& k) { base.db = config->getString(k); }},
      {"server.host", [&](const std::string& k) { o.host = config->getString(k); }},
      {"server.port", [&](const std::string& k) { o.port = config->getInt(k); }},
      {"server.threads", [&](const std::string& k) { o.threads = config->getInt(k); }},
      {"server.max_queued", [&](const std::string& k) { o.max_queued = config->getInt(k); }},
      {"server.max_connections_per_client",
       [&](const std::string& k) { o.max_connections_per_client = config->getInt(k); }},
      {"server.shutdown_grace_seconds", [&](const std::string& k) { o.shutdown_grace_seconds = config->getInt(k); }},
      {"form.max_body_bytes",
       [&](const std::string& k) { o.max_body_bytes = static_cast<std::size_t>(config->getUInt(k)); }},
      {"form.ttl_minutes", [&](const std::string& k) { o.form_ttl_minutes = config->getInt(k); }},
      {"form.max_forms", [&](const std::string& k) { o.max_forms = config->getInt(k); }},
      {"kiosk.idle_seconds", [&](const std::string& k) { o.kiosk_idle_seconds = config->getInt(k); }},
      {"kiosk.min_interval_seconds", [&](const std::string& k) { o.kiosk_min_interval_seconds = config->getInt(k); }},
      {"kiosk.thanks_seconds", [&](const std::string& k) { o.kiosk_thanks_seconds = config->getInt(k); }},
      {"rate_limit.per_minute", [&](const std::string& k) { o.rate_limit_per_minute = config->getInt(k); }},
      {"cookies.secure", [&](const std::string& k) { o.secure_cookies = config->getBool(k); }},
      {"admin.idle_minutes", [&](const std::string& k) { o.admin_idle_seconds = config->getInt(k) * 60; }},
      {"admin.max_hours", [&](const std::string& k) { o.admin_max_seconds = config->getInt(k) * 3600; }},
  };
  std::vector<std::string> keys;
  CollectKeys(*config, "", keys);
  for (const std::string& key : keys) {
    auto it = setters.find(key);
    if (it == setters.end()) {
      std::string known;
      for (const auto& [name, setter] : setters) known += (known.empty() ? "" : ", ") + name;
      return core::InvalidInput(path + ": unknown setting '" + key + "'; the settings are " + known);
    }
    try {
      it->second(key);
    } catch (const Poco::Exception& e) {
      return core::InvalidInput(path + ": setting '" + key + "' = '" + config->getRawString(key, "") +
                                "' is not of the right kind (" + e.displayText() + ")");
    }
  }
  return base;
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

}  // namespace tryghed::web
