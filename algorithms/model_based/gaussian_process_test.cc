#include "algorithms/model_based/gaussian_process.h"

#include <cmath>

#include "gtest/gtest.h"

namespace nas {
namespace {

FeatureMatrix Rows(std::initializer_list<std::initializer_list<float>> rows) {
  FeatureMatrix x(rows.size(), rows.begin()->size());
  int i = 0;
  for (const auto& row : rows) {
    int j = 0;
    for (float v : row) x(i, j++) = v;
    ++i;
  }
  return x;
}

TEST(GaussianProcessTest, TwoPointPosteriorMatchesTheHandComputation) {
  // Training points a = (0, 0), b = (1, 1) with y = 1, 3; length scale 1,
  // signal variance 2, noise variance 0.1; constant mean m = 2.
  //   d^2(a, b) = 2, so k(a, b) = 2 e^{-1}.
  //   K + noise I = [[p, q], [q, p]], p = 2.1, q = 2 e^{-1} = 0.735759
  //   det = p^2 - q^2 = 3.868659
  //   (K + noise I)^{-1} (y - m) = [[p, -q], [-q, p]] (-1, 1) / det
  //                               = (-(p + q), p + q) / det
  //                               = (-0.733002, 0.733002)
  // Test point x* = (0.5, 0): d^2 to a 0.25, to b 1.25, so
  //   k* = (2 e^{-0.125}, 2 e^{-0.625}) = (1.764994, 1.070523)
  //   mean = m + k* . (-0.733002, 0.733002) = 2 - 0.694471 * 0.733002
  //        = 1.490947
  //   var  = 2 - (k1^2 p - 2 k1 k2 q + k2^2 p) / det = 0.405602
  const FeatureMatrix x = Rows({{0, 0}, {1, 1}});
  Eigen::VectorXd y(2);
  y << 1, 3;
  GaussianProcessPredictor gp;
  ASSERT_TRUE(gp.FitWithHyperparameters(x, y, {1.0, 2.0, 0.1}).ok());
  const Predictions p = gp.Predict(Rows({{0.5f, 0}}));

  const double q = 2 * std::exp(-1.0), pp = 2.1, det = pp * pp - q * q;
  const double k1 = 2 * std::exp(-0.125), k2 = 2 * std::exp(-0.625);
  const double v = (pp + q) / det;
  EXPECT_NEAR(p.mean(0), 2 - k1 * v + k2 * v, 1e-12);
  EXPECT_NEAR(p.stddev(0) * p.stddev(0),
              2 - (k1 * k1 * pp - 2 * k1 * k2 * q + k2 * k2 * pp) / det, 1e-12);
  EXPECT_NEAR(p.mean(0), 1.4909470627, 1e-9);
  EXPECT_NEAR(p.stddev(0) * p.stddev(0), 0.4056015306, 1e-9);
}

TEST(GaussianProcessTest, InterpolatesAndRevertsToTheMeanFarAway) {
  const FeatureMatrix x = Rows({{0, 0, 0}, {1, 0, 0}, {1, 1, 0}});
  Eigen::VectorXd y(3);
  y << 10, 20, 15;
  GaussianProcessPredictor gp;
  ASSERT_TRUE(gp.FitWithHyperparameters(x, y, {1.0, 4.0, 1e-9}).ok());
  const Predictions at_data = gp.Predict(x);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(at_data.mean(i), y(i), 1e-5);
    EXPECT_NEAR(at_data.stddev(i), 0, 1e-3);
  }
  const Predictions far = gp.Predict(Rows({{30, 30, 30}}));
  EXPECT_NEAR(far.mean(0), 15, 1e-9);  // The training mean.
  EXPECT_NEAR(far.stddev(0), 2, 1e-9);  // sqrt(signal variance).
}

// Random binary encodings; y from a smooth function of them or pure noise.
void Data(bool smooth, Rng& rng, FeatureMatrix* x, Eigen::VectorXd* y) {
  const int n = 60, d = 12;
  x->resize(n, d);
  y->resize(n);
  for (int i = 0; i < n; ++i) {
    double count = 0;
    for (int j = 0; j < d; ++j) {
      (*x)(i, j) = rng.Bernoulli(0.5) ? 1.0f : 0.0f;
      count += (*x)(i, j) * (j < 4 ? 1.0 : 0.25);
    }
    (*y)(i) = smooth ? std::sin(count) : rng.Normal();
  }
}

TEST(GaussianProcessTest, GridChoosesLittleNoiseForSmoothDataAndMuchForNoise) {
  Rng rng(1);
  FeatureMatrix x;
  Eigen::VectorXd y;
  Data(/*smooth=*/true, rng, &x, &y);
  GaussianProcessPredictor smooth;
  ASSERT_TRUE(smooth.Fit(x, y, rng).ok());
  const GpHyperparameters& s = smooth.hyperparameters();
  EXPECT_LE(s.noise_variance / s.signal_variance, 1e-2);

  Data(/*smooth=*/false, rng, &x, &y);
  GaussianProcessPredictor noise;
  ASSERT_TRUE(noise.Fit(x, y, rng).ok());
  const GpHyperparameters& h = noise.hyperparameters();
  EXPECT_GE(h.noise_variance / h.signal_variance, 1e-1);
}

TEST(GaussianProcessTest, ChosenGridPointMaximisesTheLikelihood) {
  Rng rng(2);
  FeatureMatrix x;
  Eigen::VectorXd y;
  Data(/*smooth=*/true, rng, &x, &y);
  GaussianProcessPredictor gp;
  ASSERT_TRUE(gp.Fit(x, y, rng).ok());
  const GpHyperparameters best = gp.hyperparameters();
  const double best_lml =
      GaussianProcessPredictor::LogMarginalLikelihood(x, y, best);
  auto lml = [&](const GpHyperparameters& h) {
    return GaussianProcessPredictor::LogMarginalLikelihood(x, y, h);
  };
  // Neighbouring grid points (with the same signal variance, so no better
  // than with theirs profiled in) fit worse...
  const double factor = gp.length_scale_factor();
  const double ratio = gp.noise_ratio();
  int neighbours = 0;
  for (double f : {0.5, 2.0}) {
    if (factor * f >= 0.25 && factor * f <= 4) {
      GpHyperparameters other = best;
      other.length_scale *= f;
      EXPECT_LT(lml(other), best_lml) << "length scale x" << f;
      ++neighbours;
    }
  }
  for (double f : {0.1, 10.0}) {
    if (ratio * f >= 1e-4 * 0.99 && ratio * f <= 1.01) {
      GpHyperparameters other = best;
      other.noise_variance *= f;
      EXPECT_LT(lml(other), best_lml) << "noise x" << f;
      ++neighbours;
    }
  }
  EXPECT_GE(neighbours, 2);
  // ...and so does any other overall scale (the profiled signal variance).
  for (double f : {0.8, 1.25}) {
    GpHyperparameters other = best;
    other.signal_variance *= f;
    other.noise_variance *= f;
    EXPECT_LT(lml(other), best_lml) << "scale x" << f;
  }
}

TEST(GaussianProcessTest, OnePointAndConstantTargets) {
  GaussianProcessPredictor gp;
  Rng rng(3);
  Eigen::VectorXd one(1);
  one << 7;
  ASSERT_TRUE(gp.Fit(Rows({{1, 0}}), one, rng).ok());
  EXPECT_NEAR(gp.Predict(Rows({{1, 0}})).mean(0), 7, 1e-6);
  Eigen::VectorXd same(3);
  same << 5, 5, 5;
  ASSERT_TRUE(gp.Fit(Rows({{1, 0}, {0, 1}, {1, 1}}), same, rng).ok());
  EXPECT_NEAR(gp.Predict(Rows({{0, 0}})).mean(0), 5, 1e-9);
}

TEST(GaussianProcessTest, PairwiseSquaredDistancesCountDifferingBits) {
  const Eigen::MatrixXd d =
      PairwiseSquaredDistances(Rows({{1, 0, 1}, {0, 0, 0}}),
                               Rows({{1, 1, 1}, {1, 0, 1}, {0, 1, 0}}));
  Eigen::MatrixXd expected(2, 3);
  expected << 1, 0, 3, 3, 2, 1;
  EXPECT_EQ(d, expected);
}

}  // namespace
}  // namespace nas
