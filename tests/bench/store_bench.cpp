// The store's submission path alone, without HTTP (docs/benchmarks.md,
// "Resident form"): SubmitResponses of a group of G submissions, each with a
// form key and 21 answers (20 codes and a number), as one group commit of
// `tryghed serve` writes them, on a SQLite file
//   - on disk (TMPDIR, else /tmp): every commit is one fsync of the WAL;
//   - in /dev/shm (tmpfs): fsync returns at once, so what remains is the
//     writer's CPU (Poco::Data, SQLite).
// BM_SubmitResponseThreads: 64 threads calling SubmitResponse at once, the
// group commit forming groups by itself, as request threads do.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/sha256.h"
#include "store/store.h"

namespace {

namespace store = tryghed::store;
namespace core = tryghed::core;

// A fresh database with one open wave; the file is removed when it goes.
struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<store::Store> db;
  store::ResponseMeta meta;
  long next_key = 0;

  explicit Fixture(bool tmpfs) {
    const char* tmp = std::getenv("TMPDIR");
    const std::filesystem::path base = tmpfs ? "/dev/shm" : (tmp != nullptr ? tmp : "/tmp");
    dir = base / ("tryghed-store-bench-" + std::to_string(::getpid()) + (tmpfs ? "-shm" : "-disk"));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto opened = store::Store::Open((dir / "bench.db").string());
    if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
    db = std::move(opened).value();
    const std::string json = R"({"id":"bench"})";
    const store::Id study = *db->CreateStudy("bench", "");
    const store::Id area = *db->AddArea(study, "area", store::AreaRole::kPilot, 1000);
    const store::Id qv = *db->AddQuestionnaireVersion(json, core::Sha256Hex(json));
    const store::Id wave = *db->CreateWave(study, "wave", "2026-01-01", "2026-12-31", qv);
    if (!db->OpenWave(wave).ok()) throw std::runtime_error("cannot open the wave");
    meta.wave_id = wave;
    meta.area_id = area;
    meta.channel = store::Channel::kOpen;
    meta.language = "da";
    meta.questionnaire_version_id = qv;
  }
  ~Fixture() {
    db.reset();
    std::filesystem::remove_all(dir);
  }

  store::Submission Next(long n) {
    core::Answers answers;
    for (int i = 0; i < 20; ++i) answers["T" + std::to_string(i + 1)] = core::Code{1 + (n + i) % 5};
    answers["age"] = static_cast<double>(18 + n % 70);
    return {meta, answers, std::nullopt, "bench-form-" + std::to_string(n)};
  }
};

void BM_SubmitResponses(benchmark::State& state) {
  const bool tmpfs = state.range(0) == 1;
  const auto group = static_cast<std::size_t>(state.range(1));
  Fixture f(tmpfs);
  std::vector<store::Submission> batch(group);
  for (auto _ : state) {
    state.PauseTiming();
    for (auto& s : batch) s = f.Next(f.next_key++);
    state.ResumeTiming();
    auto out = f.db->SubmitResponses(batch);
    for (const auto& r : out) {
      if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * group));
  state.SetLabel(tmpfs ? "tmpfs (no fsync)" : "disk (fsync)");
}
BENCHMARK(BM_SubmitResponses)
    ->ArgNames({"tmpfs", "group"})
    ->ArgsProduct({{0, 1}, {1, 16, 64, 256}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

std::unique_ptr<Fixture> shared_fixture;
std::mutex shared_mu;
long shared_next = 0;

void BM_SubmitResponseThreads(benchmark::State& state) {
  if (state.thread_index() == 0) shared_fixture = std::make_unique<Fixture>(state.range(0) == 1);
  // Google Benchmark starts every thread's loop together, after thread 0's set-up above.
  for (auto _ : state) {
    store::Submission s;
    {
      std::lock_guard lock(shared_mu);
      s = shared_fixture->Next(shared_next++);
    }
    auto r = shared_fixture->db->SubmitResponse(s.meta, s.answers, s.token_hash, s.idempotency_key);
    if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    state.SetLabel(state.range(0) == 1 ? "tmpfs (no fsync)" : "disk (fsync)");
  }
}
BENCHMARK(BM_SubmitResponseThreads)->ArgName("tmpfs")->Arg(0)->Arg(1)->Threads(64)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
