#ifndef NASBENCH_ALGORITHMS_COMMON_DISTINCT_SAMPLER_H_
#define NASBENCH_ALGORITHMS_COMMON_DISTINCT_SAMPLER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/architecture.h"
#include "core/random.h"
#include "spaces/search_space.h"

namespace nas {

// Draws random architectures that have not been drawn or marked before:
// sampling without replacement, which random search and the restarts of
// local search need.
//
// On indexable spaces it is exact: a lazy Fisher-Yates shuffle of the index
// range (a hash map holds only the swapped slots), so every draw is uniform
// over the architectures not yet drawn and the sampler knows when none are
// left. On other spaces it rejects already-seen samples of
// SearchSpace::Sample and gives up after `max_rejections` in a row (a space
// of ~10^18 never gets there).
//
// The seen set of an indexable space of up to kMaxBitmapArchitectures is a
// bitmap over its indices (2 KB for NAS-Bench-201): a search then costs no
// hashing and no allocation per query. Which architectures come out, in
// which order, does not depend on the representation.
class DistinctSampler {
 public:
  explicit DistinctSampler(const SearchSpace& space,
                           int max_rejections = 100000);

  // A fresh architecture (now marked seen), or nullopt when none is left.
  std::optional<Architecture> Next(Rng& rng);

  // Marks `arch` (valid, canonical) as seen so Next() never returns it;
  // false if it was seen already (one look-up where Seen() then MarkSeen()
  // would take two). On a bitmap space an invalid `arch` is ignored (never
  // Seen, so this returns true).
  // Inline on a bitmap space: local search marks every neighbour it tries.
  bool MarkSeen(const Architecture& arch) {
    if (!bitmap_) return InsertHash(arch);
    // An algorithm may mark an architecture the oracle will refuse. Next()
    // never returns one, so there is nothing to remember (it is never
    // seen); and its ToIndex may read outside the space's tables, or fall
    // on a valid architecture's index: IndexIfValid checks first.
    const int64_t index = space_.IndexIfValid(arch);
    return index < 0 || InsertBit(static_cast<uint64_t>(index));
  }
  bool Seen(const Architecture& arch) const;
  int64_t num_seen() const { return num_seen_; }

  static constexpr uint64_t kMaxBitmapArchitectures = uint64_t{1} << 24;

 private:
  int64_t SlotValue(int64_t slot) const;
  // Adds `arch`'s space hash to the seen set (spaces without a bitmap);
  // false if it was there already.
  bool InsertHash(const Architecture& arch);
  bool InsertBit(uint64_t index) {
    uint64_t& word = seen_bits_[index / 64];
    const uint64_t bit = uint64_t{1} << (index % 64);
    if (word & bit) return false;
    word |= bit;
    ++num_seen_;
    return true;
  }

  const SearchSpace& space_;
  const int max_rejections_;
  const bool indexable_;
  // Lazy Fisher-Yates state: slots [0, remaining_) hold undrawn indices;
  // slot i < remaining_ holds permuted_[i] if present, else i (entries of
  // slots past remaining_ are stale and never read).
  int64_t remaining_ = 0;
  absl::flat_hash_map<int64_t, int64_t> permuted_;
  const bool bitmap_;
  std::vector<uint64_t> seen_bits_;     // Bit i: index i seen (bitmap_).
  absl::flat_hash_set<uint64_t> seen_;  // Space hashes (otherwise).
  int64_t num_seen_ = 0;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_COMMON_DISTINCT_SAMPLER_H_
