#pragma once
// Internal to tryghed::stats: a deterministic parallel loop for replicate
// computations (bootstrap and jackknife replicates, bootstrap of alpha).
// Every index is computed by exactly one thread and writes only its own
// outputs, so results never depend on the number of threads.
#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace tryghed::stats::internal {

// `requested`, or the number of hardware threads when 0.
inline unsigned ThreadCount(unsigned requested) {
  if (requested > 0) return requested;
  const unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : hc;
}

// Runs body(r) for r in [0, count) on `threads` threads, each taking one
// contiguous block; every r is computed by exactly one thread and writes only
// its own outputs, so results do not depend on the number of threads.
template <typename Body>
inline void ParallelFor(std::size_t count, unsigned threads, Body body) {
  const std::size_t t = std::min<std::size_t>(threads, std::max<std::size_t>(count, 1));
  if (t <= 1) {
    for (std::size_t r = 0; r < count; ++r) body(r);
    return;
  }
  std::vector<std::jthread> pool;
  pool.reserve(t);
  for (std::size_t k = 0; k < t; ++k) {
    const std::size_t begin = count * k / t, end = count * (k + 1) / t;
    pool.emplace_back([begin, end, &body] {
      for (std::size_t r = begin; r < end; ++r) body(r);
    });
  }
}

}  // namespace tryghed::stats::internal
