#include "algorithms/common/pareto_archive.h"

#include <vector>

#include "algorithms/common/testing.h"
#include "core/random.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Architecture Arch(int gene) { return Architecture({gene}); }

TEST(ParetoArchiveTest, KeepsExactlyTheNonDominatedPoints) {
  ParetoArchive archive;
  EXPECT_TRUE(archive.Insert(Arch(0), {3, 3}));
  EXPECT_TRUE(archive.Insert(Arch(1), {1, 5}));
  EXPECT_FALSE(archive.Insert(Arch(2), {4, 4}));  // Dominated by (3, 3).
  EXPECT_FALSE(archive.Insert(Arch(3), {3, 3}));  // A tie: not added.
  EXPECT_TRUE(archive.Insert(Arch(4), {2, 2}));   // Evicts (3, 3).
  ASSERT_EQ(archive.members().size(), 2u);
  EXPECT_EQ(archive.members()[0].arch, Arch(1));
  EXPECT_EQ(archive.members()[1].arch, Arch(4));
}

// Against the brute-force front of core/pareto on random points with many
// ties: inserting in any order leaves one member per distinct front vector.
TEST(ParetoArchiveTest, MatchesTheNonDominatedSetOfRandomPoints) {
  Rng rng(5);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<ObjectiveVector> points;
    ParetoArchive archive;
    for (int i = 0; i < 60; ++i) {
      points.push_back({static_cast<double>(rng.UniformInt(8)),
                        static_cast<double>(rng.UniformInt(8)),
                        static_cast<double>(rng.UniformInt(4))});
      archive.Insert(Arch(i), points.back());
    }
    std::vector<ObjectiveVector> front;
    for (int i : NonDominatedIndices(points)) {
      if (std::find(front.begin(), front.end(), points[i]) == front.end()) {
        front.push_back(points[i]);
      }
    }
    std::vector<ObjectiveVector> kept;
    for (const auto& member : archive.members()) kept.push_back(member.point);
    std::sort(front.begin(), front.end());
    std::sort(kept.begin(), kept.end());
    EXPECT_EQ(kept, front);
  }
}

// An oracle showing "params" and "flops".
struct MetricOracle : FunctionOracle {
  MetricOracle(const SearchSpace& space,
               std::function<double(const Architecture&)> valid, int budget)
      : FunctionOracle(space, std::move(valid), budget) {
    set_metrics({"params", "flops"},
                [](const Architecture&) { return std::vector<double>{1, 2}; });
  }
};

TEST(ObjectiveSelectionTest, DefaultsToEveryVisibleMetric) {
  auto space = Nasbench201Space::New();
  ASSERT_TRUE(space.ok());
  MetricOracle oracle(**space, [](const Architecture&) { return 1.0; }, 5);
  auto all = ObjectiveSelection::Resolve(oracle, {}, "objective");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(all->names(), ElementsAre("valid_error", "params", "flops"));
  Observation seen{7, 0, {10, 20}};
  EXPECT_THAT(all->Of(seen), ElementsAre(7, 10, 20));
  const std::vector<std::string> flops = {"flops"};
  auto some = ObjectiveSelection::Resolve(oracle, flops, "objective");
  ASSERT_TRUE(some.ok()) << some.status();
  EXPECT_THAT(some->Of(seen), ElementsAre(7, 20));
}

TEST(ObjectiveSelectionTest, AnUnknownOrRepeatedMetricNamesTheVisibleOnes) {
  auto space = Nasbench201Space::New();
  ASSERT_TRUE(space.ok());
  MetricOracle oracle(**space, [](const Architecture&) { return 1.0; }, 5);
  const std::vector<std::string> energy = {"energy"};
  auto unknown = ObjectiveSelection::Resolve(oracle, energy, "objective");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(std::string(unknown.status().message()),
              HasSubstr("objective: metric 'energy' is not one this "
                        "benchmark shows; it shows: params, flops"));
  const std::vector<std::string> twice = {"params", "params"};
  auto repeated = ObjectiveSelection::Resolve(oracle, twice, "objective");
  ASSERT_FALSE(repeated.ok());
  EXPECT_THAT(std::string(repeated.status().message()),
              HasSubstr("'params' is listed twice"));
}

}  // namespace
}  // namespace nas
