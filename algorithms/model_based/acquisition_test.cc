#include "algorithms/model_based/acquisition.h"

#include <cmath>

#include "algorithms/model_based/ensemble_predictor.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

TEST(AcquisitionTest, ExpectedImprovementHandValues) {
  // mean 1, stddev 1, best 0: z = -1,
  //   EI = -1 * Phi(-1) + phi(-1) = -0.158655 + 0.241971 = 0.0833155.
  EXPECT_NEAR(ExpectedImprovement(1, 1, 0), 0.0833154705876863, 1e-12);
  // mean = best: EI = stddev * phi(0) = 2 / sqrt(2 pi).
  EXPECT_NEAR(ExpectedImprovement(0, 2, 0), 0.7978845608028654, 1e-12);
  // Errors in percent: mean 26.5, stddev 0.5, best 26: z = -1 again, so
  // EI scales with stddev: 0.5 * 0.0833155.
  EXPECT_NEAR(ExpectedImprovement(26.5, 0.5, 26), 0.0416577352938431, 1e-12);
  // No uncertainty: the plain improvement.
  EXPECT_EQ(ExpectedImprovement(-1, 0, 0), 1);
  EXPECT_EQ(ExpectedImprovement(1, 0, 0), 0);
}

TEST(AcquisitionTest, UpperConfidenceBoundHandValues) {
  EXPECT_EQ(UpperConfidenceBound(3, 2, 0.5), 2);
  EXPECT_EQ(UpperConfidenceBound(3, 2, 0), 3);
}

TEST(AcquisitionTest, ScoresRankLowerIsBetter) {
  Predictions p;
  p.mean = Eigen::Vector3d(1, 0.5, 1);
  p.stddev = Eigen::Vector3d(1, 0, 3);
  Rng rng(1);
  AcquisitionOptions options;
  options.kind = AcquisitionKind::kUpperConfidenceBound;
  options.ucb_kappa = 0.5;
  // 0.5, 0.5, -0.5: the uncertain candidate first, then the tie in order.
  EXPECT_EQ(AcquisitionScores(p, 0, options, rng),
            std::vector<double>({0.5, 0.5, -0.5}));
  EXPECT_EQ(LowestScores(AcquisitionScores(p, 0, options, rng), 3),
            std::vector<int>({2, 0, 1}));
  options.kind = AcquisitionKind::kExpectedImprovement;
  const std::vector<double> ei = AcquisitionScores(p, 0.75, options, rng);
  EXPECT_NEAR(ei[1], -0.25, 1e-15);  // Certain improvement of 0.25.
  EXPECT_EQ(LowestScores(ei, 1), std::vector<int>({2}));
  EXPECT_EQ(LowestScores({3, 1, 2}, 10), std::vector<int>({1, 2, 0}));
}

TEST(AcquisitionTest, ThompsonDrawsFollowTheEnsemblesSpread) {
  // An ensemble trained on a little data disagrees away from it. Draws for
  // one such candidate must have the members' mean and (population)
  // standard deviation: 40,000 draws put the sample mean within
  // 4 sigma / 200 and the sample standard deviation within ~2%.
  Rng rng(2);
  FeatureMatrix x(12, 4);
  Eigen::VectorXd y(12);
  for (int i = 0; i < 12; ++i) {
    for (int j = 0; j < 4; ++j) x(i, j) = rng.Bernoulli(0.5) ? 1.0f : 0.0f;
    y(i) = x(i, 0) * 5 + x(i, 1) * x(i, 2) + rng.Normal();
  }
  EnsembleOptions options;
  options.network.epochs = 50;
  EnsemblePredictor ensemble(options);
  ASSERT_TRUE(ensemble.Fit(x, y, rng).ok());
  FeatureMatrix candidate(1, 4);
  candidate << 3, -2, 4, 5;  // Far from every training encoding.
  const Eigen::VectorXd members = ensemble.MemberPredictions(candidate).col(0);
  const double mean = members.mean();
  const double stddev =
      std::sqrt((members.array() - mean).square().mean());
  ASSERT_GT(stddev, 0.1);

  const Predictions p = ensemble.Predict(candidate);
  AcquisitionOptions its;  // Independent Thompson sampling by default.
  const int kDraws = 40000;
  double sum = 0, squares = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double draw = AcquisitionScores(p, 0, its, rng)[0];
    sum += draw;
    squares += draw * draw;
  }
  const double sample_mean = sum / kDraws;
  const double sample_stddev =
      std::sqrt(squares / kDraws - sample_mean * sample_mean);
  EXPECT_NEAR(sample_mean, mean, 4 * stddev / std::sqrt(kDraws));
  EXPECT_NEAR(sample_stddev, stddev, 0.02 * stddev);
}

TEST(AcquisitionTest, ThompsonDrawsAreIndependentAcrossCandidates) {
  // Two candidates with the same prediction get different draws; their
  // correlation over many rounds is ~0.
  Predictions p;
  p.mean = Eigen::Vector2d(0, 0);
  p.stddev = Eigen::Vector2d(1, 1);
  Rng rng(3);
  AcquisitionOptions its;
  double cross = 0;
  const int kRounds = 20000;
  for (int i = 0; i < kRounds; ++i) {
    const std::vector<double> s = AcquisitionScores(p, 0, its, rng);
    cross += s[0] * s[1];
  }
  EXPECT_NEAR(cross / kRounds, 0, 4 / std::sqrt(kRounds));
}

}  // namespace
}  // namespace nas
