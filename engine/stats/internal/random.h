#pragma once
// Internal to tryghed::stats: the seeded random numbers of the bootstrap
// (replicate weights, bootstrap of alpha). Replicate r of a seeded
// computation draws from Xoshiro256(SplitMix64(seed XOR SplitMix64(r))), so
// its numbers depend only on (seed, r): never on threads or the platform.
#include <cstdint>

namespace tryghed::stats::internal {

// SplitMix64 (Steele, Lea & Flood 2014): turns (seed, replicate) into the
// state of that replicate's generator.
inline std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// xoshiro256++ (Blackman & Vigna 2021): a small, fast generator with a
// fully specified output, the same on every platform. The four state words
// are SplitMix64 of seed_word, seed_word + 1, + 2, + 3.
class Xoshiro256 {
 public:
  explicit Xoshiro256(std::uint64_t seed_word) {
    for (std::uint64_t k = 0; k < 4; ++k) s_[k] = SplitMix64(seed_word + k);
  }
  std::uint64_t operator()() {
    const std::uint64_t result = Rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// A uniform integer in [0, bound) by Lemire's multiply-and-reject method
// (ACM TOMACS 2019), identical on every platform (std::uniform_int_distribution
// is not specified exactly) and without a division in the common case.
__extension__ typedef unsigned __int128 Uint128;  // GCC and Clang

inline std::uint64_t Below(Xoshiro256& rng, std::uint64_t bound) {
  Uint128 m = static_cast<Uint128>(rng()) * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
    while (low < threshold) {
      m = static_cast<Uint128>(rng()) * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

// The generator of replicate r of a computation seeded with `seed`.
inline Xoshiro256 ReplicateGenerator(std::uint64_t seed, std::uint64_t r) {
  return Xoshiro256(SplitMix64(seed ^ SplitMix64(r)));
}

}  // namespace tryghed::stats::internal
