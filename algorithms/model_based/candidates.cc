#include "algorithms/model_based/candidates.h"

#include <algorithm>
#include <numeric>

#include "absl/container/flat_hash_set.h"

namespace nas {

constexpr int kParentPatience = 5;

std::vector<int> RankByError(absl::Span<const Evaluated> history) {
  std::vector<int> ranked(history.size());
  std::iota(ranked.begin(), ranked.end(), 0);
  std::sort(ranked.begin(), ranked.end(), [&](int a, int b) {
    if (history[a].valid_error != history[b].valid_error) {
      return history[a].valid_error < history[b].valid_error;
    }
    return history[a].order < history[b].order;
  });
  return ranked;
}

std::vector<Architecture> GenerateCandidates(
    const SearchSpace& space, absl::Span<const Evaluated> history,
    const std::function<bool(const Architecture&)>& is_queried,
    const CandidateOptions& options, Rng& rng) {
  std::vector<Architecture> candidates;
  absl::flat_hash_set<uint64_t> taken;
  auto offer = [&](const Architecture& arch) {
    if (is_queried(arch)) return;
    if (taken.insert(space.Hash(arch)).second) candidates.push_back(arch);
  };

  const std::vector<int> ranked = RankByError(history);
  const int per_parent =
      (options.num_candidates + options.num_parents - 1) / options.num_parents;
  const int max_parents = std::min<int>(
      static_cast<int>(ranked.size()), kParentPatience * options.num_parents);
  for (int p = 0; p < max_parents; ++p) {
    if (static_cast<int>(candidates.size()) >= options.num_candidates) break;
    const Architecture& parent = history[ranked[p]].arch;
    for (int i = 0; i < per_parent && static_cast<int>(candidates.size()) <
                                          options.num_candidates;
         ++i) {
      int steps = 1;
      if (options.max_mutation_steps > 1) {
        steps += static_cast<int>(rng.UniformInt(options.max_mutation_steps));
      }
      Architecture child = parent;
      for (int s = 0; s < steps; ++s) child = space.Mutate(child, rng);
      offer(child);
    }
  }

  const size_t target = candidates.size() + options.num_random;
  for (int attempt = 0;
       attempt < kParentPatience * options.num_random && candidates.size() < target;
       ++attempt) {
    offer(space.Sample(rng));
  }
  return candidates;
}

}  // namespace nas
