#include "core/random.h"

#include <cmath>

#include "absl/numeric/int128.h"

namespace nas {
namespace {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr double kTwoPi = 6.283185307179586476925286766559;

}  // namespace

uint64_t StableHash(absl::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return SplitMix64(&h);
}

uint64_t HashCombine(uint64_t seed, uint64_t value) {
  uint64_t state =
      seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
  return SplitMix64(&state);
}

Rng::Rng(uint64_t seed) {
  uint64_t sm = seed;
  for (uint64_t& word : state_) word = SplitMix64(&sm);
}

uint64_t Rng::NextU64() { return NextU64On(state_); }

// Lemire's multiply-shift with rejection.
uint64_t Rng::UniformInt(uint64_t n) { return UniformIntOn(state_, n); }

int64_t Rng::UniformIntInRange(int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<int64_t>(NextU64());
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + UniformInt(span + 1));
}

double Rng::UniformDouble() {
  return static_cast<double>(NextU64() >> 11) * 0x1.0p-53;
}

bool Rng::Bernoulli(double p) { return UniformDouble() < p; }

double Rng::Normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  // 1 - U lies in (0, 1], so the logarithm is finite.
  const double radius = std::sqrt(-2.0 * std::log(1.0 - UniformDouble()));
  const double angle = kTwoPi * UniformDouble();
  spare_normal_ = radius * std::sin(angle);
  has_spare_normal_ = true;
  return radius * std::cos(angle);
}

Rng Rng::Fork(uint64_t stream_id) const {
  uint64_t seed = HashCombine(state_[0] ^ Rotl(state_[2], 17), stream_id);
  return Rng(HashCombine(seed, state_[1] ^ state_[3]));
}

}  // namespace nas
