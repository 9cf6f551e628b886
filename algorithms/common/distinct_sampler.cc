#include "algorithms/common/distinct_sampler.h"

#include <limits>

namespace nas {

DistinctSampler::DistinctSampler(const SearchSpace& space, int max_rejections)
    : space_(space),
      max_rejections_(max_rejections),
      indexable_(space.IsIndexable()),
      bitmap_(indexable_ && space.Size() <= kMaxBitmapArchitectures) {
  if (indexable_) remaining_ = static_cast<int64_t>(space.Size());
  // resize, not assign(n, 0): value-initialised words are one memset.
  if (bitmap_) seen_bits_.resize((remaining_ + 63) / 64);
  // Room for the lazy shuffle's swapped slots of a typical search (a few
  // hundred draws) without regrowing.
  if (indexable_) permuted_.reserve(256);
}

bool DistinctSampler::InsertHash(const Architecture& arch) {
  const bool inserted = seen_.insert(space_.Hash(arch)).second;
  num_seen_ += inserted;
  return inserted;
}

int64_t DistinctSampler::SlotValue(int64_t slot) const {
  auto it = permuted_.find(slot);
  return it == permuted_.end() ? slot : it->second;
}

std::optional<Architecture> DistinctSampler::Next(Rng& rng) {
  if (indexable_) {
    // Indices marked seen by MarkSeen are still in the pool; skip them as
    // they come up. Each step removes one slot, so this terminates.
    while (remaining_ > 0) {
      const int64_t slot =
          static_cast<int64_t>(rng.UniformInt(static_cast<uint64_t>(remaining_)));
      // Swap slot with the last one. The last slot's entry is not erased:
      // it is never read again (slots only shrink), and erasing would not
      // bound the map better (each draw adds at most one entry either way).
      const auto [it, inserted] = permuted_.try_emplace(slot, slot);
      const int64_t index = it->second;
      --remaining_;
      // A look-up does not rehash, so `it` stays valid.
      it->second = SlotValue(remaining_);
      if (bitmap_) {
        // FromIndex gives a valid architecture: its bit is its index.
        if (InsertBit(static_cast<uint64_t>(index))) {
          return space_.FromIndex(index);
        }
        continue;
      }
      Architecture arch = space_.FromIndex(index);
      if (InsertHash(arch)) return arch;
    }
    return std::nullopt;
  }
  for (int attempt = 0; attempt < max_rejections_; ++attempt) {
    Architecture arch = space_.Sample(rng);
    if (InsertHash(arch)) return arch;
  }
  return std::nullopt;
}

bool DistinctSampler::Seen(const Architecture& arch) const {
  if (!bitmap_) return seen_.contains(space_.Hash(arch));
  const int64_t index = space_.IndexIfValid(arch);
  return index >= 0 && ((seen_bits_[index / 64] >> (index % 64)) & 1);
}

}  // namespace nas
