#ifndef NASBENCH_ALGORITHMS_MODEL_BASED_CANDIDATES_H_
#define NASBENCH_ALGORITHMS_MODEL_BASED_CANDIDATES_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/types/span.h"
#include "core/architecture.h"
#include "core/random.h"
#include "spaces/search_space.h"

namespace nas {

// One queried architecture.
struct Evaluated {
  Architecture arch;
  double valid_error = 0;
  int64_t order = 0;  // Query order: breaks ties towards the earlier query.
};

// BANANAS' acquisition optimiser ("mutation"): candidates are random
// mutations of the best architectures queried so far.
struct CandidateOptions {
  int num_candidates = 100;
  // The best `num_parents` architectures are mutated,
  // ceil(num_candidates / num_parents) times each. When duplicates or
  // already queried mutations leave fewer than num_candidates, the next best
  // architectures are mutated too, up to 5 * num_parents parents in all
  // (naszilla's patience factor).
  int num_parents = 10;
  // Each candidate is 1 .. max_mutation_steps (uniformly) successive
  // SearchSpace::Mutate() steps away from its parent.
  int max_mutation_steps = 1;
  // Uniformly random architectures added after the mutations
  // (naszilla's "mutation_random"); 0 for BANANAS' default.
  int num_random = 0;
};

// Distinct candidates (by space hash), none of which `is_queried`, in the
// order they were generated: mutations of the best parent first.
std::vector<Architecture> GenerateCandidates(
    const SearchSpace& space, absl::Span<const Evaluated> history,
    const std::function<bool(const Architecture&)>& is_queried,
    const CandidateOptions& options, Rng& rng);

// Indices into `history`, best (lowest valid_error, then earliest) first.
std::vector<int> RankByError(absl::Span<const Evaluated> history);

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_MODEL_BASED_CANDIDATES_H_
