#include "objectives/tunable_locality/tunable_locality.h"

#include <cmath>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/darts/darts.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const SearchSpace> Nb201() {
  return std::shared_ptr<const SearchSpace>(*Nasbench201Space::New());
}

absl::StatusOr<std::unique_ptr<TunableLocalityObjective>> Make(
    std::shared_ptr<const SearchSpace> space, int interactions, uint64_t seed,
    TunableLocalityObjectiveParams::Partners partners =
        TunableLocalityObjectiveParams::RANDOM) {
  TunableLocalityObjectiveParams params;
  params.set_seed(seed);
  params.set_interactions(interactions);
  params.set_partners(partners);
  return TunableLocalityObjective::New(std::move(space), params);
}

TEST(TunableLocalityTest, IsRegistered) {
  EXPECT_TRUE(GlobalObjectiveRegistry().Find("tunable_locality").ok());
}

TEST(TunableLocalityTest, InteractionsOutOfRangeNameTheFieldAndTheRange) {
  const auto space = Nb201();
  for (int k : {-1, 6}) {
    auto objective = Make(space, k, 0);
    ASSERT_FALSE(objective.ok());
    EXPECT_EQ(objective.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(objective.status().message(), HasSubstr("interactions"));
    EXPECT_THAT(objective.status().message(), HasSubstr("0 .. 5"));
  }
  EXPECT_TRUE(Make(space, 5, 0).ok());
}

// The value is the mean of G hashed terms, exactly as documented: recompute
// it from the definition with HashCombine.
TEST(TunableLocalityTest, ValueFollowsTheDefinition) {
  const auto space = Nb201();
  const auto objective = *Make(space, 2, 11);
  const Architecture arch{3, 0, 4, 1, 2, 2};
  const uint64_t seed_key = HashCombine(0x6e6b5f6c616e6473ULL, 11);
  double sum = 0;
  for (int i = 0; i < 6; ++i) {
    uint64_t h = HashCombine(HashCombine(seed_key, i + 1), arch[i]);
    ASSERT_EQ(objective->partners(i).size(), 2u);
    for (int p : objective->partners(i)) h = HashCombine(h, arch[p]);
    sum += static_cast<double>(h >> 11) * 0x1.0p-53;
  }
  EXPECT_EQ(objective->Value(arch), sum / 6);
  EXPECT_EQ(objective->Evaluate(arch, 0, nullptr).valid_error, sum / 6);
  EXPECT_EQ(objective->Evaluate(arch, 0, nullptr).test_error, sum / 6);
}

TEST(TunableLocalityTest, RandomPartnersAreDistinctOtherGenes) {
  auto space = std::shared_ptr<const SearchSpace>(*DartsSpace::New());
  const auto objective = *Make(space, 9, 4);
  for (int i = 0; i < 32; ++i) {
    absl::flat_hash_set<int> seen;
    for (int p : objective->partners(i)) {
      EXPECT_NE(p, i);
      EXPECT_GE(p, 0);
      EXPECT_LT(p, 32);
      EXPECT_TRUE(seen.insert(p).second);
    }
    EXPECT_EQ(seen.size(), 9u);
  }
  const auto adjacent =
      *Make(space, 3, 4, TunableLocalityObjectiveParams::ADJACENT);
  EXPECT_THAT(adjacent->partners(30), ::testing::ElementsAre(31, 0, 1));
}

// K = 0 is additive: swapping one gene between two architectures moves the
// sum of their values by nothing (f(a) + f(b) = f(a') + f(b')).
TEST(TunableLocalityTest, NoInteractionsIsAdditive) {
  const auto objective = *Make(Nb201(), 0, 5);
  Rng rng(1);
  for (int trial = 0; trial < 200; ++trial) {
    const Architecture a = objective->space().Sample(rng);
    const Architecture b = objective->space().Sample(rng);
    const int gene = static_cast<int>(rng.UniformInt(6));
    Architecture a2 = a, b2 = b;
    a2[gene] = b[gene];
    b2[gene] = a[gene];
    EXPECT_NEAR(objective->Value(a) + objective->Value(b),
                objective->Value(a2) + objective->Value(b2), 1e-12);
  }
}

// Locality over the whole NAS-Bench-201 graph (all 375,000 neighbour pairs),
// averaged over 20 seeds: the correlation of neighbouring values falls as
// 1 - (K+1) / (6 (1 - 5^-(K+1))), from 0.79 (K = 0) to 0 (K = 5).
TEST(TunableLocalityTest, NeighbourCorrelationFallsWithInteractions) {
  const auto space = Nb201();
  constexpr int n = Nasbench201Space::kNumArchitectures;
  std::vector<std::vector<int>> adjacency(n);
  std::vector<Architecture> neighbors;
  for (int v = 0; v < n; ++v) {
    space->Neighbors(space->FromIndex(v), &neighbors);
    for (const Architecture& u : neighbors) {
      adjacency[v].push_back(static_cast<int>(space->ToIndex(u)));
    }
  }
  for (int k = 0; k <= 5; ++k) {
    constexpr int kSeeds = 20;
    double mean_correlation = 0;
    for (int seed = 0; seed < kSeeds; ++seed) {
      const auto objective = *Make(space, k, seed);
      std::vector<double> f(n);
      double mean = 0;
      for (int v = 0; v < n; ++v) {
        f[v] = objective->Value(space->FromIndex(v));
        mean += f[v] / n;
      }
      double sxy = 0, sxx = 0;
      for (int v = 0; v < n; ++v) {
        sxx += (f[v] - mean) * (f[v] - mean) * adjacency[v].size();
        for (int u : adjacency[v]) sxy += (f[v] - mean) * (f[u] - mean);
      }
      mean_correlation += sxy / sxx / kSeeds;
    }
    const double expected =
        1 - (k + 1) / (6 * (1 - std::pow(5.0, -(k + 1))));
    EXPECT_NEAR(mean_correlation, expected, 0.03) << "K = " << k;
  }
}

TEST(TunableLocalityTest, SeedChoosesTheLandscapeReproducibly) {
  auto space = std::shared_ptr<const SearchSpace>(*DartsSpace::New());
  const auto a = *Make(space, 4, 7), b = *Make(space, 4, 7),
             c = *Make(space, 4, 8);
  Rng rng(3);
  int equal_to_other_seed = 0;
  for (int i = 0; i < 1000; ++i) {
    const Architecture arch = space->Sample(rng);
    const double value = a->Value(arch);
    ASSERT_GE(value, 0);
    ASSERT_LT(value, 1);
    ASSERT_EQ(value, b->Value(arch));
    equal_to_other_seed += value == c->Value(arch);
  }
  EXPECT_EQ(equal_to_other_seed, 0);
}

}  // namespace
}  // namespace nas
