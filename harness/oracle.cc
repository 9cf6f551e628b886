#include "harness/oracle.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nas {

BudgetedOracle::BudgetedOracle(const Objective& objective, BudgetLimits limits,
                               Rng noise)
    : objective_(objective), limits_(limits), noise_(noise) {}

int BudgetedOracle::num_fidelities() const {
  return static_cast<int>(objective_.fidelities().size());
}

double BudgetedOracle::fidelity_epochs(int fidelity) const {
  return objective_.fidelities()[fidelity].epochs;
}

bool BudgetedOracle::exhausted() const {
  return queries_used() >= limits_.queries || seconds_used_ >= limits_.seconds;
}

absl::StatusOr<Observation> BudgetedOracle::Query(const Architecture& arch,
                                                  int fidelity) {
  if (exhausted()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "budget spent after ", queries_used(), " queries and ", seconds_used_,
        " simulated seconds"));
  }
  const SearchSpace& space = objective_.space();
  if (absl::Status valid = space.Validate(arch); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the algorithm queried an invalid architecture ", arch.DebugString(),
        ": ", valid.message()));
  }
  if (!(space.Canonicalize(arch) == arch)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the algorithm queried a non-canonical architecture ",
        arch.DebugString(), "; pass it through SearchSpace::Canonicalize"));
  }
  const int num = num_fidelities();
  if (fidelity == kFullFidelity) fidelity = num - 1;
  if (fidelity < 0 || fidelity >= num) {
    return absl::InvalidArgumentError(absl::StrCat(
        "fidelity ", fidelity, " is out of range; the objective has ", num));
  }
  QueryRecord record;
  record.arch = arch;
  record.fidelity = fidelity;
  record.evaluation = objective_.Evaluate(
      arch, fidelity, objective_.is_noisy() ? &noise_ : nullptr);
  seconds_used_ += record.evaluation.cost_seconds;
  record.cumulative_seconds = seconds_used_;
  records_.push_back(record);
  return Observation{record.evaluation.valid_error,
                     record.evaluation.cost_seconds};
}

}  // namespace nas
