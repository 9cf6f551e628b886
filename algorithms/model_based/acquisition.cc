#include "algorithms/model_based/acquisition.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nas {

double ExpectedImprovement(double mean, double stddev, double best) {
  const double gain = best - mean;
  if (!(stddev > 0)) return std::max(gain, 0.0);
  const double z = gain / stddev;
  const double cdf = 0.5 * std::erfc(-z / std::sqrt(2.0));
  const double pdf = std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI);
  return gain * cdf + stddev * pdf;
}

double UpperConfidenceBound(double mean, double stddev, double kappa) {
  return mean - kappa * stddev;
}

std::vector<double> AcquisitionScores(const Predictions& predictions,
                                      double best_observed,
                                      const AcquisitionOptions& options,
                                      Rng& rng) {
  const int n = static_cast<int>(predictions.mean.size());
  std::vector<double> scores(n);
  for (int i = 0; i < n; ++i) {
    const double mean = predictions.mean(i);
    const double stddev = predictions.stddev(i);
    switch (options.kind) {
      case AcquisitionKind::kIndependentThompson:
        scores[i] = mean + stddev * rng.Normal();
        break;
      case AcquisitionKind::kUpperConfidenceBound:
        scores[i] = UpperConfidenceBound(mean, stddev, options.ucb_kappa);
        break;
      case AcquisitionKind::kExpectedImprovement:
        scores[i] = -ExpectedImprovement(mean, stddev, best_observed);
        break;
    }
  }
  return scores;
}

std::vector<int> LowestScores(const std::vector<double>& scores, int count) {
  std::vector<int> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return scores[a] < scores[b]; });
  if (count < static_cast<int>(order.size())) order.resize(std::max(count, 0));
  return order;
}

}  // namespace nas
