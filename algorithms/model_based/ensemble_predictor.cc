#include "algorithms/model_based/ensemble_predictor.h"

#include <algorithm>
#include <thread>

namespace nas {

absl::Status EnsemblePredictor::Fit(const FeatureMatrix& x,
                                    const Eigen::VectorXd& y, Rng& rng) {
  const int k = options_.num_members;
  members_.assign(k, FeedForwardNetwork(options_.network));
  std::vector<Rng> streams;
  for (int m = 0; m < k; ++m) streams.push_back(rng.Fork(m));
  rng.NextU64();  // A later Fit with this rng gets other streams.

  int threads = options_.num_threads;
  if (threads <= 0) {
    threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }
  threads = std::min(threads, k);
  auto train = [&](int first) {
    for (int m = first; m < k; m += threads) members_[m].Fit(x, y, streams[m]);
  };
  if (threads == 1) {
    train(0);
  } else {
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) workers.emplace_back(train, t);
    for (std::thread& worker : workers) worker.join();
  }
  return absl::OkStatus();
}

Eigen::MatrixXd EnsemblePredictor::MemberPredictions(
    const FeatureMatrix& x) const {
  Eigen::MatrixXd predictions(members_.size(), x.rows());
  for (size_t m = 0; m < members_.size(); ++m) {
    predictions.row(m) = members_[m].Predict(x).transpose();
  }
  return predictions;
}

Predictions EnsemblePredictor::Predict(const FeatureMatrix& x) const {
  const Eigen::MatrixXd members = MemberPredictions(x);
  Predictions p;
  p.mean = members.colwise().mean().transpose();
  p.stddev = ((members.rowwise() - p.mean.transpose()).array().square()
                  .colwise()
                  .mean()
                  .sqrt())
                 .transpose()
                 .matrix();
  return p;
}

}  // namespace nas
