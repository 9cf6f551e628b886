#ifndef NASBENCH_ALGORITHMS_MODEL_BASED_FEED_FORWARD_NETWORK_H_
#define NASBENCH_ALGORITHMS_MODEL_BASED_FEED_FORWARD_NETWORK_H_

#include <vector>

#include "absl/status/status.h"
#include "algorithms/model_based/predictor.h"
#include "core/random.h"
#include "eigen3/Eigen/Dense"

namespace nas {

// The BANANAS meta neural network (naszilla's MetaNeuralnet): fully
// connected ReLU layers and a linear output, trained with Adam on the mean
// absolute error. Defaults are the published ones.
struct NetworkOptions {
  int num_layers = 10;  // Hidden layers.
  int layer_width = 20;
  double learning_rate = 0.01;
  int epochs = 200;
  int batch_size = 32;
  // Adam's moment decays and epsilon as in BANANAS' Keras optimiser
  // (Adam(lr, beta_1=0.9, beta_2=0.99), Keras' epsilon 1e-7).
  double beta1 = 0.9;
  double beta2 = 0.99;
  double epsilon = 1e-7;
};

// InvalidArgument naming the field (with `owner`, e.g. "bananas", first).
absl::Status ValidateNetworkOptions(const NetworkOptions& options,
                                    absl::string_view owner);

// One network. Weights are Glorot-uniform and biases zero at the start of
// every Fit (Keras' defaults); each epoch visits the examples in a fresh
// random order in mini-batches (the last one smaller). The targets are
// standardised (zero mean, unit variance) for training and predictions are
// mapped back: this keeps the scale of the loss, and so Adam's effective
// step, the same whatever the benchmark's error range (BANANAS trained on
// raw errors; on standardised ones the fit no longer depends on the units).
//
// Training is batched matrix work (Eigen, float): one forward and one
// backward pass per mini-batch, no per-example loops.
class FeedForwardNetwork {
 public:
  explicit FeedForwardNetwork(const NetworkOptions& options)
      : options_(options) {}

  void Fit(const FeatureMatrix& x, const Eigen::VectorXd& y, Rng& rng);

  // One prediction per row of `x`.
  Eigen::VectorXd Predict(const FeatureMatrix& x) const;

  // Activations of the last hidden layer, one row per row of `x`
  // (x.rows() x layer_width): DNGO's basis functions.
  Eigen::MatrixXd LastHiddenLayer(const FeatureMatrix& x) const;

  // Mean absolute error on the training set after the last epoch, in the
  // targets' units.
  double training_mae() const { return training_mae_; }

 private:
  // Hidden activations of examples given as columns (features x n).
  Eigen::MatrixXf Hidden(const Eigen::Ref<const Eigen::MatrixXf>& columns) const;

  NetworkOptions options_;
  // weights_[l] is (out x in); the last entry is the output layer (1 x width).
  std::vector<Eigen::MatrixXf> weights_;
  std::vector<Eigen::VectorXf> biases_;
  double target_mean_ = 0;
  double target_scale_ = 1;
  double training_mae_ = 0;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_MODEL_BASED_FEED_FORWARD_NETWORK_H_
