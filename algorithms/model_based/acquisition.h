#ifndef NASBENCH_ALGORITHMS_MODEL_BASED_ACQUISITION_H_
#define NASBENCH_ALGORITHMS_MODEL_BASED_ACQUISITION_H_

#include <vector>

#include "algorithms/model_based/predictor.h"
#include "core/random.h"

namespace nas {

// How candidates are ranked from a prediction (we minimise error).
enum class AcquisitionKind {
  // Independent Thompson sampling (BANANAS): per candidate, one independent
  // draw from N(mean, stddev^2); lowest draw first.
  kIndependentThompson,
  // Optimistic bound for minimisation: mean - kappa * stddev; lowest first
  // (naszilla's "ucb", kappa 0.5).
  kUpperConfidenceBound,
  // Expected improvement over the best validation error seen,
  // E[max(best - Y, 0)] for Y ~ N(mean, stddev^2); highest first.
  kExpectedImprovement,
};

struct AcquisitionOptions {
  AcquisitionKind kind = AcquisitionKind::kIndependentThompson;
  double ucb_kappa = 0.5;
};

// E[max(best - Y, 0)], Y ~ N(mean, stddev^2):
//   (best - mean) Phi(z) + stddev phi(z),  z = (best - mean) / stddev;
// max(best - mean, 0) when stddev is 0.
double ExpectedImprovement(double mean, double stddev, double best);

// mean - kappa * stddev.
double UpperConfidenceBound(double mean, double stddev, double kappa);

// One score per candidate, lower is better (EI is negated). Thompson draws
// come from `rng` in candidate order. `best_observed` is the lowest
// validation error queried so far (used by EI).
std::vector<double> AcquisitionScores(const Predictions& predictions,
                                      double best_observed,
                                      const AcquisitionOptions& options,
                                      Rng& rng);

// Indices of the `count` lowest scores (fewer if there are fewer scores),
// lowest first; equal scores in index order.
std::vector<int> LowestScores(const std::vector<double>& scores, int count);

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_MODEL_BASED_ACQUISITION_H_
