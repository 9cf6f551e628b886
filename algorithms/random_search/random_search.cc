#include "algorithms/random_search/random_search.h"

#include "algorithms/common/distinct_sampler.h"

namespace nas {
namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "random_search",
    "Uniformly random architectures, without replacement",
    RandomSearch, RandomSearchParams);

}  // namespace

absl::StatusOr<std::unique_ptr<RandomSearch>> RandomSearch::New(
    const RandomSearchParams& /*params*/) {
  return std::unique_ptr<RandomSearch>(new RandomSearch());
}

absl::Status RandomSearch::Run(Oracle& oracle, Rng& rng) {
  DistinctSampler sampler(oracle.space());
  while (std::optional<Architecture> arch = sampler.Next(rng)) {
    absl::StatusOr<Observation> obs = oracle.Query(*arch);
    if (IsBudgetExhausted(obs.status())) return absl::OkStatus();
    if (!obs.ok()) return obs.status();
  }
  return absl::OkStatus();  // Every architecture has been queried.
}

}  // namespace nas
