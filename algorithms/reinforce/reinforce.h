#ifndef NASBENCH_ALGORITHMS_REINFORCE_REINFORCE_H_
#define NASBENCH_ALGORITHMS_REINFORCE_REINFORCE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "algorithms/algorithm.h"
#include "algorithms/reinforce/reinforce.pb.h"

namespace nas {

// A policy of independent categorical distributions, one per gene, with
// softmax logits initialised to 0 (uniform), trained by REINFORCE.
class CategoricalPolicy {
 public:
  CategoricalPolicy(absl::Span<const int> gene_cardinalities,
                    ReinforceParams::Optimizer optimizer, double learning_rate);

  int num_genes() const { return static_cast<int>(logits_.size()); }
  // Softmax of gene `gene`'s logits.
  std::vector<double> Probabilities(int gene) const;
  double LogProbability(const Architecture& genes) const;

  // Draws every gene independently (one rng.UniformDouble() per gene). The
  // result need not be a valid architecture.
  Architecture Sample(Rng& rng) const;
  // Draws gene `gene` among the values not in `excluded`, with probabilities
  // renormalised over them; -1 when every value is excluded.
  int SampleGeneExcluding(int gene, const std::vector<bool>& excluded,
                          Rng& rng) const;

  // One REINFORCE step: ascends advantage * grad log p(genes) with the
  // optimizer. d log p / d logit[g][v] = [v == genes[g]] - p[g][v].
  void Update(const Architecture& genes, double advantage);

  const std::vector<std::vector<double>>& logits() const { return logits_; }

 private:
  const ReinforceParams::Optimizer optimizer_;
  const double learning_rate_;
  std::vector<std::vector<double>> logits_;
  // Adam's moment estimates, per logit, and its step count.
  std::vector<std::vector<double>> first_moment_, second_moment_;
  int64_t steps_ = 0;
};

// Exponential moving average with bias correction (as NATS-Bench's
// ExponentialMovingAverage): after rewards r_1..r_n its value is
// sum_i m^(n-i) (1-m) r_i / (1 - m^n), a weighted mean of the rewards.
class MovingAverageBaseline {
 public:
  explicit MovingAverageBaseline(double momentum) : momentum_(momentum) {}
  void Update(double reward);
  // 0 before the first update.
  double value() const { return weight_ > 0 ? numerator_ / weight_ : 0; }

 private:
  const double momentum_;
  double numerator_ = 0;
  double weight_ = 0;
};

// REINFORCE over any space. Each step samples a gene vector from the
// policy, canonicalises it, obtains its validation error (a query, or the
// remembered value when the architecture was queried before: free), and
// updates the policy with reward = -valid_error and advantage = reward -
// baseline, where the baseline is updated with this reward first (as in
// NATS-Bench). The gradient is that of the sampled gene vector (before
// canonicalisation: the policy's own action).
//
// Validity: up to max_sample_attempts joint draws are made until
// Validate() accepts one (an exact sample of the policy conditioned on
// validity); then a gene-by-gene draw: starting from a valid random
// architecture, each gene in turn takes a policy draw among the values
// that keep the architecture valid given the genes already set (the old
// value always does), so the result is valid by construction but only
// approximately policy-distributed. On NAS-Bench-201 every vector is valid
// and the first draw is used.
class Reinforce : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<Reinforce>> New(
      const ReinforceParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

  // After Run: the trained policy and the baseline (for tests).
  const CategoricalPolicy* policy() const { return policy_.get(); }
  const MovingAverageBaseline* baseline() const { return baseline_.get(); }
  int64_t num_updates() const { return num_updates_; }

 private:
  explicit Reinforce(const ReinforceParams& params) : params_(params) {}

  ReinforceParams params_;
  std::unique_ptr<CategoricalPolicy> policy_;
  std::unique_ptr<MovingAverageBaseline> baseline_;
  int64_t num_updates_ = 0;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_REINFORCE_REINFORCE_H_
