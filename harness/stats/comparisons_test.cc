#include "harness/stats/comparisons.h"

#include <cmath>
#include <vector>

#include "core/random.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/stats/stats.h"

namespace nas {
namespace {

using ::testing::ElementsAre;
using ::testing::DoubleNear;

TEST(AverageRanksTest, TiesShareTheirAverageRank) {
  EXPECT_THAT(AverageRanks(std::vector<double>{3, 1, 4, 1, 5}),
              ElementsAre(3, 1.5, 4, 1.5, 5));
}

// Hand-computed: differences x - y = {+1, -2, +3, +4, +5, -6}; ranks of |d|
// are 1..6, so W+ = 1+3+4+5 = 13, W- = 2+6 = 8, min = 8. Of the 2^6 = 64
// sign patterns, those with positive-rank sum <= 8 number
// 1 (0) +1 (1) +1 (2) +2 (3) +2 (4) +3 (5) +4 (6) +4 (7) +4 (8) = 22,
// so p = 2 * 22 / 64 = 0.6875.
TEST(WilcoxonTest, ExactSmallSampleMatchesHandComputation) {
  const std::vector<double> x = {11, 8, 13, 14, 15, 4};
  const std::vector<double> y = {10, 10, 10, 10, 10, 10};
  const WilcoxonResult r = WilcoxonSignedRank(x, y);
  EXPECT_EQ(r.n, 6);
  EXPECT_DOUBLE_EQ(r.w_plus, 13);
  EXPECT_DOUBLE_EQ(r.w_minus, 8);
  EXPECT_TRUE(r.exact);
  EXPECT_NEAR(r.p_value, 0.6875, 1e-12);
}

// All 8 differences positive: only the all-positive pattern reaches W- = 0,
// so p = 2 / 2^8 = 0.0078125.
TEST(WilcoxonTest, AllPositiveDifferences) {
  std::vector<double> x, y;
  for (int i = 1; i <= 8; ++i) {
    x.push_back(i * 1.5);
    y.push_back(0);
  }
  const WilcoxonResult r = WilcoxonSignedRank(x, y);
  EXPECT_NEAR(r.p_value, 2.0 / 256, 1e-15);
}

TEST(WilcoxonTest, ZeroDifferencesAreDropped) {
  const WilcoxonResult r = WilcoxonSignedRank(std::vector<double>{1, 2, 3},
                                              std::vector<double>{1, 2, 3});
  EXPECT_EQ(r.n, 0);
  EXPECT_EQ(r.p_value, 1);
}

// A second, independent method: for 25 differences without ties the exact
// p-value and the normal approximation (with continuity correction) agree to
// about 0.01, as the approximation is known to at this n.
TEST(WilcoxonTest, ExactAndNormalApproximationAgreeAtTheSwitchOver) {
  Rng rng(1);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> x, y;
    for (int i = 0; i < 25; ++i) {
      x.push_back(rng.Normal() + 0.3);
      y.push_back(rng.Normal());
    }
    const WilcoxonResult exact = WilcoxonSignedRank(x, y);
    ASSERT_TRUE(exact.exact);
    // The approximation, computed here from the exact result's W+.
    const double n = exact.n;
    const double mean = n * (n + 1) / 4;
    const double sd = std::sqrt(n * (n + 1) * (2 * n + 1) / 24);
    const double z = (std::fabs(exact.w_plus - mean) - 0.5) / sd;
    const double approx = std::erfc(z / std::sqrt(2.0));
    EXPECT_NEAR(exact.p_value, approx, 0.012) << trial;
  }
}

// Differences {-1, -2, -2, -3, +1, -4, -5, ..., -24}: 26 values with ties at
// |1| and |2|, so the normal branch with tie correction, checked by hand.
TEST(WilcoxonTest, NormalApproximationWithTies) {
  std::vector<double> d = {-1, -2, -2, -3, 1};
  for (int k = 4; k <= 24; ++k) d.push_back(-k);
  std::vector<double> x(d.size(), 0), y;
  for (double v : d) y.push_back(-v);  // x - y = d.
  const WilcoxonResult r = WilcoxonSignedRank(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.n, 26);
  // |d| ranks: the two 1s share 1.5, the two 2s share 3.5; the one positive
  // difference (+1) has rank 1.5.
  EXPECT_DOUBLE_EQ(r.w_plus, 1.5);
  // Tie term: two pairs, each t^3 - t = 6, so 12; variance =
  // 26*27*53/24 - 12/48 = 1550.25 - 0.25 = 1550.
  const double z = (std::fabs(1.5 - 26 * 27 / 4.0) - 0.5) / std::sqrt(1550.0);
  EXPECT_NEAR(std::fabs(r.z), z, 1e-12);
  EXPECT_NEAR(r.p_value, std::erfc(z / std::sqrt(2.0)), 1e-12);
}

// Holm by hand: p = {0.01, 0.04, 0.03, 0.005}, m = 4. Sorted 0.005, 0.01,
// 0.03, 0.04 -> 4*0.005 = 0.02, 3*0.01 = 0.03, 2*0.03 = 0.06, 1*0.04 ->
// max(0.06, 0.04) = 0.06.
TEST(HolmTest, StepDownByHand) {
  EXPECT_THAT(HolmAdjust(std::vector<double>{0.01, 0.04, 0.03, 0.005}),
              ElementsAre(DoubleNear(0.03, 1e-15), DoubleNear(0.06, 1e-15),
                          DoubleNear(0.06, 1e-15), DoubleNear(0.02, 1e-15)));
  EXPECT_THAT(HolmAdjust(std::vector<double>{0.5, 0.9}),
              ElementsAre(DoubleNear(1.0, 0), DoubleNear(1.0, 0)));
}

TEST(BootstrapTest, DeterministicAndCoversTheMean) {
  Rng rng(2);
  std::vector<double> values;
  for (int i = 0; i < 200; ++i) values.push_back(10 + rng.Normal());
  const Interval a = BootstrapMeanInterval(values, 0.95, 2000, 7);
  const Interval b = BootstrapMeanInterval(values, 0.95, 2000, 7);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  const double mean = Mean(values);
  EXPECT_LT(a.low, mean);
  EXPECT_GT(a.high, mean);
  // Close to the t interval for a near-normal sample (a second method).
  const SampleSummary t = Summarize(values);
  EXPECT_NEAR(a.low, t.ci95_low, 0.05);
  EXPECT_NEAR(a.high, t.ci95_high, 0.05);
}

TEST(AnytimeTest, AreaAndQueriesToReach) {
  const std::vector<double> curve = {5, 4, 4, 2};
  EXPECT_DOUBLE_EQ(AreaUnderCurve(curve, 4), 15.0 / 4);
  EXPECT_DOUBLE_EQ(AreaUnderCurve(curve, 6), 19.0 / 6);  // Extended with 2s.
  EXPECT_EQ(QueriesToReach(curve, 4), 2);
  EXPECT_EQ(QueriesToReach(curve, 2), 4);
  EXPECT_EQ(QueriesToReach(curve, 1), -1);
}

}  // namespace
}  // namespace nas
