#include "algorithms/common/query_cache.h"

#include "algorithms/common/multi_fidelity_testing.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

class QueryCacheTest : public ::testing::Test {
 protected:
  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
  // Value = 10 * fidelity + first gene, so every answer is recognisable.
  MultiFidelityFunctionOracle oracle_{
      *space_,
      {12, 200},
      [](const Architecture& a, int f) { return 10.0 * f + a[0]; },
      /*budget=*/3};
};

TEST_F(QueryCacheTest, PaysOncePerArchitectureAndFidelity) {
  QueryCache cache(oracle_);
  const Architecture a({1, 2, 3, 4, 0, 1});
  auto first = cache.Evaluate(a, 0);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->queried);
  EXPECT_EQ(first->valid_error, 1.0);
  auto again = cache.Evaluate(a, 0);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->queried);
  EXPECT_EQ(again->valid_error, 1.0);
  EXPECT_EQ(oracle_.queries_used(), 1);
  // Another fidelity is another training run.
  auto full = cache.Evaluate(a, 1);
  ASSERT_TRUE(full.ok());
  EXPECT_TRUE(full->queried);
  EXPECT_EQ(full->valid_error, 11.0);
  EXPECT_EQ(oracle_.queries_used(), 2);
  EXPECT_EQ(cache.size(), 2);
}

TEST_F(QueryCacheTest, FullFidelityAndTheLastIndexAreOneRun) {
  QueryCache cache(oracle_);
  const Architecture a({4, 4, 4, 4, 4, 4});
  ASSERT_TRUE(cache.Evaluate(a, Oracle::kFullFidelity).ok());
  auto indexed = cache.Evaluate(a, 1);
  ASSERT_TRUE(indexed.ok());
  EXPECT_FALSE(indexed->queried);
  EXPECT_TRUE(cache.Contains(a));
  EXPECT_TRUE(cache.Contains(a, 1));
  EXPECT_FALSE(cache.Contains(a, 0));
  EXPECT_EQ(*cache.Find(a), 14.0);
}

TEST_F(QueryCacheTest, PassesTheBudgetErrorOn) {
  QueryCache cache(oracle_);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(cache.Evaluate(space_->FromIndex(i)).ok());
  }
  // A cached answer is still free once the budget is spent...
  EXPECT_TRUE(cache.Evaluate(space_->FromIndex(0)).ok());
  // ...a new one is refused.
  auto refused = cache.Evaluate(space_->FromIndex(3));
  EXPECT_TRUE(IsBudgetExhausted(refused.status())) << refused.status();
  EXPECT_FALSE(cache.Contains(space_->FromIndex(3)));
}

}  // namespace
}  // namespace nas
