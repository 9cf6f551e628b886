// Builds (tests/visibility_check.sh): what every algorithm package uses.
#include "algorithms/algorithm.h"
#include "algorithms/common/distinct_sampler.h"
#include "spaces/search_space.h"

namespace nas {

absl::Status QueryOneSample(Oracle& oracle, Rng& rng) {
  DistinctSampler sampler(oracle.space());
  const std::optional<Architecture> arch = sampler.Next(rng);
  if (!arch) return absl::OkStatus();
  return oracle.Query(*arch).status();
}

}  // namespace nas
