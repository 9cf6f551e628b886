#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/successive_halving_bracket.h"
#include "algorithms/hyperband/hyperband.pb.h"

namespace nas {

// Hyperband: the brackets of HyperbandSchedule() (algorithms/common/
// successive_halving_bracket.h) in order s = s_max .. 0, then again from
// s_max, until the budget or the space runs out. Every bracket draws fresh
// random architectures (never one drawn before); each query costs what the
// oracle charges (one query; the fidelity's simulated seconds), and a
// promotion to the fidelity a configuration already has is free. With a
// single fidelity (R = 1) every bracket is one random architecture: random
// search without replacement. Run returns InvalidArgument when
// min_fidelity/max_fidelity do not fit the oracle.
class Hyperband : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<Hyperband>> New(
      const HyperbandParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;
  absl::Status CheckBenchmark(const BenchmarkFacts& facts) const override;

 private:
  explicit Hyperband(const HyperbandParams& params) : params_(params) {}

  HyperbandParams params_;
};

namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "hyperband",
    "Hyperband (Li et al. 2018, eta 3): successive-halving brackets over the "
    "objective's fidelities, repeated until the budget ends",
    Hyperband, HyperbandParams);

}  // namespace

absl::StatusOr<std::unique_ptr<Hyperband>> Hyperband::New(
    const HyperbandParams& params) {
  if (params.eta() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("hyperband: eta is ", params.eta(),
                     "; it must be at least 2 (the default is 3)"));
  }
  if (params.min_fidelity() < 0 || params.max_fidelity() < -1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "hyperband: min_fidelity ", params.min_fidelity(), " / max_fidelity ",
        params.max_fidelity(),
        " must be fidelity indices (max_fidelity -1: the full fidelity)"));
  }
  return std::unique_ptr<Hyperband>(new Hyperband(params));
}

absl::Status Hyperband::CheckBenchmark(const BenchmarkFacts& facts) const {
  return ResolveFidelityRange(facts.fidelity_epochs, params_.min_fidelity(),
                              params_.max_fidelity(), "hyperband")
      .status();
}

absl::Status Hyperband::Run(Oracle& oracle, Rng& rng) {
  absl::StatusOr<FidelityRange> range = ResolveFidelityRange(
      oracle, params_.min_fidelity(), params_.max_fidelity(), "hyperband");
  if (!range.ok()) return range.status();
  const RungAnchor anchor = params_.rung_anchor() == HyperbandParams::TOP
                                ? RungAnchor::kTop
                                : RungAnchor::kBottom;
  std::vector<std::vector<PlannedRung>> plans;
  for (const Bracket& bracket :
       HyperbandSchedule(range->max_budget_ratio, params_.eta(), anchor)) {
    plans.push_back(PlanBracket(bracket, *range));
  }
  BracketRunner runner(oracle, rng);
  while (true) {
    for (const std::vector<PlannedRung>& plan : plans) {
      absl::StatusOr<bool> ran = runner.Run(plan);
      if (IsBudgetExhausted(ran.status())) return absl::OkStatus();
      if (!ran.ok()) return ran.status();
      if (!*ran) return absl::OkStatus();  // Space exhausted.
    }
  }
}

}  // namespace nas
