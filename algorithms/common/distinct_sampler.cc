#include "algorithms/common/distinct_sampler.h"

#include <limits>

namespace nas {

DistinctSampler::DistinctSampler(const SearchSpace& space, int max_rejections)
    : space_(space),
      max_rejections_(max_rejections),
      indexable_(space.IsIndexable()) {
  if (indexable_) remaining_ = static_cast<int64_t>(space.Size());
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
      Architecture arch = space_.FromIndex(index);
      if (seen_.insert(space_.Hash(arch)).second) return arch;
    }
    return std::nullopt;
  }
  for (int attempt = 0; attempt < max_rejections_; ++attempt) {
    Architecture arch = space_.Sample(rng);
    if (seen_.insert(space_.Hash(arch)).second) return arch;
  }
  return std::nullopt;
}

void DistinctSampler::MarkSeen(const Architecture& arch) {
  seen_.insert(space_.Hash(arch));
}

bool DistinctSampler::Seen(const Architecture& arch) const {
  return seen_.contains(space_.Hash(arch));
}

}  // namespace nas
