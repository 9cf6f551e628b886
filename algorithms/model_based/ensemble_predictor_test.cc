#include "algorithms/model_based/ensemble_predictor.h"

#include <cmath>

#include "gtest/gtest.h"

namespace nas {
namespace {

void Data(int n, Rng& rng, FeatureMatrix* x, Eigen::VectorXd* y) {
  x->resize(n, 3);
  y->resize(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 3; ++j) (*x)(i, j) = rng.Bernoulli(0.5) ? 1.0f : 0.0f;
    (*y)(i) = 3 * (*x)(i, 0) - 2 * (*x)(i, 1) * (*x)(i, 2) + 0.1 * rng.Normal();
  }
}

TEST(EnsemblePredictorTest, SameResultForAnyNumberOfThreads) {
  Rng data_rng(1);
  FeatureMatrix x;
  Eigen::VectorXd y;
  Data(70, data_rng, &x, &y);
  EnsembleOptions options;
  options.network.epochs = 30;
  Eigen::MatrixXd reference;
  for (int threads : {1, 2, 3, 5, 0}) {
    options.num_threads = threads;
    EnsemblePredictor ensemble(options);
    Rng rng(2);
    ASSERT_TRUE(ensemble.Fit(x, y, rng).ok());
    const Eigen::MatrixXd members = ensemble.MemberPredictions(x);
    if (threads == 1) {
      reference = members;
    } else {
      EXPECT_EQ(members, reference) << threads << " threads";
    }
  }
}

TEST(EnsemblePredictorTest, MeanAndSpreadOfTheMembers) {
  Rng data_rng(3);
  FeatureMatrix x;
  Eigen::VectorXd y;
  Data(40, data_rng, &x, &y);
  EnsembleOptions options;
  options.network.epochs = 30;
  EnsemblePredictor ensemble(options);
  Rng rng(4);
  ASSERT_TRUE(ensemble.Fit(x, y, rng).ok());
  const Eigen::MatrixXd members = ensemble.MemberPredictions(x);
  ASSERT_EQ(members.rows(), 5);
  const Predictions p = ensemble.Predict(x);
  for (int i = 0; i < x.rows(); ++i) {
    double sum = 0, squares = 0;
    for (int m = 0; m < 5; ++m) sum += members(m, i);
    const double mean = sum / 5;
    for (int m = 0; m < 5; ++m) {
      squares += (members(m, i) - mean) * (members(m, i) - mean);
    }
    EXPECT_NEAR(p.mean(i), mean, 1e-12);
    EXPECT_NEAR(p.stddev(i), std::sqrt(squares / 5), 1e-12);
  }
  // Independently initialised members disagree somewhere.
  EXPECT_GT(p.stddev.maxCoeff(), 0.0);
}

TEST(EnsemblePredictorTest, RefittingWithTheSameRngDrawsNewMembers) {
  Rng data_rng(5);
  FeatureMatrix x;
  Eigen::VectorXd y;
  Data(20, data_rng, &x, &y);
  EnsembleOptions options;
  options.network.epochs = 3;
  EnsemblePredictor ensemble(options);
  Rng rng(6);
  ASSERT_TRUE(ensemble.Fit(x, y, rng).ok());
  const Eigen::MatrixXd first = ensemble.MemberPredictions(x);
  ASSERT_TRUE(ensemble.Fit(x, y, rng).ok());
  EXPECT_NE(ensemble.MemberPredictions(x), first);
}

}  // namespace
}  // namespace nas
