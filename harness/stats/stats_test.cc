#include "harness/stats/stats.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace nas {
namespace {

// Values computed by hand: x = {2, 4, 4, 4, 5, 5, 7, 9}; sum 40, mean 5;
// squared deviations sum to 32, so s^2 = 32/7 and s = 2.138089935...
TEST(StatsTest, SummaryOfAHandComputedSample) {
  const std::vector<double> x = {2, 4, 4, 4, 5, 5, 7, 9};
  const SampleSummary s = Summarize(x);
  EXPECT_EQ(s.n, 8);
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
  EXPECT_NEAR(s.std_dev, std::sqrt(32.0 / 7.0), 1e-12);
  EXPECT_NEAR(s.std_error, std::sqrt(32.0 / 7.0) / std::sqrt(8.0), 1e-12);
  EXPECT_DOUBLE_EQ(s.median, 4.5);
  // t_{0.975, 7} = 2.364624252 (printed tables give 2.365).
  const double half = 2.364624252 * std::sqrt(32.0 / 7.0) / std::sqrt(8.0);
  EXPECT_NEAR(s.ci95_low, 5.0 - half, 1e-8);
  EXPECT_NEAR(s.ci95_high, 5.0 + half, 1e-8);
}

TEST(StatsTest, StdDevGivenTheMeanIsTheSameBits) {
  const std::vector<double> x = {0.1, 1e9, 3.3, -7.25, 1e-9, 42, 0.3};
  EXPECT_EQ(SampleStdDev(x, Mean(x)), SampleStdDev(x));
  EXPECT_TRUE(std::isnan(SampleStdDev(std::vector<double>{1.5}, 1.5)));
}

TEST(StatsTest, StudentTCriticalMatchesTables) {
  EXPECT_NEAR(StudentTCritical(0.95, 1), 12.7062047, 1e-6);
  EXPECT_NEAR(StudentTCritical(0.95, 10), 2.2281389, 1e-6);
  EXPECT_NEAR(StudentTCritical(0.95, 99), 1.9842169, 1e-6);
  EXPECT_NEAR(StudentTCritical(0.99, 5), 4.0321430, 1e-6);
}

TEST(StatsTest, QuantileInterpolatesLikeNumpy) {
  const std::vector<double> x = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(Quantile(x, 0.25), 1.75);  // numpy.quantile default.
  EXPECT_DOUBLE_EQ(Quantile(x, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(Quantile(x, 1.0), 4.0);
}

// Selection, not sorting: unsorted input, ties, both ends, and the
// neighbour above the position taken from the right order statistic.
TEST(StatsTest, QuantileOfUnsortedValuesMatchesTheSortedDefinition) {
  const std::vector<double> x = {9, 1, 7, 3, 3, 8, 2, 6, 5, 4, 0};
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  for (double q : {0.0, 0.025, 0.1, 0.25, 0.5, 0.63, 0.9, 0.975, 1.0}) {
    const double position = q * static_cast<double>(sorted.size() - 1);
    const size_t below = static_cast<size_t>(std::floor(position));
    const size_t above = std::min(below + 1, sorted.size() - 1);
    const double expected =
        sorted[below] + (position - static_cast<double>(below)) *
                            (sorted[above] - sorted[below]);
    EXPECT_EQ(Quantile(x, q), expected) << q;
  }
  EXPECT_TRUE(std::isnan(Quantile(std::vector<double>{}, 0.5)));
}

TEST(StatsTest, SingleValueHasNoSpread) {
  const SampleSummary s = Summarize(std::vector<double>{3.5});
  EXPECT_DOUBLE_EQ(s.mean, 3.5);
  EXPECT_TRUE(std::isnan(s.std_dev));
  EXPECT_TRUE(std::isnan(s.ci95_low));
}

TEST(StatsTest, MeanIsExactForLargeOffsets) {
  std::vector<double> x(1000, 1e8);
  for (int i = 0; i < 1000; ++i) x[i] += 0.1;
  EXPECT_NEAR(Mean(x), 1e8 + 0.1, 1e-7);
}

}  // namespace
}  // namespace nas
