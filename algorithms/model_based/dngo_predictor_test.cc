#include "algorithms/model_based/dngo_predictor.h"

#include <cmath>

#include "gtest/gtest.h"

namespace nas {
namespace {

TEST(BayesianLinearRegressionTest, OneFeatureMatchesTheScalarFormulas) {
  // One feature phi, prior precision alpha, noise precision beta:
  //   A = alpha + beta sum phi^2,  m = beta sum(phi y) / A,
  //   predictive variance at phi* = 1/beta + phi*^2 / A.
  // phi = (1, 2, 3), y = (2, 3, 7): sum phi^2 = 14, sum phi y = 29.
  // alpha = 0.5, beta = 2: A = 28.5, m = 58 / 28.5 = 2.035088.
  Eigen::MatrixXd phi(3, 1);
  phi << 1, 2, 3;
  Eigen::VectorXd y(3);
  y << 2, 3, 7;
  BayesianLinearRegression blr;
  blr.FitWithHyperparameters(phi, y, 0.5, 2.0);
  Eigen::MatrixXd query(1, 1);
  query << 4;
  Eigen::VectorXd mean, variance;
  blr.Predict(query, &mean, &variance);
  EXPECT_NEAR(mean(0), 4 * 58 / 28.5, 1e-12);
  EXPECT_NEAR(variance(0), 0.5 + 16 / 28.5, 1e-12);
}

TEST(BayesianLinearRegressionTest, EvidenceRecoversTheNoiseLevel) {
  // y = 2 x + 1 + N(0, 0.1^2): the evidence-maximising noise precision is
  // close to 1 / 0.01 = 100 and the weights to (2, 1).
  Rng rng(1);
  const int n = 2000;
  Eigen::MatrixXd phi(n, 2);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    const double x = 2 * rng.UniformDouble() - 1;
    phi(i, 0) = x;
    phi(i, 1) = 1;
    y(i) = 2 * x + 1 + 0.1 * rng.Normal();
  }
  BayesianLinearRegression blr;
  blr.Fit(phi, y);
  EXPECT_NEAR(blr.beta(), 100, 8);  // ~2.5 standard errors of 1/s^2.
  EXPECT_NEAR(blr.weights()(0), 2, 0.02);
  EXPECT_NEAR(blr.weights()(1), 1, 0.01);
}

TEST(BayesianLinearRegressionTest, FixedPointMaximisesTheEvidence) {
  Rng rng(2);
  const int n = 40, m = 6;
  Eigen::MatrixXd phi(n, m);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < m; ++j) phi(i, j) = rng.Normal();
    y(i) = phi(i, 0) - 0.5 * phi(i, 3) + 0.3 * rng.Normal();
  }
  BayesianLinearRegression blr;
  blr.Fit(phi, y);
  const double best =
      BayesianLinearRegression::LogEvidence(phi, y, blr.alpha(), blr.beta());
  for (double f : {0.9, 1.1}) {
    EXPECT_LT(BayesianLinearRegression::LogEvidence(phi, y, blr.alpha() * f,
                                                    blr.beta()),
              best);
    EXPECT_LT(BayesianLinearRegression::LogEvidence(phi, y, blr.alpha(),
                                                    blr.beta() * f),
              best);
  }
}

TEST(DngoPredictorTest, FitsAndIsLessSureAwayFromTheData) {
  // y = sin(x1) + x2^2 on [-2, 2]^2, as for the network alone.
  Rng rng(3);
  const int n = 300;
  FeatureMatrix x(n, 2), far(50, 2);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    const double x1 = 4 * rng.UniformDouble() - 2;
    const double x2 = 4 * rng.UniformDouble() - 2;
    x(i, 0) = x1;
    x(i, 1) = x2;
    y(i) = std::sin(x1) + x2 * x2;
  }
  for (int i = 0; i < 50; ++i) {
    far(i, 0) = 6 + 2 * rng.UniformDouble();
    far(i, 1) = -6 - 2 * rng.UniformDouble();
  }
  DngoPredictor dngo{NetworkOptions()};
  ASSERT_TRUE(dngo.Fit(x, y, rng).ok());
  const Predictions at_data = dngo.Predict(x);
  // Bayesian linear regression on the trained basis fits about as well as
  // the network's own output layer (~0.1 MAE; the mean predictor ~1.15).
  EXPECT_LT((at_data.mean - y).cwiseAbs().mean(), 0.2);
  EXPECT_GT(dngo.Predict(far).stddev.mean(), 3 * at_data.stddev.mean());
}

}  // namespace
}  // namespace nas
