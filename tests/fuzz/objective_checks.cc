#include "tests/fuzz/objective_checks.h"

#include <cmath>

#include "core/random.h"
#include "tests/fuzz/fuzz_util.h"

namespace nas {
namespace fuzz {

void CheckLoaded(const absl::Status& status, const Objective* objective,
                 absl::string_view input) {
  if (!status.ok()) {
    Require(status.code() == absl::StatusCode::kInvalidArgument &&
                !status.message().empty(),
            "a bad table is InvalidArgument with a message", input);
    return;
  }
  Require(!objective->fidelities().empty(), "at least one fidelity", input);
  const SearchSpace& space = objective->space();
  if (!space.IsIndexable()) return;
  Rng noise(/*seed=*/1);
  const int64_t size = static_cast<int64_t>(space.Size());
  for (int64_t index = 0; index < size; ++index) {
    for (int f = 0; f < static_cast<int>(objective->fidelities().size()); ++f) {
      const Evaluation e =
          objective->Evaluate(space.FromIndex(index), f, &noise);
      Require(std::isfinite(e.valid_error) && std::isfinite(e.test_error) &&
                  std::isfinite(e.cost_seconds) && e.cost_seconds >= 0,
              "evaluations are finite, costs non-negative", input);
    }
  }
}

}  // namespace fuzz
}  // namespace nas
