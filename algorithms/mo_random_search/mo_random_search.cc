#include "algorithms/mo_random_search/mo_random_search.h"

#include "algorithms/common/distinct_sampler.h"

namespace nas {
namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "mo_random_search",
    "Multi-objective random search: random architectures without "
    "replacement, archive of the non-dominated (validation error and "
    "visible metrics)",
    MoRandomSearch, MoRandomSearchParams);

}  // namespace

absl::StatusOr<std::unique_ptr<MoRandomSearch>> MoRandomSearch::New(
    const MoRandomSearchParams& params) {
  return std::unique_ptr<MoRandomSearch>(new MoRandomSearch(params));
}

absl::Status MoRandomSearch::Run(Oracle& oracle, Rng& rng) {
  absl::StatusOr<ObjectiveSelection> selection = StartRun(oracle);
  if (!selection.ok()) return selection.status();
  DistinctSampler sampler(oracle.space());
  while (std::optional<Architecture> arch = sampler.Next(rng)) {
    absl::StatusOr<Observation> seen = oracle.Query(*arch);
    if (!seen.ok()) return FinishRun(seen.status());
    front_.Insert(*arch, selection->Of(*seen));
  }
  return absl::OkStatus();  // Every architecture has been queried.
}

}  // namespace nas
