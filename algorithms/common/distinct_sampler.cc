#include "algorithms/common/distinct_sampler.h"

#include <limits>

namespace nas {

DistinctSampler::DistinctSampler(const SearchSpace& space, int max_rejections)
    : space_(space),
      max_rejections_(max_rejections),
      indexable_(space.IsIndexable()),
      bitmap_(indexable_ && space.Size() <= kMaxBitmapArchitectures) {
  if (indexable_) remaining_ = static_cast<int64_t>(space.Size());
  if (bitmap_) seen_bits_.assign((remaining_ + 63) / 64, 0);
  // Room for the lazy shuffle's swapped slots of a typical search (a few
  // hundred draws) without regrowing.
  if (indexable_) permuted_.reserve(256);
}

bool DistinctSampler::HasNoBit(const Architecture& arch) const {
  // An algorithm may mark or ask about an architecture the oracle will
  // refuse. Next() never returns one, so there is nothing to remember; and
  // its ToIndex (or Hash) may read outside the space's tables, or fall on a
  // valid architecture's index. IsValid is the space's cheap check.
  return !space_.IsValid(arch);
}

bool DistinctSampler::InsertBit(uint64_t index) {
  uint64_t& word = seen_bits_[index / 64];
  const uint64_t bit = uint64_t{1} << (index % 64);
  if (word & bit) return false;
  word |= bit;
  ++num_seen_;
  return true;
}

bool DistinctSampler::Insert(const Architecture& arch) {
  if (!bitmap_) {
    const bool inserted = seen_.insert(space_.Hash(arch)).second;
    num_seen_ += inserted;
    return inserted;
  }
  if (HasNoBit(arch)) return false;
  return InsertBit(static_cast<uint64_t>(space_.ToIndex(arch)));
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
      const int64_t index = SlotValue(slot);
      const int64_t last = remaining_ - 1;
      permuted_[slot] = SlotValue(last);
      permuted_.erase(last);
      --remaining_;
      if (bitmap_) {
        // FromIndex gives a valid architecture: its bit is its index.
        if (InsertBit(static_cast<uint64_t>(index))) {
          return space_.FromIndex(index);
        }
        continue;
      }
      Architecture arch = space_.FromIndex(index);
      if (Insert(arch)) return arch;
    }
    return std::nullopt;
  }
  for (int attempt = 0; attempt < max_rejections_; ++attempt) {
    Architecture arch = space_.Sample(rng);
    if (Insert(arch)) return arch;
  }
  return std::nullopt;
}

bool DistinctSampler::MarkSeen(const Architecture& arch) {
  if (!bitmap_) return Insert(arch);
  if (HasNoBit(arch)) return true;  // Never seen, never recorded.
  return InsertBit(static_cast<uint64_t>(space_.ToIndex(arch)));
}

bool DistinctSampler::Seen(const Architecture& arch) const {
  if (!bitmap_) return seen_.contains(space_.Hash(arch));
  if (HasNoBit(arch)) return false;
  const uint64_t index = static_cast<uint64_t>(space_.ToIndex(arch));
  return (seen_bits_[index / 64] >> (index % 64)) & 1;
}

}  // namespace nas
