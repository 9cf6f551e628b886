#include "algorithms/model_based/feed_forward_network.h"

#include <cmath>

#include "gtest/gtest.h"

namespace nas {
namespace {

// y = sin(x1) + x2^2 on x uniform in [-2, 2]^2.
void SmoothData(int n, Rng& rng, FeatureMatrix* x, Eigen::VectorXd* y) {
  x->resize(n, 2);
  y->resize(n);
  for (int i = 0; i < n; ++i) {
    const double x1 = 4 * rng.UniformDouble() - 2;
    const double x2 = 4 * rng.UniformDouble() - 2;
    (*x)(i, 0) = static_cast<float>(x1);
    (*x)(i, 1) = static_cast<float>(x2);
    (*y)(i) = std::sin(x1) + x2 * x2;
  }
}

double Mae(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return (a - b).cwiseAbs().mean();
}

TEST(FeedForwardNetworkTest, FitsASmoothFunction) {
  // Thresholds: predicting the training mean scores ~1.15 MAE here; a
  // network that learned only x2^2 would be off by E|sin x1| ~ 0.6, only
  // sin x1 by ~1. The default network reaches ~0.085 on held-out points
  // (seeds 1..5: 0.06-0.10); 0.15 leaves room for the seed and still
  // demands both terms to within 4% of y's range [-1, 4.9].
  for (uint64_t seed : {1, 2, 3}) {
    Rng data_rng(seed);
    FeatureMatrix x_train, x_test;
    Eigen::VectorXd y_train, y_test;
    SmoothData(500, data_rng, &x_train, &y_train);
    SmoothData(1000, data_rng, &x_test, &y_test);

    FeedForwardNetwork network{NetworkOptions()};  // BANANAS' defaults.
    Rng rng(seed + 100);
    network.Fit(x_train, y_train, rng);
    const double mae = Mae(network.Predict(x_test), y_test);
    const double mean_only = (y_test.array() - y_train.mean()).abs().mean();
    EXPECT_LT(mae, 0.15) << seed;
    EXPECT_LT(mae, 0.15 * mean_only) << seed;
    EXPECT_LT(network.training_mae(), 0.15) << seed;
  }
}

TEST(FeedForwardNetworkTest, SameRngSameNetwork) {
  Rng data_rng(4);
  FeatureMatrix x;
  Eigen::VectorXd y;
  SmoothData(45, data_rng, &x, &y);  // A last batch of 13.
  NetworkOptions options;
  options.epochs = 20;
  auto fit = [&](uint64_t seed) {
    FeedForwardNetwork network(options);
    Rng rng(seed);
    network.Fit(x, y, rng);
    return network.Predict(x);
  };
  EXPECT_EQ(fit(5), fit(5));
  EXPECT_NE(fit(5), fit(6));
}

TEST(FeedForwardNetworkTest, OnePointIsFittedExactly) {
  // Standardisation of a single target (no spread) must not divide by 0.
  FeatureMatrix x(1, 3);
  x << 1, 0, 1;
  Eigen::VectorXd y(1);
  y << 42.5;
  FeedForwardNetwork network{NetworkOptions()};
  Rng rng(7);
  network.Fit(x, y, rng);
  EXPECT_NEAR(network.Predict(x)(0), 42.5, 0.05);
}

TEST(FeedForwardNetworkTest, LastHiddenLayerIsTheReluBasis) {
  Rng data_rng(8);
  FeatureMatrix x;
  Eigen::VectorXd y;
  SmoothData(64, data_rng, &x, &y);
  NetworkOptions options;
  options.num_layers = 3;
  options.layer_width = 7;
  options.epochs = 5;
  FeedForwardNetwork network(options);
  Rng rng(9);
  network.Fit(x, y, rng);
  const Eigen::MatrixXd hidden = network.LastHiddenLayer(x);
  EXPECT_EQ(hidden.rows(), 64);
  EXPECT_EQ(hidden.cols(), 7);
  EXPECT_GE(hidden.minCoeff(), 0.0);
}

TEST(FeedForwardNetworkTest, ValidatesOptions) {
  NetworkOptions options;
  options.layer_width = 0;
  absl::Status status = ValidateNetworkOptions(options, "bananas");
  EXPECT_EQ(status.message(),
            "bananas: layer_width is 0; it must be at least 1 (BANANAS used "
            "20)");
  options = NetworkOptions();
  options.learning_rate = -1;
  EXPECT_FALSE(ValidateNetworkOptions(options, "dngo").ok());
  EXPECT_TRUE(ValidateNetworkOptions(NetworkOptions(), "dngo").ok());
}

}  // namespace
}  // namespace nas
