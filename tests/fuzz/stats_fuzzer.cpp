// Fuzz target: `tryghed stats`, its argument parsing and its CSV reading,
// through the program's own entry point (cli/app.h: Main) as a user would
// run it.
//
// Input: the first line is the command line after `tryghed stats`, split at
// spaces; the rest is the data file. When the rest holds a line "#margins",
// what follows it is a margins file. The words @data and @margins in the
// command line stand for the two files (written to a temporary folder);
// any other word with a '/' is dropped, so nothing outside that folder is
// read. Inputs that ask for more than 200 replicates are skipped (slow, not
// wrong), as is alpha's bootstrap without --replicate-count (2000).
//
// Checks, beyond "does not crash":
// * the exit code is 0 or 2 (usage/input); 3 would be an internal error such
//   as an escaped exception;
// * a failure prints a message on stderr and nothing on stdout;
// * a success prints one JSON object {"estimates":[...]} whose every
//   estimate is a number (never null: no silent NaN), every se is null or
//   >= 0, and every interval has ci_lower <= ci_upper.
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/app.h"
#include "core/file.h"
#include "fuzz_util.h"

namespace {

[[noreturn]] void Fail(const std::string& what, const std::string& args) {
  tryghed::fuzz::Fail("stats_fuzzer", what + "\n  arguments:" + args);
}

const std::filesystem::path& Folder() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "tryghed-stats-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "stats_fuzzer: cannot make a temporary folder\n";
      std::abort();
    }
    std::atexit([] { std::filesystem::remove_all(Folder()); });
    return std::filesystem::path(pattern);
  }();
  return dir;
}

void Write(const std::filesystem::path& path, std::string_view text) {
  if (!tryghed::core::WriteFileAtomically(path.string(), std::string(text)).ok()) {
    std::cerr << "stats_fuzzer: cannot write " << path << "\n";
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t eol = input.find('\n');
  const std::string_view line = input.substr(0, eol);
  std::string_view rest = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
  std::string_view margins;
  if (const std::size_t m = rest.find("\n#margins\n"); m != std::string_view::npos) {
    margins = rest.substr(m + 10);
    rest = rest.substr(0, m + 1);
  }
  const std::string data_path = (Folder() / "data.csv").string();
  const std::string margins_path = (Folder() / "margins.csv").string();
  Write(data_path, rest);
  Write(margins_path, margins);

  std::vector<std::string> args = {"tryghed", "stats"};
  std::string shown;
  bool help = false, alpha = false, replicates = false, count = false;
  std::istringstream words{std::string(line)};
  for (std::string w; words >> w;) {
    if (w.find('\0') != std::string::npos) return 0;  // argv cannot hold a NUL
    if (w == "@data") w = data_path;
    else if (w == "@margins") w = margins_path;
    else if (w.find('/') != std::string::npos) continue;
    // --help, or -h alone or among clustered short flags (-xh): CLI11 prints help.
    const bool short_flags = w.size() > 1 && w[0] == '-' && w[1] != '-';
    if (w.rfind("--help", 0) == 0 || w == "--version" || (short_flags && w.find('h') != std::string::npos)) help = true;
    if (!args.empty() && (args.back() == "--replicate-count" || args.back().rfind("--replicate-count=", 0) == 0)) {
      if (w.size() > 3 || std::atoi(w.c_str()) > 200) return 0;
    }
    if (w.rfind("--replicate-count=", 0) == 0 && (w.size() > 21 || std::atoi(w.c_str() + 18) > 200)) return 0;
    alpha |= w == "alpha";
    replicates |= w.rfind("--replicates", 0) == 0;
    count |= w.rfind("--replicate-count", 0) == 0;
    shown += " " + w;
    args.push_back(std::move(w));
  }
  if (args.size() > 40) return 0;
  if (alpha && replicates && !count) return 0;  // alpha's bootstrap defaults to 2000 replicates

  std::ostringstream out, err;
  const int code = tryghed::cli::Main(args, out, err);
  if (code != 0 && code != 2) Fail("exit code " + std::to_string(code) + ": " + err.str(), shown);
  if (help) return 0;
  if (code != 0) {
    if (err.str().empty()) Fail("a failure without a message", shown);
    if (!out.str().empty()) Fail("a failure that printed results", shown);
    return 0;
  }
  rapidjson::Document doc;
  doc.Parse(out.str().c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("estimates") || !doc["estimates"].IsArray()) {
    Fail("the output is not {\"estimates\":[...]}: " + out.str(), shown);
  }
  for (const auto& e : doc["estimates"].GetArray()) {
    if (!e.IsObject() || !e.HasMember("estimate") || !e["estimate"].IsNumber()) {
      Fail("an estimate that is not a number (a silent NaN): " + out.str(), shown);
    }
    if (e.HasMember("se") && e["se"].IsNumber() && !(e["se"].GetDouble() >= 0)) Fail("a negative se", shown);
    if (e.HasMember("ci_lower") && e.HasMember("ci_upper") && e["ci_lower"].IsNumber() && e["ci_upper"].IsNumber() &&
        !(e["ci_lower"].GetDouble() <= e["ci_upper"].GetDouble())) {
      Fail("ci_lower > ci_upper: " + out.str(), shown);
    }
  }
  return 0;
}
