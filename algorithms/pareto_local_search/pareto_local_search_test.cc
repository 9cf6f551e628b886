#include "algorithms/pareto_local_search/pareto_local_search.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/pareto_testing.h"
#include "algorithms/common/testing.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

class ParetoLocalSearchTest : public ::testing::Test {
 protected:
  // Error: distance to `a_`; the "size" metric: distance to `b_`. They
  // differ in 4 genes, so the front is every cell on a shortest path from
  // a_ to b_: objective vectors (i, 4 - i), i = 0..4.
  FunctionOracle Oracle(int64_t budget) {
    FunctionOracle oracle(
        *space_,
        [this](const Architecture& x) {
          return TwoTargetProblem::Distance(a_, x);
        },
        budget);
    oracle.set_metrics({"size"}, [this](const Architecture& x) {
      return std::vector<double>{TwoTargetProblem::Distance(b_, x)};
    });
    return oracle;
  }

  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
  const Architecture a_ = Architecture({3, 3, 1, 0, 3, 2});
  const Architecture b_ = Architecture({3, 1, 2, 4, 3, 0});
};

TEST_F(ParetoLocalSearchTest, FindsTheWholeFrontOfAConnectedProblem) {
  FunctionOracle oracle = Oracle(400);
  auto pls = ParetoLocalSearch::New({});
  ASSERT_TRUE(pls.ok());
  Rng rng(1);
  ASSERT_TRUE((*pls)->Run(oracle, rng).ok());
  EXPECT_EQ(oracle.queries().size(), 400u);
  std::vector<ObjectiveVector> front;
  for (const auto& member : (*pls)->front().members()) {
    front.push_back(member.point);
  }
  std::sort(front.begin(), front.end());
  EXPECT_EQ(front, (std::vector<ObjectiveVector>{
                       {0, 4}, {1, 3}, {2, 2}, {3, 1}, {4, 0}}));
  for (const auto& member : (*pls)->front().members()) {
    EXPECT_EQ(TwoTargetProblem::Distance(a_, member.arch), member.point[0]);
    EXPECT_EQ(TwoTargetProblem::Distance(b_, member.arch), member.point[1]);
  }
}

TEST_F(ParetoLocalSearchTest, NeverQueriesAnArchitectureTwice) {
  for (uint64_t seed : {1, 2, 3}) {
    FunctionOracle oracle = Oracle(3000);
    auto pls = ParetoLocalSearch::New({});
    ASSERT_TRUE(pls.ok());
    Rng rng(seed);
    ASSERT_TRUE((*pls)->Run(oracle, rng).ok());
    absl::flat_hash_set<uint64_t> seen;
    for (const Architecture& arch : oracle.queries()) {
      EXPECT_TRUE(seen.insert(space_->Hash(arch)).second)
          << space_->ToString(arch);
    }
    EXPECT_EQ(seen.size(), 3000u);
    EXPECT_GT((*pls)->starts(), 1);  // Local optima sets were restarted.
  }
}

// A neighbourhood of ties adds nothing to the archive, so each start is
// explored at once and the search restarts: 1 + 24 queries per start while
// the neighbours are fresh.
TEST_F(ParetoLocalSearchTest, RestartsFromRandomWhenTheArchiveIsExplored) {
  FunctionOracle oracle(
      *space_, [](const Architecture&) { return 1.0; }, 50);
  auto pls = ParetoLocalSearch::New({});
  ASSERT_TRUE(pls.ok());
  Rng rng(4);
  ASSERT_TRUE((*pls)->Run(oracle, rng).ok());
  EXPECT_EQ((*pls)->starts(), 3);
  // Each start's neighbours follow it.
  std::vector<Architecture> around;
  space_->Neighbors(oracle.queries()[0], &around);
  for (int i = 1; i <= 24; ++i) {
    EXPECT_NE(std::find(around.begin(), around.end(), oracle.queries()[i]),
              around.end());
  }
}

// Without metrics: a best-improvement climb in one basin reaches its
// optimum within one start's 6 steps of 24 neighbours.
TEST_F(ParetoLocalSearchTest, WithoutMetricsItClimbsTheValidationError) {
  FunctionOracle oracle(
      *space_,
      [this](const Architecture& x) {
        return TwoTargetProblem::Distance(a_, x);
      },
      1 + 6 * 24);
  auto pls = ParetoLocalSearch::New({});
  ASSERT_TRUE(pls.ok());
  Rng rng(5);
  ASSERT_TRUE((*pls)->Run(oracle, rng).ok());
  EXPECT_NE(std::find(oracle.queries().begin(), oracle.queries().end(), a_),
            oracle.queries().end());
  ASSERT_EQ((*pls)->front().members().size(), 1u);
  EXPECT_EQ((*pls)->front().members()[0].arch, a_);
}

TEST(ParetoLocalSearchParamsTest, AMetricTheBenchmarkDoesNotShowFailsTheRun) {
  ExpectUnshownMetricRefused<ParetoLocalSearch>(TwoTargetProblem(),
                                                ParetoLocalSearchParams());
}

}  // namespace
}  // namespace nas
