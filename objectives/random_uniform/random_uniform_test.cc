#include "objectives/random_uniform/random_uniform.h"

#include <cmath>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "spaces/darts/darts.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

std::shared_ptr<const SearchSpace> Nb201() {
  return std::shared_ptr<const SearchSpace>(*Nasbench201Space::New());
}

std::unique_ptr<RandomUniformObjective> Make(
    std::shared_ptr<const SearchSpace> space, uint64_t seed) {
  RandomUniformObjectiveParams params;
  params.set_seed(seed);
  return *RandomUniformObjective::New(std::move(space), params);
}

std::vector<double> AllLosses(const RandomUniformObjective& objective) {
  const SearchSpace& space = objective.space();
  std::vector<double> losses;
  for (int64_t i = 0; i < Nasbench201Space::kNumArchitectures; ++i) {
    losses.push_back(objective.Loss(space.FromIndex(i)));
  }
  return losses;
}

TEST(RandomUniformTest, IsRegistered) {
  EXPECT_TRUE(GlobalObjectiveRegistry().Find("random_uniform").ok());
}

// 15,625 draws: mean 1/2 and variance 1/12 within about 4 standard errors,
// a tenth of them below 0.1, all in [0, 1) and all distinct.
TEST(RandomUniformTest, LossesAreUniformOnNasbench201) {
  const auto objective = Make(Nb201(), 0);
  const std::vector<double> losses = AllLosses(*objective);
  double sum = 0, sum_sq = 0;
  int below_tenth = 0;
  absl::flat_hash_set<double> distinct;
  for (double u : losses) {
    ASSERT_GE(u, 0);
    ASSERT_LT(u, 1);
    sum += u;
    sum_sq += u * u;
    below_tenth += u < 0.1;
    distinct.insert(u);
  }
  const double n = static_cast<double>(losses.size());
  const double mean = sum / n;
  const double variance = sum_sq / n - mean * mean;
  EXPECT_NEAR(mean, 0.5, 4 * std::sqrt(1.0 / 12 / n));  // +-0.0092
  EXPECT_NEAR(variance, 1.0 / 12, 0.004);
  EXPECT_NEAR(below_tenth / n, 0.1, 4 * std::sqrt(0.09 / n));
  EXPECT_EQ(distinct.size(), losses.size());
}

// Neighbours are independent: the correlation over all 375,000 ordered
// neighbour pairs is 0 within about 4 standard errors (1/sqrt(#edges)).
TEST(RandomUniformTest, NeighbouringLossesAreUncorrelated) {
  const auto space = Nb201();
  const auto objective = Make(space, 3);
  const std::vector<double> losses = AllLosses(*objective);
  std::vector<Architecture> neighbors;
  double sxy = 0;
  int64_t pairs = 0;
  for (int64_t i = 0; i < Nasbench201Space::kNumArchitectures; ++i) {
    space->Neighbors(space->FromIndex(i), &neighbors);
    for (const Architecture& n : neighbors) {
      sxy += (losses[i] - 0.5) * (losses[space->ToIndex(n)] - 0.5);
      ++pairs;
    }
  }
  const double correlation = sxy / pairs * 12;
  EXPECT_NEAR(correlation, 0, 4 / std::sqrt(pairs / 2.0));
}

// With iid continuous losses a vertex is a local minimum with probability
// 1/(s+1): the mean count over 20 seeds is 15625/25 = 625 within 4 standard
// errors (the count's standard deviation over seeds is 16, measured over
// 100 seeds by the landscape command).
TEST(RandomUniformTest, LocalMinimaOfNasbench201AverageToNOverSPlusOne) {
  const auto space = Nb201();
  std::vector<std::vector<int>> adjacency(Nasbench201Space::kNumArchitectures);
  std::vector<Architecture> neighbors;
  for (int64_t i = 0; i < Nasbench201Space::kNumArchitectures; ++i) {
    space->Neighbors(space->FromIndex(i), &neighbors);
    for (const Architecture& n : neighbors) {
      adjacency[i].push_back(static_cast<int>(space->ToIndex(n)));
    }
  }
  constexpr int kSeeds = 20;
  double total = 0;
  for (int seed = 0; seed < kSeeds; ++seed) {
    const std::vector<double> losses = AllLosses(*Make(space, seed));
    int minima = 0;
    for (int v = 0; v < Nasbench201Space::kNumArchitectures; ++v) {
      bool is_minimum = true;
      for (int u : adjacency[v]) is_minimum &= losses[v] < losses[u];
      minima += is_minimum;
    }
    total += minima;
  }
  EXPECT_NEAR(total / kSeeds, 625.0, 4 * 16.0 / std::sqrt(kSeeds));
}

TEST(RandomUniformTest, SeedChoosesTheLandscapeReproducibly) {
  const auto space = Nb201();
  const auto a = Make(space, 7), b = Make(space, 7), c = Make(space, 8);
  int same_as_other_seed = 0;
  for (int64_t i = 0; i < 1000; ++i) {
    const Architecture arch = space->FromIndex(i);
    ASSERT_EQ(a->Loss(arch), b->Loss(arch));
    same_as_other_seed += a->Loss(arch) == c->Loss(arch);
    const Evaluation e = a->Evaluate(arch, 0, nullptr);
    ASSERT_EQ(e.valid_error, a->Loss(arch));
    ASSERT_EQ(e.test_error, e.valid_error);
  }
  EXPECT_EQ(same_as_other_seed, 0);
}

// Works on a space far too large to tabulate.
TEST(RandomUniformTest, ScoresDarts) {
  auto space = std::shared_ptr<const SearchSpace>(*DartsSpace::New());
  const auto objective = Make(space, 1);
  Rng rng(5);
  double sum = 0;
  constexpr int kDraws = 20000;
  for (int i = 0; i < kDraws; ++i) sum += objective->Loss(space->Sample(rng));
  EXPECT_NEAR(sum / kDraws, 0.5, 4 * std::sqrt(1.0 / 12 / kDraws));
}

}  // namespace
}  // namespace nas
