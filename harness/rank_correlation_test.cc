#include "harness/rank_correlation.h"

#include <cmath>
#include <vector>

#include "core/random.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

// Kendall's tau-b by its definition, over all pairs.
double BruteForceTauB(const std::vector<double>& x, const std::vector<double>& y) {
  double concordant = 0, discordant = 0, only_x = 0, only_y = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    for (size_t j = i + 1; j < x.size(); ++j) {
      const double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0 && dy == 0) continue;
      if (dx == 0) {
        ++only_x;
      } else if (dy == 0) {
        ++only_y;
      } else if ((dx > 0) == (dy > 0)) {
        ++concordant;
      } else {
        ++discordant;
      }
    }
  }
  return (concordant - discordant) /
         std::sqrt((concordant + discordant + only_y) *
                   (concordant + discordant + only_x));
}

TEST(RankCorrelationTest, HandValues) {
  // Ranks of y: 1, 3, 2, 4: d^2 sums to 2, rho = 1 - 6*2/(4*15) = 0.8;
  // one discordant pair of six: tau = (5 - 1) / 6.
  const std::vector<double> x = {1, 2, 3, 4}, y = {10, 30, 20, 40};
  EXPECT_NEAR(Spearman(x, y), 0.8, 1e-12);
  EXPECT_NEAR(KendallTauB(x, y), 4.0 / 6, 1e-12);
  const std::vector<double> reversed = {4, 3, 2, 1};
  EXPECT_NEAR(Spearman(x, reversed), -1, 1e-12);
  EXPECT_NEAR(KendallTauB(x, reversed), -1, 1e-12);
  EXPECT_TRUE(std::isnan(Spearman(x, {5, 5, 5, 5})));
  EXPECT_TRUE(std::isnan(KendallTauB(x, {5, 5, 5, 5})));
}

TEST(RankCorrelationTest, KnightMatchesThePairwiseDefinitionWithTies) {
  Rng rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    const int n = 2 + static_cast<int>(rng.UniformInt(60));
    std::vector<double> x(n), y(n);
    for (int i = 0; i < n; ++i) {
      x[i] = static_cast<double>(rng.UniformInt(7));  // Many ties.
      y[i] = x[i] + static_cast<double>(rng.UniformInt(5));
    }
    const double expected = BruteForceTauB(x, y);
    if (std::isnan(expected)) continue;
    EXPECT_NEAR(KendallTauB(x, y), expected, 1e-12) << "trial " << trial;
  }
}

TEST(RankCorrelationTest, BootstrapIntervalsAreSeededAndBracketTheEstimate) {
  Rng rng(3);
  std::vector<double> x(200), y(200);
  for (int i = 0; i < 200; ++i) {
    x[i] = rng.UniformDouble();
    y[i] = x[i] + 0.5 * rng.UniformDouble();
  }
  const RankCorrelation a = CorrelateRanks(x, y, 300, 9);
  const RankCorrelation b = CorrelateRanks(x, y, 300, 9);
  EXPECT_EQ(a.spearman_low, b.spearman_low);
  EXPECT_EQ(a.kendall_high, b.kendall_high);
  EXPECT_EQ(a.n, 200);
  EXPECT_LT(a.spearman_low, a.spearman);
  EXPECT_GT(a.spearman_high, a.spearman);
  EXPECT_LT(a.kendall_low, a.kendall);
  EXPECT_GT(a.kendall_high, a.kendall);
  EXPECT_GT(a.spearman, a.kendall);  // For a monotone trend with noise.
  EXPECT_NE(CorrelateRanks(x, y, 300, 10).spearman_low, a.spearman_low);
}

}  // namespace
}  // namespace nas
