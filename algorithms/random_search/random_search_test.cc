#include "algorithms/random_search/random_search.h"

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/testing.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

std::vector<Architecture> RunRs(const SearchSpace& space, int64_t budget,
                                uint64_t seed) {
  FunctionOracle oracle(
      space, [](const Architecture&) { return 0.0; }, budget);
  Rng rng(seed);
  auto rs = RandomSearch::New({});
  EXPECT_TRUE((*rs)->Run(oracle, rng).ok());
  return oracle.queries();
}

TEST(RandomSearchTest, SpendsTheBudgetOnDistinctArchitectures) {
  auto space = *Nasbench201Space::New();
  const auto queries = RunRs(*space, 3000, 1);
  ASSERT_EQ(queries.size(), 3000u);
  absl::flat_hash_set<Architecture> distinct(queries.begin(), queries.end());
  EXPECT_EQ(distinct.size(), 3000u);
}

TEST(RandomSearchTest, StopsAfterTheWholeSpace) {
  auto space = *Nasbench201Space::New();
  EXPECT_EQ(RunRs(*space, 20000, 2).size(), 15625u);
}

TEST(RandomSearchTest, DeterministicForASeed) {
  auto space = *Nasbench201Space::New();
  EXPECT_EQ(RunRs(*space, 50, 3), RunRs(*space, 50, 3));
  EXPECT_NE(RunRs(*space, 50, 3), RunRs(*space, 50, 4));
}

}  // namespace
}  // namespace nas
