#include "landscape/exact.h"

#include <cmath>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "landscape/graph.h"

namespace nas {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

// 3 x 3 grid, 4-neighbour moves, losses
//   8 7 6
//   5 0 4
//   3 2 1
// By hand: vertex 4 (loss 0) and vertex 8 (loss 1, neighbours 4 and 2) are
// the local minima; every other vertex climbs to 4 in one or two moves.
NeighbourGraph Grid3x3() {
  std::vector<std::vector<int>> adjacency(9);
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) {
      const int v = r * 3 + c;
      if (r > 0) adjacency[v].push_back(v - 3);
      if (c > 0) adjacency[v].push_back(v - 1);
      if (c < 2) adjacency[v].push_back(v + 1);
      if (r < 2) adjacency[v].push_back(v + 3);
    }
  }
  return GraphFromAdjacency(adjacency);
}
const std::vector<double> kGridLoss = {8, 7, 6, 5, 0, 4, 3, 2, 1};

TEST(ExactTest, GridByHand) {
  const ExactAnalysis a = AnalyzeExact(Grid3x3(), kGridLoss);
  EXPECT_THAT(a.ls, ElementsAre(3, 4, 5, 4, 4, 4, 7, 4, 8));
  EXPECT_THAT(a.ls_star, ElementsAre(4, 4, 4, 4, 4, 4, 4, 4, 8));
  EXPECT_THAT(a.steps, ElementsAre(2, 1, 2, 1, 0, 1, 2, 1, 0));
  EXPECT_THAT(a.minima, ElementsAre(4, 8));
  EXPECT_EQ(a.global_minimum(), 4);
  EXPECT_EQ(a.tree_size[4], 8);  // Basin of the global minimum.
  EXPECT_EQ(a.tree_size[8], 1);
  EXPECT_EQ(a.tree_size[3], 2);  // 3 and 0.
  EXPECT_THAT(a.preimage, ElementsAre(0, 0, 0, 1, 4, 1, 0, 1, 0));
  EXPECT_THAT(a.Children(4), ElementsAre(1, 3, 5, 7));
  EXPECT_EQ(a.tied_moves, 0);
}

TEST(ExactTest, EpsilonCurveWeighsMinimaByBasin) {
  const ExactAnalysis a = AnalyzeExact(Grid3x3(), kGridLoss);
  std::vector<double> x;
  for (double l : kGridLoss) x.push_back(l / 8);
  // Gaps: 0 (basin 8 of 9), 1/8 (basin 1).
  EXPECT_THAT(EpsilonCurve(a, x, {0.0, 0.1, 0.125, 0.5}),
              ElementsAre(8.0 / 9, 8.0 / 9, 1.0, 1.0));
}

TEST(ExactTest, LsTreeLevelsAndBreadthFirstOrder) {
  const ExactAnalysis a = AnalyzeExact(Grid3x3(), kGridLoss);
  const LsTree tree = ExtractLsTree(a, 4, 100);
  EXPECT_EQ(tree.full_size, 8);
  EXPECT_THAT(tree.level_sizes, ElementsAre(1, 4, 3));
  EXPECT_THAT(tree.vertices, ElementsAre(4, 1, 3, 5, 7, 0, 2, 6));
  EXPECT_THAT(tree.parent, ElementsAre(-1, 0, 0, 0, 0, 2, 3, 4));
  EXPECT_THAT(tree.depth, ElementsAre(0, 1, 1, 1, 1, 2, 2, 2));
  // Truncated: the shallowest vertices are kept, the sizes still count all.
  const LsTree small = ExtractLsTree(a, 4, 3);
  EXPECT_THAT(small.vertices, ElementsAre(4, 1, 3));
  EXPECT_THAT(small.level_sizes, ElementsAre(1, 4, 3));
}

// Path 0-1-2-3-4 with losses 3 1 2 0 5: minima 3 (basin {2,3,4}) and 1
// (basin {0,1}).
TEST(ExactTest, PathByHand) {
  const NeighbourGraph path =
      GraphFromAdjacency({{1}, {0, 2}, {1, 3}, {2, 4}, {3}});
  const ExactAnalysis a = AnalyzeExact(path, {3, 1, 2, 0, 5});
  EXPECT_THAT(a.ls, ElementsAre(1, 1, 3, 3, 3));
  EXPECT_THAT(a.minima, ElementsAre(3, 1));
  EXPECT_EQ(a.tree_size[3], 3);
  EXPECT_EQ(a.tree_size[1], 2);
}

// The documented tie rule: keep the current vertex when no neighbour is
// strictly better (plateaus are minima); among equally good better
// neighbours take the smallest tie rank (vertex number here).
TEST(ExactTest, TieRule) {
  // Star: centre 0 (loss 5), leaves 1, 2 (loss 1, tied) and 3 (loss 2).
  const NeighbourGraph star = GraphFromAdjacency({{3, 2, 1}, {0}, {0}, {0}});
  const ExactAnalysis a = AnalyzeExact(star, {5, 1, 1, 2});
  EXPECT_EQ(a.ls[0], 1);
  EXPECT_EQ(a.tied_moves, 1);
  EXPECT_THAT(a.minima, ElementsAre(1, 2, 3));  // Loss, then rank.
  EXPECT_EQ(a.tree_size[1], 2);
  // A plateau: two neighbours of equal loss are both minima.
  const NeighbourGraph pair = GraphFromAdjacency({{1}, {0}});
  const ExactAnalysis p = AnalyzeExact(pair, {0.5, 0.5});
  EXPECT_THAT(p.ls, ElementsAre(0, 1));
  EXPECT_EQ(p.tied_moves, 0);
}

// A 4-cycle with alternating losses: the walk alternates, r(1) = -1 and
// r(2) = +1 exactly.
TEST(ExactTest, WalkAutocorrelationOnAlternatingCycle) {
  const NeighbourGraph cycle =
      GraphFromAdjacency({{1, 3}, {0, 2}, {1, 3}, {2, 0}});
  const std::vector<double> r =
      ExactWalkAutocorrelation(cycle, {0, 1, 0, 1}, 3);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_NEAR(r[0], -1, 1e-12);
  EXPECT_NEAR(r[1], 1, 1e-12);
  EXPECT_NEAR(r[2], -1, 1e-12);
}

// On the grid, by hand: lag 1 from a uniform start is
// corr(f(X0), mean of f over X0's neighbours) weighted... computed here
// independently with dense transition matrices.
TEST(ExactTest, WalkAutocorrelationMatchesDenseComputation) {
  const NeighbourGraph grid = Grid3x3();
  const int n = 9;
  std::vector<std::vector<double>> p(n, std::vector<double>(n, 0));
  for (int v = 0; v < n; ++v) {
    for (int u : grid.Neighbors(v)) p[v][u] = 1.0 / grid.Degree(v);
  }
  std::vector<std::vector<double>> pk = p;  // P^k
  const std::vector<double> r = ExactWalkAutocorrelation(grid, kGridLoss, 3);
  for (int k = 1; k <= 3; ++k) {
    // Joint law of (X0, Xk): 1/n * P^k.
    double e0 = 0, ek = 0, e00 = 0, ekk = 0, e0k = 0;
    for (int v = 0; v < n; ++v) {
      for (int u = 0; u < n; ++u) {
        const double w = pk[v][u] / n;
        e0 += w * kGridLoss[v];
        ek += w * kGridLoss[u];
        e00 += w * kGridLoss[v] * kGridLoss[v];
        ekk += w * kGridLoss[u] * kGridLoss[u];
        e0k += w * kGridLoss[v] * kGridLoss[u];
      }
    }
    const double expected =
        (e0k - e0 * ek) / std::sqrt((e00 - e0 * e0) * (ekk - ek * ek));
    EXPECT_NEAR(r[k - 1], expected, 1e-12) << "lag " << k;
    std::vector<std::vector<double>> next(n, std::vector<double>(n, 0));
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        for (int c = 0; c < n; ++c) next[a][c] += pk[a][b] * p[b][c];
    pk = next;
  }
}

// Distances to vertex 4 are 0, 1 (edge midpoints), 2 (corners); by hand the
// loss-distance correlation is 6 / sqrt(60 * 4).
TEST(ExactTest, FitnessDistanceByHand) {
  const FitnessDistance fd =
      ComputeFitnessDistance(Grid3x3(), kGridLoss, /*target=*/4);
  EXPECT_NEAR(fd.correlation, 6 / std::sqrt(240.0), 1e-12);
  EXPECT_NEAR(fd.mean_distance, 12.0 / 9, 1e-12);
  EXPECT_EQ(fd.max_distance, 2);
  EXPECT_EQ(fd.unreachable, 0);
  // Directed: vertex 1 -> 0 only; 0 cannot reach 1.
  const NeighbourGraph one_way = GraphFromAdjacency({{}, {0}});
  EXPECT_EQ(ComputeFitnessDistance(one_way, {0, 1}, 1).unreachable, 1);
}

}  // namespace
}  // namespace nas
