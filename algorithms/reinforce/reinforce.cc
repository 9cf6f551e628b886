#include "algorithms/reinforce/reinforce.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/common/distinct_sampler.h"
#include "algorithms/common/query_cache.h"

namespace nas {
namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "reinforce",
    "REINFORCE with one categorical distribution per gene, a moving-average "
    "baseline and Adam (NATS-Bench settings)",
    Reinforce, ReinforceParams);

// Adam's constants, PyTorch's defaults.
constexpr double kBeta1 = 0.9;
constexpr double kBeta2 = 0.999;
constexpr double kEpsilon = 1e-8;

// A valid (not necessarily canonical) gene vector; see Reinforce.
Architecture SampleValid(const SearchSpace& space,
                         const CategoricalPolicy& policy, int max_attempts,
                         Rng& rng) {
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    Architecture genes = policy.Sample(rng);
    if (space.Validate(genes).ok()) return genes;
  }
  Architecture genes = space.Sample(rng);
  const absl::Span<const int> cardinalities = space.gene_cardinalities();
  for (int g = 0; g < genes.size(); ++g) {
    std::vector<bool> excluded(cardinalities[g], false);
    const uint8_t valid_value = genes[g];
    while (true) {
      const int value = policy.SampleGeneExcluding(g, excluded, rng);
      // Unreachable in practice: the previous value is never excluded, as
      // it keeps the vector valid.
      if (value < 0) {
        genes[g] = valid_value;
        break;
      }
      genes[g] = static_cast<uint8_t>(value);
      if (value == valid_value || space.Validate(genes).ok()) break;
      excluded[value] = true;
      genes[g] = valid_value;
    }
  }
  return genes;
}

}  // namespace

CategoricalPolicy::CategoricalPolicy(absl::Span<const int> gene_cardinalities,
                                     ReinforceParams::Optimizer optimizer,
                                     double learning_rate)
    : optimizer_(optimizer), learning_rate_(learning_rate) {
  for (int cardinality : gene_cardinalities) {
    logits_.emplace_back(cardinality, 0.0);
    first_moment_.emplace_back(cardinality, 0.0);
    second_moment_.emplace_back(cardinality, 0.0);
  }
}

std::vector<double> CategoricalPolicy::Probabilities(int gene) const {
  const std::vector<double>& logits = logits_[gene];
  const double max_logit = *std::max_element(logits.begin(), logits.end());
  std::vector<double> p(logits.size());
  double sum = 0;
  for (size_t v = 0; v < logits.size(); ++v) {
    p[v] = std::exp(logits[v] - max_logit);
    sum += p[v];
  }
  for (double& x : p) x /= sum;
  return p;
}

double CategoricalPolicy::LogProbability(const Architecture& genes) const {
  double log_p = 0;
  for (int g = 0; g < num_genes(); ++g) {
    log_p += std::log(Probabilities(g)[genes[g]]);
  }
  return log_p;
}

int CategoricalPolicy::SampleGeneExcluding(int gene,
                                           const std::vector<bool>& excluded,
                                           Rng& rng) const {
  const std::vector<double> p = Probabilities(gene);
  double total = 0;
  int last = -1;
  for (size_t v = 0; v < p.size(); ++v) {
    if (excluded.empty() || !excluded[v]) {
      total += p[v];
      last = static_cast<int>(v);
    }
  }
  if (last < 0) return -1;
  const double u = rng.UniformDouble() * total;
  double cumulative = 0;
  for (size_t v = 0; v < p.size(); ++v) {
    if (!excluded.empty() && excluded[v]) continue;
    cumulative += p[v];
    if (u < cumulative) return static_cast<int>(v);
  }
  return last;  // Rounding left u at the very top.
}

Architecture CategoricalPolicy::Sample(Rng& rng) const {
  Architecture genes(num_genes());
  static const std::vector<bool> kNone;
  for (int g = 0; g < num_genes(); ++g) {
    genes[g] = static_cast<uint8_t>(SampleGeneExcluding(g, kNone, rng));
  }
  return genes;
}

void CategoricalPolicy::Update(const Architecture& genes, double advantage) {
  ++steps_;
  const double correction1 = 1 - std::pow(kBeta1, static_cast<double>(steps_));
  const double correction2 = 1 - std::pow(kBeta2, static_cast<double>(steps_));
  for (int g = 0; g < num_genes(); ++g) {
    const std::vector<double> p = Probabilities(g);
    for (size_t v = 0; v < p.size(); ++v) {
      // Gradient of the loss -advantage * log p(genes).
      const double grad =
          -advantage * ((static_cast<int>(v) == genes[g] ? 1.0 : 0.0) - p[v]);
      if (optimizer_ == ReinforceParams::SGD) {
        logits_[g][v] -= learning_rate_ * grad;
        continue;
      }
      double& m = first_moment_[g][v];
      double& s = second_moment_[g][v];
      m = kBeta1 * m + (1 - kBeta1) * grad;
      s = kBeta2 * s + (1 - kBeta2) * grad * grad;
      logits_[g][v] -= learning_rate_ * (m / correction1) /
                       (std::sqrt(s / correction2) + kEpsilon);
    }
  }
}

void MovingAverageBaseline::Update(double reward) {
  numerator_ = momentum_ * numerator_ + (1 - momentum_) * reward;
  weight_ = momentum_ * weight_ + (1 - momentum_);
}

absl::StatusOr<std::unique_ptr<Reinforce>> Reinforce::New(
    const ReinforceParams& params) {
  if (!(params.learning_rate() > 0) || !std::isfinite(params.learning_rate())) {
    return absl::InvalidArgumentError(
        absl::StrCat("reinforce: learning_rate is ", params.learning_rate(),
                     "; it must be finite and > 0 (the default is 0.01)"));
  }
  if (!(params.baseline_decay() >= 0 && params.baseline_decay() < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("reinforce: baseline_decay is ", params.baseline_decay(),
                     "; it must lie in [0, 1) (the default is 0.9)"));
  }
  if (params.max_sample_attempts() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reinforce: max_sample_attempts is ", params.max_sample_attempts(),
        "; it must be at least 1 (the default is 100)"));
  }
  if (params.max_consecutive_repeats() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("reinforce: max_consecutive_repeats is ",
                     params.max_consecutive_repeats(),
                     "; it must be at least 1 (the default is 100)"));
  }
  return std::unique_ptr<Reinforce>(new Reinforce(params));
}

absl::Status Reinforce::Run(Oracle& oracle, Rng& rng) {
  const SearchSpace& space = oracle.space();
  policy_ = std::make_unique<CategoricalPolicy>(
      space.gene_cardinalities(), params_.optimizer(), params_.learning_rate());
  baseline_ = std::make_unique<MovingAverageBaseline>(params_.baseline_decay());
  num_updates_ = 0;
  QueryCache cache(oracle);
  DistinctSampler sampler(space);  // Seen = queried.
  int repeats = 0;

  while (true) {
    Architecture genes;
    if (repeats >= params_.max_consecutive_repeats()) {
      std::optional<Architecture> fresh = sampler.Next(rng);
      if (!fresh.has_value()) return absl::OkStatus();  // Space exhausted.
      genes = *fresh;
    } else {
      genes = SampleValid(space, *policy_, params_.max_sample_attempts(), rng);
    }
    const Architecture arch = space.Canonicalize(genes);
    absl::StatusOr<QueryCache::Result> result = cache.Evaluate(arch);
    if (!result.ok()) return FinishRun(result.status());
    if (result->queried) {
      sampler.MarkSeen(arch);
      repeats = 0;
    } else {
      ++repeats;
    }
    const double reward = -result->valid_error;
    baseline_->Update(reward);
    policy_->Update(genes, reward - baseline_->value());
    ++num_updates_;
  }
}

}  // namespace nas
