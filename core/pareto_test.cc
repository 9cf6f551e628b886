#include "core/pareto.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/random.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

using ::testing::ElementsAre;

std::vector<ObjectiveVector> RandomPoints(Rng& rng, int n, int objectives,
                                          int levels) {
  // Few levels: many ties and duplicates, where fronts go wrong.
  std::vector<ObjectiveVector> points(n, ObjectiveVector(objectives));
  for (ObjectiveVector& p : points) {
    for (double& v : p) v = static_cast<double>(rng.UniformInt(levels));
  }
  return points;
}

std::vector<int> BruteForceFront(const std::vector<ObjectiveVector>& points) {
  std::vector<int> front;
  for (size_t i = 0; i < points.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < points.size(); ++j) {
      bool no_worse = true, better = false;
      for (size_t m = 0; m < points[i].size(); ++m) {
        no_worse = no_worse && points[j][m] <= points[i][m];
        better = better || points[j][m] < points[i][m];
      }
      dominated = dominated || (no_worse && better);
    }
    if (!dominated) front.push_back(static_cast<int>(i));
  }
  return front;
}

TEST(ParetoTest, DominationIsStrictSomewhere) {
  EXPECT_TRUE(Dominates({1, 2}, {1, 3}));
  EXPECT_FALSE(Dominates({1, 2}, {1, 2}));
  EXPECT_FALSE(Dominates({1, 3}, {2, 2}));
}

TEST(ParetoTest, FrontEqualsTheBruteForceOneOnTiesAndDuplicates) {
  Rng rng(7);
  for (int objectives : {2, 3, 4}) {
    for (int trial = 0; trial < 200; ++trial) {
      const auto points = RandomPoints(rng, 1 + trial % 60, objectives, 6);
      EXPECT_EQ(NonDominatedIndices(points), BruteForceFront(points))
          << objectives << " objectives, trial " << trial;
    }
  }
}

TEST(ParetoTest, RanksPeelFrontsInTurn) {
  const std::vector<ObjectiveVector> points = {{1, 4}, {2, 2}, {4, 1},
                                               {3, 3}, {4, 4}, {2, 2}};
  EXPECT_THAT(NonDominatedRanks(points), ElementsAre(0, 0, 0, 1, 2, 0));
}

TEST(ParetoTest, CrowdingDistanceIsInfiniteAtTheEndsAndSumsGaps) {
  const std::vector<ObjectiveVector> points = {{0, 4}, {1, 2}, {3, 1}, {4, 0}};
  const std::vector<double> d = CrowdingDistances(points, {0, 1, 2, 3});
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(d[0], inf);
  EXPECT_EQ(d[3], inf);
  // Point 1: (3 - 0) / 4 in x, (4 - 1) / 4 in y; point 2: (4 - 1) / 4 and
  // (2 - 0) / 4.
  EXPECT_DOUBLE_EQ(d[1], 1.5);
  EXPECT_DOUBLE_EQ(d[2], 1.25);
}

TEST(ParetoTest, HypervolumeMatchesHandComputedValues) {
  // Staircase: 1 * 1 + 1 * 2 + 1 * 3.
  EXPECT_DOUBLE_EQ(*Hypervolume({{1, 3}, {2, 2}, {3, 1}}, {4, 4}), 6.0);
  // Dominated points and points outside the reference add nothing.
  EXPECT_DOUBLE_EQ(
      *Hypervolume({{1, 3}, {2, 2}, {3, 1}, {3, 3}, {5, 0}, {0, 4}}, {4, 4}),
      6.0);
  EXPECT_DOUBLE_EQ(*Hypervolume({}, {4, 4}), 0.0);
  // One box: 1 * 2 * 3.
  EXPECT_DOUBLE_EQ(*Hypervolume({{1, 1, 1}}, {2, 3, 4}), 6.0);
  // Two boxes of 4 overlapping in 2: 4 + 4 - 2.
  EXPECT_DOUBLE_EQ(*Hypervolume({{0, 0, 1}, {0, 1, 0}}, {2, 2, 2}), 6.0);
  // Three unit-corner boxes in the 2-cube: 3 * 4 - 3 * 2 + 1.
  EXPECT_DOUBLE_EQ(*Hypervolume({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, {2, 2, 2}),
                   7.0);
}

TEST(ParetoTest, HypervolumeAgreesWithMonteCarlo) {
  Rng rng(11);
  for (int objectives : {2, 3}) {
    for (int trial = 0; trial < 5; ++trial) {
      std::vector<ObjectiveVector> points(25, ObjectiveVector(objectives));
      for (ObjectiveVector& p : points) {
        for (double& v : p) v = rng.UniformDouble();
      }
      const ObjectiveVector reference(objectives, 1.0);
      const double exact = *Hypervolume(points, reference);
      const int samples = 200000;
      int hits = 0;
      ObjectiveVector sample(objectives);
      for (int s = 0; s < samples; ++s) {
        for (double& v : sample) v = rng.UniformDouble();
        for (const ObjectiveVector& p : points) {
          bool covers = true;
          for (int m = 0; m < objectives; ++m)
            covers = covers && p[m] <= sample[m];
          if (covers) {
            ++hits;
            break;
          }
        }
      }
      const double estimate = static_cast<double>(hits) / samples;
      const double sigma = std::sqrt(estimate * (1 - estimate) / samples);
      EXPECT_NEAR(exact, estimate, 5 * sigma)
          << objectives << " objectives, trial " << trial;
    }
  }
}

// Integer points in a 6-cube: the dominated volume is the number of unit
// cells whose lower corner some point weakly dominates, counted one by one.
TEST(ParetoTest, HypervolumeCountsUnitCellsOfIntegerFronts) {
  Rng rng(5);
  for (int objectives : {2, 3}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<ObjectiveVector> points(1 + rng.UniformInt(12));
      for (ObjectiveVector& p : points) {
        p.resize(objectives);
        for (double& x : p) x = static_cast<double>(rng.UniformInt(7));
      }
      const ObjectiveVector reference(objectives, 6.0);
      int cells = 0;
      const int total = objectives == 2 ? 36 : 216;
      for (int c = 0; c < total; ++c) {
        const ObjectiveVector corner = {static_cast<double>(c % 6),
                                        static_cast<double>(c / 6 % 6),
                                        static_cast<double>(c / 36)};
        cells += std::any_of(points.begin(), points.end(),
                             [&](const ObjectiveVector& p) {
                               for (int k = 0; k < objectives; ++k) {
                                 if (p[k] > corner[k]) return false;
                               }
                               return true;
                             });
      }
      EXPECT_DOUBLE_EQ(*Hypervolume(points, reference), cells)
          << objectives << " objectives, trial " << trial;
    }
  }
}

TEST(ParetoTest, HypervolumeRefusesOtherDimensions) {
  EXPECT_FALSE(Hypervolume({{1, 1, 1, 1}}, {2, 2, 2, 2}).ok());
  EXPECT_FALSE(Hypervolume({{1, 1}}, {2, 2, 2}).ok());
}

}  // namespace
}  // namespace nas
