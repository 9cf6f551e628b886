#ifndef NASBENCH_ALGORITHMS_MODEL_BASED_ENSEMBLE_PREDICTOR_H_
#define NASBENCH_ALGORITHMS_MODEL_BASED_ENSEMBLE_PREDICTOR_H_

#include <vector>

#include "algorithms/model_based/feed_forward_network.h"
#include "algorithms/model_based/predictor.h"

namespace nas {

struct EnsembleOptions {
  int num_members = 5;  // BANANAS' ensemble of 5.
  NetworkOptions network;
  // Threads that train members concurrently; 0 for one per member up to
  // the hardware's concurrency. Results do not depend on it.
  int num_threads = 0;
};

// BANANAS' predictor: independently initialised and shuffled networks, all
// trained on the same data. The prediction is the members' mean and their
// standard deviation (population form, numpy's np.std as in naszilla).
//
// Member m draws everything from rng.Fork(m), taken before any member
// trains, and writes only its own network, so the fit is the same whatever
// the number of threads and their scheduling.
class EnsemblePredictor : public Predictor {
 public:
  explicit EnsemblePredictor(const EnsembleOptions& options)
      : options_(options) {}

  absl::Status Fit(const FeatureMatrix& x, const Eigen::VectorXd& y,
                   Rng& rng) override;
  Predictions Predict(const FeatureMatrix& x) const override;

  // members x rows: each member's prediction for each row of `x`.
  Eigen::MatrixXd MemberPredictions(const FeatureMatrix& x) const;

  const std::vector<FeedForwardNetwork>& members() const { return members_; }

 private:
  EnsembleOptions options_;
  std::vector<FeedForwardNetwork> members_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_MODEL_BASED_ENSEMBLE_PREDICTOR_H_
