#include "core/random.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace nas {
namespace {

TEST(RngTest, SameSeedSameStream) {
  Rng a(42), b(42);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.NextU64(), b.NextU64());
}

TEST(RngTest, PinnedFirstValuesNeverChange) {
  // Stored results depend on this stream: a change here is a format break.
  Rng rng(1);
  EXPECT_EQ(rng.NextU64(), 0xb3f2af6d0fc710c5ULL);
  EXPECT_EQ(StableHash("nasbench201"), StableHash("nasbench201"));
  EXPECT_NE(StableHash("a"), StableHash("b"));
}

TEST(RngTest, UniformIntIsUnbiasedOverSmallRange) {
  Rng rng(7);
  std::vector<int> counts(6, 0);
  const int kDraws = 600000;
  for (int i = 0; i < kDraws; ++i) ++counts[rng.UniformInt(6)];
  // Chi-square with 5 degrees of freedom; 20.5 is the 0.999 quantile.
  double chi2 = 0;
  for (int c : counts) {
    const double expected = kDraws / 6.0;
    chi2 += (c - expected) * (c - expected) / expected;
  }
  EXPECT_LT(chi2, 20.5);
}

TEST(RngTest, UniformDoubleInUnitInterval) {
  Rng rng(3);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.UniformDouble();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.005);
}

TEST(RngTest, NormalHasUnitMoments) {
  Rng rng(11);
  double sum = 0, sum_sq = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = rng.Normal();
    sum += x;
    sum_sq += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum_sq / n, 1.0, 0.02);
}

TEST(RngTest, ForkIsIndependentAndDoesNotAdvance) {
  Rng parent(5);
  Rng copy = parent;
  Rng child_a = parent.Fork(1);
  Rng child_b = parent.Fork(2);
  EXPECT_EQ(parent.NextU64(), copy.NextU64());
  EXPECT_NE(child_a.NextU64(), child_b.NextU64());
}

TEST(RngTest, ShuffleIsAPermutation) {
  Rng rng(9);
  std::vector<int> v = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  rng.Shuffle(&v);
  std::vector<int> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(sorted[i], i);
}

// Shuffle works on a copy of the state: it must draw exactly what
// UniformInt would, back to front, and leave the stream where those draws
// leave it (published results depend on both).
TEST(RngTest, ShuffleIsFisherYatesOnUniformIntAndAdvancesTheStream) {
  for (int n : {0, 1, 2, 24, 1000}) {
    Rng shuffled(21), reference(21);
    std::vector<int> v(n), expected(n);
    for (int i = 0; i < n; ++i) v[i] = expected[i] = i;
    shuffled.Shuffle(&v);
    for (int i = n; i > 1; --i) {
      std::swap(expected[i - 1], expected[reference.UniformInt(i)]);
    }
    EXPECT_EQ(v, expected) << "n = " << n;
    EXPECT_EQ(shuffled.NextU64(), reference.NextU64()) << "n = " << n;
  }
}

TEST(RngTest, UniformIntInRangeCoversBothEnds) {
  Rng rng(13);
  bool saw_lo = false, saw_hi = false;
  for (int i = 0; i < 1000; ++i) {
    const int64_t x = rng.UniformIntInRange(-2, 2);
    ASSERT_GE(x, -2);
    ASSERT_LE(x, 2);
    saw_lo |= x == -2;
    saw_hi |= x == 2;
  }
  EXPECT_TRUE(saw_lo && saw_hi);
}

}  // namespace
}  // namespace nas
