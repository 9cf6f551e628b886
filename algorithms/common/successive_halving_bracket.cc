#include "algorithms/common/successive_halving_bracket.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nas {
namespace {

// Relative slack for budgets that are integers in exact arithmetic but not
// in floating point (R = 200 / 12 * 12, r = R / 3^k * 3^k).
constexpr double kRelativeTolerance = 1e-9;

void CheckArguments(double max_budget_ratio, int eta) {
  if (!(max_budget_ratio >= 1) || !std::isfinite(max_budget_ratio) || eta < 2) {
    std::fprintf(stderr,
                 "Hyperband schedule needs R >= 1 and eta >= 2; got R = %g, "
                 "eta = %d\n",
                 max_budget_ratio, eta);
    std::abort();
  }
}

int64_t IntPow(int64_t base, int exponent) {
  int64_t result = 1;
  for (int i = 0; i < exponent; ++i) result *= base;
  return result;
}

// Rungs of bracket s with n starting configurations.
Bracket MakeBracket(double max_budget_ratio, int eta, RungAnchor anchor,
                    int s_max, int s, int64_t n) {
  Bracket bracket;
  bracket.s = s;
  for (int i = 0; i <= s; ++i) {
    Rung rung;
    rung.num_configs = std::max<int64_t>(1, n / IntPow(eta, i));
    if (i == s) {
      rung.budget = max_budget_ratio;
    } else if (anchor == RungAnchor::kTop) {
      rung.budget = max_budget_ratio / static_cast<double>(IntPow(eta, s - i));
    } else {
      rung.budget = static_cast<double>(IntPow(eta, s_max - s + i));
    }
    bracket.rungs.push_back(rung);
  }
  return bracket;
}

}  // namespace

int HyperbandMaxBracket(double max_budget_ratio, int eta) {
  CheckArguments(max_budget_ratio, eta);
  int s = 0;
  double power = eta;
  // 62 keeps eta^s inside int64 for eta = 2; no table has such a range.
  while (s < 62 && power <= max_budget_ratio * (1 + kRelativeTolerance)) {
    ++s;
    power *= eta;
  }
  return s;
}

std::vector<Bracket> HyperbandSchedule(double max_budget_ratio, int eta,
                                       RungAnchor anchor) {
  const int s_max = HyperbandMaxBracket(max_budget_ratio, eta);
  std::vector<Bracket> schedule;
  for (int s = s_max; s >= 0; --s) {
    // n = ceil((s_max + 1) / (s + 1) * eta^s), in integers.
    const int64_t n = ((s_max + 1) * IntPow(eta, s) + s) / (s + 1);
    schedule.push_back(MakeBracket(max_budget_ratio, eta, anchor, s_max, s, n));
  }
  return schedule;
}

Bracket SuccessiveHalvingBracket(double max_budget_ratio, int eta,
                                 RungAnchor anchor, int64_t num_configs) {
  const int s_max = HyperbandMaxBracket(max_budget_ratio, eta);
  const int64_t n = num_configs > 0 ? num_configs : IntPow(eta, s_max);
  return MakeBracket(max_budget_ratio, eta, anchor, s_max, s_max, n);
}

absl::StatusOr<FidelityRange> ResolveFidelityRange(
    const Oracle& oracle, int min_fidelity, int max_fidelity,
    absl::string_view algorithm) {
  std::vector<double> epochs;
  for (int f = 0; f < oracle.num_fidelities(); ++f) {
    epochs.push_back(oracle.fidelity_epochs(f));
  }
  return ResolveFidelityRange(std::move(epochs), min_fidelity, max_fidelity,
                              algorithm);
}

absl::StatusOr<FidelityRange> ResolveFidelityRange(
    std::vector<double> fidelity_epochs, int min_fidelity, int max_fidelity,
    absl::string_view algorithm) {
  const int num = static_cast<int>(fidelity_epochs.size());
  FidelityRange range;
  range.epochs = std::move(fidelity_epochs);
  if (max_fidelity == -1) max_fidelity = num - 1;
  if (min_fidelity < 0 || min_fidelity >= num) {
    return absl::InvalidArgumentError(
        absl::StrCat(algorithm, ": min_fidelity is ", min_fidelity,
                     " but the objective has ", num, " fidelities (indices 0..",
                     num - 1, ", cheapest first)"));
  }
  if (max_fidelity < 0 || max_fidelity >= num) {
    return absl::InvalidArgumentError(
        absl::StrCat(algorithm, ": max_fidelity is ", max_fidelity,
                     " but the objective has ", num, " fidelities (indices 0..",
                     num - 1, "; -1 means the full fidelity)"));
  }
  if (min_fidelity > max_fidelity) {
    return absl::InvalidArgumentError(
        absl::StrCat(algorithm, ": min_fidelity ", min_fidelity,
                     " is above max_fidelity ", max_fidelity));
  }
  for (int f = min_fidelity; f <= max_fidelity; ++f) {
    if (!(range.epochs[f] > 0) || !std::isfinite(range.epochs[f]) ||
        (f > min_fidelity && range.epochs[f] < range.epochs[f - 1])) {
      return absl::InvalidArgumentError(absl::StrCat(
          algorithm, ": fidelity ", f, " has ", range.epochs[f],
          " epochs; successive halving needs positive epochs that do not "
          "decrease from min_fidelity to max_fidelity"));
    }
  }
  range.min_fidelity = min_fidelity;
  range.max_fidelity = max_fidelity;
  range.max_budget_ratio =
      range.epochs[max_fidelity] / range.epochs[min_fidelity];
  // Keeps eta^s_max far inside int64 (and brackets of sane size).
  if (range.max_budget_ratio > 1e9) {
    return absl::InvalidArgumentError(absl::StrCat(
        algorithm, ": fidelities ", min_fidelity, " and ", max_fidelity,
        " differ by a factor of ", range.max_budget_ratio,
        " in epochs; at most 1e9 is supported: raise min_fidelity"));
  }
  return range;
}

int FidelityNotBelow(const FidelityRange& range, double epochs) {
  for (int f = range.min_fidelity; f <= range.max_fidelity; ++f) {
    if (range.epochs[f] >= epochs * (1 - kRelativeTolerance)) return f;
  }
  return range.max_fidelity;
}

std::vector<PlannedRung> PlanBracket(const Bracket& bracket,
                                     const FidelityRange& range) {
  std::vector<PlannedRung> plan;
  for (const Rung& rung : bracket.rungs) {
    PlannedRung planned;
    planned.num_configs = rung.num_configs;
    planned.budget_epochs = rung.budget * range.epochs[range.min_fidelity];
    planned.fidelity = FidelityNotBelow(range, planned.budget_epochs);
    plan.push_back(planned);
  }
  return plan;
}

double PlannedEpochs(const std::vector<PlannedRung>& plan,
                     const FidelityRange& range) {
  double epochs = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    if (i > 0 && plan[i].fidelity == plan[i - 1].fidelity) continue;
    epochs += static_cast<double>(plan[i].num_configs) *
              range.epochs[plan[i].fidelity];
  }
  return epochs;
}

absl::StatusOr<bool> BracketRunner::Run(const std::vector<PlannedRung>& plan) {
  struct Config {
    Architecture arch;
    double valid_error = 0;
    int64_t order = 0;  // Draw order: breaks ties towards the earlier draw.
  };
  std::vector<Config> configs;
  for (int64_t i = 0; i < plan.front().num_configs; ++i) {
    std::optional<Architecture> arch = sampler_.Next(rng_);
    if (!arch.has_value()) break;
    configs.push_back({*arch, 0.0, i});
  }
  if (configs.empty()) return false;
  for (size_t r = 0; r < plan.size(); ++r) {
    if (r > 0) {
      int64_t keep = plan[r].num_configs;
      if (static_cast<int64_t>(configs.size()) < plan[r - 1].num_configs) {
        keep = std::max<int64_t>(1, static_cast<int64_t>(configs.size()) *
                                        plan[r].num_configs /
                                        plan[r - 1].num_configs);
      }
      std::sort(configs.begin(), configs.end(),
                [](const Config& a, const Config& b) {
                  if (a.valid_error != b.valid_error) {
                    return a.valid_error < b.valid_error;
                  }
                  return a.order < b.order;
                });
      if (static_cast<int64_t>(configs.size()) > keep) configs.resize(keep);
    }
    for (Config& config : configs) {
      absl::StatusOr<QueryCache::Result> result =
          cache_.Evaluate(config.arch, plan[r].fidelity);
      if (!result.ok()) return result.status();
      config.valid_error = result->valid_error;
    }
  }
  return true;
}

absl::StatusOr<std::unique_ptr<Algorithm>> NewBracketSearch(
    BracketSearchOptions options) {
  if (options.eta < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat(options.owner, ": eta is ", options.eta,
                     "; it must be at least 2 (the default is 3)"));
  }
  if (options.min_fidelity < 0 || options.max_fidelity < -1) {
    return absl::InvalidArgumentError(absl::StrCat(
        options.owner, ": min_fidelity ", options.min_fidelity,
        " / max_fidelity ", options.max_fidelity,
        " must be fidelity indices (max_fidelity -1: the full fidelity)"));
  }
  return std::make_unique<BracketSearch>(std::move(options));
}

absl::Status BracketSearch::CheckBenchmark(const BenchmarkFacts& facts) const {
  return ResolveFidelityRange(facts.fidelity_epochs, options_.min_fidelity,
                              options_.max_fidelity, options_.owner)
      .status();
}

absl::Status BracketSearch::Run(Oracle& oracle, Rng& rng) {
  absl::StatusOr<FidelityRange> range = ResolveFidelityRange(
      oracle, options_.min_fidelity, options_.max_fidelity, options_.owner);
  if (!range.ok()) return range.status();
  std::vector<std::vector<PlannedRung>> plans;
  for (const Bracket& bracket : options_.schedule(
           range->max_budget_ratio, options_.eta, options_.anchor)) {
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
