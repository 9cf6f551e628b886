#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/successive_halving_bracket.h"
#include "algorithms/successive_halving/successive_halving.pb.h"

namespace nas {

// Successive halving over the oracle's fidelities, repeated bracket after
// bracket (fresh random architectures each time, never one drawn before)
// until the budget or the space runs out. Each query costs what the oracle
// charges for it (one query; the fidelity's simulated seconds); a promotion
// to the fidelity a configuration already has is free (its result is
// remembered). With a single fidelity it is random search without
// replacement. Run returns InvalidArgument when min_fidelity/max_fidelity
// do not fit the oracle.
class SuccessiveHalving : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<SuccessiveHalving>> New(
      const SuccessiveHalvingParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;
  absl::Status CheckBenchmark(const BenchmarkFacts& facts) const override;

 private:
  explicit SuccessiveHalving(const SuccessiveHalvingParams& params)
      : params_(params) {}

  SuccessiveHalvingParams params_;
};

namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "successive_halving",
    "Successive halving over the objective's fidelities (eta 3): random "
    "architectures at the cheapest, the best third promoted per rung",
    SuccessiveHalving, SuccessiveHalvingParams);

}  // namespace

absl::StatusOr<std::unique_ptr<SuccessiveHalving>> SuccessiveHalving::New(
    const SuccessiveHalvingParams& params) {
  if (params.eta() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("successive_halving: eta is ", params.eta(),
                     "; it must be at least 2 (the default is 3)"));
  }
  if (params.num_configs() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("successive_halving: num_configs is ",
                     params.num_configs(), "; it must be >= 0 (0: eta^s_max)"));
  }
  if (params.min_fidelity() < 0 || params.max_fidelity() < -1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "successive_halving: min_fidelity ", params.min_fidelity(),
        " / max_fidelity ", params.max_fidelity(),
        " must be fidelity indices (max_fidelity -1: the full fidelity)"));
  }
  return std::unique_ptr<SuccessiveHalving>(new SuccessiveHalving(params));
}

absl::Status SuccessiveHalving::CheckBenchmark(const BenchmarkFacts& facts) const {
  return ResolveFidelityRange(facts.fidelity_epochs, params_.min_fidelity(),
                              params_.max_fidelity(), "successive_halving")
      .status();
}

absl::Status SuccessiveHalving::Run(Oracle& oracle, Rng& rng) {
  absl::StatusOr<FidelityRange> range =
      ResolveFidelityRange(oracle, params_.min_fidelity(),
                           params_.max_fidelity(), "successive_halving");
  if (!range.ok()) return range.status();
  const RungAnchor anchor =
      params_.rung_anchor() == SuccessiveHalvingParams::TOP
          ? RungAnchor::kTop
          : RungAnchor::kBottom;
  const std::vector<PlannedRung> plan = PlanBracket(
      SuccessiveHalvingBracket(range->max_budget_ratio, params_.eta(), anchor,
                               params_.num_configs()),
      *range);
  BracketRunner runner(oracle, rng);
  while (true) {
    absl::StatusOr<bool> ran = runner.Run(plan);
    if (IsBudgetExhausted(ran.status())) return absl::OkStatus();
    if (!ran.ok()) return ran.status();
    if (!*ran) return absl::OkStatus();  // Space exhausted.
  }
}

}  // namespace nas
