#ifndef NASBENCH_CORE_RANDOM_H_
#define NASBENCH_CORE_RANDOM_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/string_view.h"

namespace nas {

// Stable 64-bit hash of bytes (FNV-1a followed by a SplitMix64 finaliser).
// Used to derive random streams from names, so it must never change: results
// stored by one build are compared with results of the next.
uint64_t StableHash(absl::string_view bytes);

// Combines two 64-bit values into one, order-sensitively (stable, like above).
uint64_t HashCombine(uint64_t seed, uint64_t value);

// A seeded pseudo-random stream (xoshiro256**, state seeded by SplitMix64).
//
// Every draw a result can depend on goes through this class: std::
// distributions differ between standard libraries and absl::BitGen is
// non-deterministic by design, so neither may be used for results. All
// derived draws (integers in a range, doubles, shuffles, normals) are
// implemented here with fixed algorithms, so a seed gives the same stream on
// every platform.
//
// Thread-compatible, not thread-safe: give each thread (each matrix cell) its
// own stream, derived with Fork().
class Rng {
 public:
  explicit Rng(uint64_t seed);

  uint64_t NextU64();

  // Uniform in [0, n); n > 0. Lemire's multiply-shift with rejection: exact.
  uint64_t UniformInt(uint64_t n);

  // Uniform in [lo, hi] inclusive; lo <= hi.
  int64_t UniformIntInRange(int64_t lo, int64_t hi);

  // Uniform in [0, 1) with 53 random bits.
  double UniformDouble();

  // True with probability p.
  bool Bernoulli(double p);

  // Standard normal (Box-Muller; the spare value is cached).
  double Normal();

  // Fisher-Yates, back to front. The draws are UniformInt's, inlined, on a
  // copy of the state held in registers: a local search shuffles every
  // neighbourhood, and the state's round trip through memory at every draw
  // (a store-to-load chain) costs more than the draw.
  template <typename T>
  void Shuffle(std::vector<T>* values) {
    uint64_t state[4] = {state_[0], state_[1], state_[2], state_[3]};
    T* data = values->data();
    for (size_t i = values->size(); i > 1; --i) {
      const size_t j = static_cast<size_t>(UniformIntOn(state, i));
      std::swap(data[i - 1], data[j]);
    }
    for (int k = 0; k < 4; ++k) state_[k] = state[k];
  }

  // An independent stream identified by `stream_id`; does not advance this one.
  Rng Fork(uint64_t stream_id) const;

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  // The bodies of NextU64 and UniformInt, on a given state: inlined by
  // callers, which may hold the state in registers.
  static uint64_t NextU64On(uint64_t (&state)[4]) {
    const uint64_t result = Rotl(state[1] * 5, 7) * 9;
    const uint64_t t = state[1] << 17;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= t;
    state[3] = Rotl(state[3], 45);
    return result;
  }
  static uint64_t UniformIntOn(uint64_t (&state)[4], uint64_t n) {
    absl::uint128 m = absl::uint128(NextU64On(state)) * n;
    uint64_t low = absl::Uint128Low64(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = absl::uint128(NextU64On(state)) * n;
        low = absl::Uint128Low64(m);
      }
    }
    return absl::Uint128High64(m);
  }

  uint64_t state_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace nas

#endif  // NASBENCH_CORE_RANDOM_H_
