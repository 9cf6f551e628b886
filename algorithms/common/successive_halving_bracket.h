#ifndef NASBENCH_ALGORITHMS_COMMON_SUCCESSIVE_HALVING_BRACKET_H_
#define NASBENCH_ALGORITHMS_COMMON_SUCCESSIVE_HALVING_BRACKET_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/distinct_sampler.h"
#include "algorithms/common/query_cache.h"

namespace nas {

// Successive halving brackets and the Hyperband schedule (Li et al.,
// "Hyperband: A Novel Bandit-Based Approach to Hyperparameter
// Optimization", JMLR 2018, Algorithm 1), shared by the successive_halving
// and hyperband plugins.
//
// Budgets are in units of the smallest budget: R = max budget / min budget
// (e.g. 200 / 12 epochs for NAS-Bench-201), s_max = floor(log_eta R), and
// bracket s (s_max down to 0) starts n = ceil((s_max + 1) eta^s / (s + 1))
// configurations and keeps n_i = floor(n / eta^i) of them at rung i.

// Where the rung budgets are pinned when R is not a power of eta (they
// coincide when it is).
enum class RungAnchor {
  // The paper's formula: r_i = R eta^(i - s). The top rung is R; the lowest
  // rung of bracket s_max is R / eta^s_max, in [1, eta): the smallest
  // budget itself is reached only when R is a power of eta.
  kTop,
  // r_i = eta^(s_max - s + i) below the top rung and R at it: bracket
  // s_max's lowest rung is exactly the smallest budget, so a benchmark's
  // cheapest fidelity (NAS-Bench-201's 12 epochs) is used.
  kBottom,
};

struct Rung {
  int64_t num_configs = 0;  // n_i
  double budget = 0;        // r_i, in units of the smallest budget
};

struct Bracket {
  int s = 0;
  std::vector<Rung> rungs;  // s + 1 rungs, cheapest first.
};

// floor(log_eta(max_budget_ratio)) computed with exact integer powers, so
// R = 81, eta = 3 gives 4. Requires max_budget_ratio >= 1 and eta >= 2.
int HyperbandMaxBracket(double max_budget_ratio, int eta);

// Brackets s = s_max, s_max - 1, ..., 0: Hyperband's outer loop.
std::vector<Bracket> HyperbandSchedule(double max_budget_ratio, int eta,
                                       RungAnchor anchor);

// Successive halving as one bracket: Hyperband's most aggressive bracket
// (s = s_max), with n = num_configs instead of eta^s_max when
// num_configs > 0. Every rung keeps at least one configuration.
Bracket SuccessiveHalvingBracket(double max_budget_ratio, int eta,
                                 RungAnchor anchor, int64_t num_configs);

// The fidelities an algorithm may use: indices [min_fidelity, max_fidelity]
// of the oracle, their epochs, and R.
struct FidelityRange {
  std::vector<double> epochs;  // Of every fidelity of the oracle.
  int min_fidelity = 0;
  int max_fidelity = 0;
  double max_budget_ratio = 1;  // epochs[max] / epochs[min]
};

// Checks `min_fidelity` and `max_fidelity` (-1: the full fidelity) against
// the oracle: InvalidArgument naming `algorithm` and the field when out of
// range, reversed, or when the epochs are not positive and non-decreasing.
absl::StatusOr<FidelityRange> ResolveFidelityRange(const Oracle& oracle,
                                                   int min_fidelity,
                                                   int max_fidelity,
                                                   absl::string_view algorithm);
// The same, from the epochs of each fidelity (cheapest first): what
// Algorithm::CheckBenchmark has before any oracle exists.
absl::StatusOr<FidelityRange> ResolveFidelityRange(
    std::vector<double> fidelity_epochs, int min_fidelity, int max_fidelity,
    absl::string_view algorithm);

// Tabular fidelities are discrete: a rung's budget maps to the cheapest
// fidelity in range whose epochs are not below it (1e-9 relative tolerance,
// so 200 / 81 * 81 epochs still maps to 200), or the top of the range.
int FidelityNotBelow(const FidelityRange& range, double epochs);

struct PlannedRung {
  int64_t num_configs = 0;
  double budget_epochs = 0;  // r_i * epochs[min_fidelity]
  int fidelity = 0;          // FidelityNotBelow(budget_epochs)
};

std::vector<PlannedRung> PlanBracket(const Bracket& bracket,
                                     const FidelityRange& range);

// The training epochs a planned bracket charges when every rung is full:
// each query at fidelity f is a separate training run of epochs[f] (a
// table lookup at 200 epochs is not a continuation of the 12-epoch run),
// and a promotion to the fidelity the configuration already has re-uses
// its result and costs nothing.
double PlannedEpochs(const std::vector<PlannedRung>& plan,
                     const FidelityRange& range);

// Runs brackets against one oracle: draws each bracket's configurations
// fresh (never one an earlier bracket drew), evaluates rung 0, and promotes
// the best num_configs of each rung (ties to the earlier drawn) to the
// next, best first. Results are cached per (architecture, fidelity), so a
// promotion to the same fidelity costs no query.
class BracketRunner {
 public:
  // `oracle` and `rng` must outlive the runner.
  BracketRunner(Oracle& oracle, Rng& rng)
      : rng_(rng), cache_(oracle), sampler_(oracle.space()) {}

  // Runs `plan` to its end. OK(true) after a bracket, OK(false) when no
  // fresh architecture is left (nothing queried). Oracle errors, including
  // ResourceExhausted, are returned as they come. When the space runs out
  // within a bracket, rung i keeps max(1, m * n_i / n_(i-1)) of the m
  // configurations it has.
  absl::StatusOr<bool> Run(const std::vector<PlannedRung>& plan);

 private:
  Rng& rng_;
  QueryCache cache_;
  DistinctSampler sampler_;
};

// What the successive_halving and hyperband plugins configure.
struct BracketSearchOptions {
  std::string owner;  // The plugin's name, for messages.
  int eta = 3;
  RungAnchor anchor = RungAnchor::kBottom;
  int min_fidelity = 0;
  int max_fidelity = -1;  // -1: the full fidelity.
  // The brackets of one cycle, from R (FidelityRange::max_budget_ratio).
  std::function<std::vector<Bracket>(double max_budget_ratio, int eta,
                                     RungAnchor anchor)>
      schedule;
};

// The options a plugin's parameter message sets: its eta, rung_anchor (an
// enum with TOP and BOTTOM), min_fidelity and max_fidelity.
template <typename Params>
BracketSearchOptions BracketSearchOptionsFrom(std::string owner,
                                              const Params& params) {
  BracketSearchOptions options;
  options.owner = std::move(owner);
  options.eta = params.eta();
  options.anchor = params.rung_anchor() == Params::TOP ? RungAnchor::kTop
                                                       : RungAnchor::kBottom;
  options.min_fidelity = params.min_fidelity();
  options.max_fidelity = params.max_fidelity();
  return options;
}

// Brackets over the oracle's fidelities: the brackets of `schedule`, in
// order, then again, every one on fresh random architectures (never one
// drawn before), until the budget or the space runs out. Each query costs
// what the oracle charges (one query; the fidelity's simulated seconds);
// a promotion to the fidelity a configuration already has is free. With a
// single fidelity every bracket is random search without replacement.
// Run and CheckBenchmark return InvalidArgument when min_fidelity /
// max_fidelity do not fit the benchmark.
class BracketSearch final : public Algorithm {
 public:
  explicit BracketSearch(BracketSearchOptions options)
      : options_(std::move(options)) {}

  absl::Status Run(Oracle& oracle, Rng& rng) override;
  absl::Status CheckBenchmark(const BenchmarkFacts& facts) const override;

 private:
  const BracketSearchOptions options_;
};

// A BracketSearch, or InvalidArgument naming the owner and the field when
// eta < 2 or a fidelity index is negative (max_fidelity may be -1).
absl::StatusOr<std::unique_ptr<Algorithm>> NewBracketSearch(
    BracketSearchOptions options);

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_COMMON_SUCCESSIVE_HALVING_BRACKET_H_
