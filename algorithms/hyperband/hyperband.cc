// Hyperband: the brackets of HyperbandSchedule() (algorithms/common/
// successive_halving_bracket.h) in order s = s_max .. 0, then again from
// s_max, until the budget or the space runs out, run by the shared
// BracketSearch. With a single fidelity (R = 1) every bracket is one random
// architecture: random search without replacement.

#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/successive_halving_bracket.h"
#include "algorithms/hyperband/hyperband.pb.h"

namespace nas {
namespace {

absl::StatusOr<std::unique_ptr<Algorithm>> NewHyperband(
    const HyperbandParams& params) {
  BracketSearchOptions options = BracketSearchOptionsFrom("hyperband", params);
  options.schedule = &HyperbandSchedule;
  return NewBracketSearch(std::move(options));
}

NAS_REGISTER_ALGORITHM_FUNCTION(
    "hyperband",
    "Hyperband (Li et al. 2018, eta 3): successive-halving brackets over the "
    "objective's fidelities, repeated until the budget ends",
    HyperbandParams, NewHyperband);

}  // namespace
}  // namespace nas
