// Successive halving over the oracle's fidelities, repeated bracket after
// bracket (fresh random architectures each time, never one drawn before)
// until the budget or the space runs out, run by the shared BracketSearch
// (algorithms/common/successive_halving_bracket.h). With a single fidelity
// it is random search without replacement.

#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/successive_halving_bracket.h"
#include "algorithms/successive_halving/successive_halving.pb.h"

namespace nas {
namespace {

absl::StatusOr<std::unique_ptr<Algorithm>> NewSuccessiveHalving(
    const SuccessiveHalvingParams& params) {
  if (params.num_configs() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("successive_halving: num_configs is ",
                     params.num_configs(), "; it must be >= 0 (0: eta^s_max)"));
  }
  BracketSearchOptions options =
      BracketSearchOptionsFrom("successive_halving", params);
  options.schedule = [num_configs = params.num_configs()](
                         double max_budget_ratio, int eta, RungAnchor anchor) {
    return std::vector<Bracket>{
        SuccessiveHalvingBracket(max_budget_ratio, eta, anchor, num_configs)};
  };
  return NewBracketSearch(std::move(options));
}

NAS_REGISTER_ALGORITHM_FUNCTION(
    "successive_halving",
    "Successive halving over the objective's fidelities (eta 3): random "
    "architectures at the cheapest, the best third promoted per rung",
    SuccessiveHalvingParams, NewSuccessiveHalving);

}  // namespace
}  // namespace nas
