#include "algorithms/local_search/local_search.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/testing.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

// Hamming distance to a target cell: one basin, every other cell has a
// strictly better neighbour.
double DistanceTo(const Architecture& target, const Architecture& arch) {
  int d = 0;
  for (int e = 0; e < 6; ++e) d += target[e] != arch[e];
  return d;
}

class LocalSearchTest : public ::testing::Test {
 protected:
  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
  const Architecture target_ = Architecture({3, 3, 1, 0, 3, 2});
};

std::vector<Architecture> RunLs(const SearchSpace& space,
                                const LocalSearchParams& params,
                                std::function<double(const Architecture&)> f,
                                int64_t budget, uint64_t seed) {
  FunctionOracle oracle(space, std::move(f), budget);
  Rng rng(seed);
  auto ls = LocalSearch::New(params);
  EXPECT_TRUE(ls.ok());
  EXPECT_TRUE((*ls)->Run(oracle, rng).ok());
  return oracle.queries();
}

TEST_F(LocalSearchTest, BestImprovementClimbsToTheOptimumOfOneBasin) {
  LocalSearchParams params;  // num_init 10, BEST, RESTART.
  auto f = [&](const Architecture& a) { return DistanceTo(target_, a); };
  const auto queries = RunLs(*space_, params, f, 300, 1);
  ASSERT_EQ(queries.size(), 300u);
  // Each best-improvement step lowers the distance by exactly one, so the
  // optimum is reached after at most 10 + 6 * 24 queries.
  int first_hit = -1;
  for (int i = 0; i < static_cast<int>(queries.size()); ++i) {
    if (queries[i] == target_) {
      first_hit = i;
      break;
    }
  }
  ASSERT_GE(first_hit, 0);
  EXPECT_LT(first_hit, 10 + 6 * 24);
}

TEST_F(LocalSearchTest, NeverQueriesTheSameArchitectureTwice) {
  for (auto improvement : {LocalSearchParams::BEST, LocalSearchParams::FIRST}) {
    for (auto at_min : {LocalSearchParams::RESTART,
                        LocalSearchParams::CONTINUE_FROM_BEST_UNEXPANDED}) {
      LocalSearchParams params;
      params.set_improvement(improvement);
      params.set_at_local_minimum(at_min);
      // A rugged function: a fixed pseudo-random value per cell.
      auto f = [&](const Architecture& a) {
        return static_cast<double>(HashCombine(7, space_->ToIndex(a)) % 1000);
      };
      const auto queries = RunLs(*space_, params, f, 2000, 3);
      ASSERT_EQ(queries.size(), 2000u);
      absl::flat_hash_set<Architecture> distinct(queries.begin(),
                                                 queries.end());
      EXPECT_EQ(distinct.size(), queries.size());
    }
  }
}

TEST_F(LocalSearchTest, RestartsWithFreshInitsOnAFlatLandscape) {
  // Everything ties, so no neighbour improves: each climb is num_init random
  // cells plus one full neighbourhood of the best, then a restart.
  LocalSearchParams params;
  params.set_num_init(5);
  auto flat = [](const Architecture&) { return 1.0; };
  const auto queries = RunLs(*space_, params, flat, 5 + 24 + 5, 4);
  ASSERT_EQ(queries.size(), 34u);
  // Query 5..28 are the neighbours of the climb's start (the first init:
  // ties go to the earlier query).
  std::vector<Architecture> neighbors;
  space_->Neighbors(queries[0], &neighbors);
  absl::flat_hash_set<Architecture> expected(neighbors.begin(),
                                             neighbors.end());
  for (int i = 5; i < 29; ++i) EXPECT_TRUE(expected.contains(queries[i])) << i;
}

TEST_F(LocalSearchTest, FirstImprovementMovesOnTheFirstBetterNeighbour) {
  LocalSearchParams params;
  params.set_num_init(1);
  params.set_improvement(LocalSearchParams::FIRST);
  auto f = [&](const Architecture& a) { return DistanceTo(target_, a); };
  const auto queries = RunLs(*space_, params, f, 100, 5);
  // The value along the queried sequence after the init: whenever a query
  // improves on the current cell, the next query must be a neighbour of it.
  double current = f(queries[0]);
  Architecture current_arch = queries[0];
  for (size_t i = 1; i < queries.size() && current > 0; ++i) {
    EXPECT_EQ(DistanceTo(current_arch, queries[i]), 1) << i;
    if (f(queries[i]) < current) {
      current = f(queries[i]);
      current_arch = queries[i];
    }
  }
  EXPECT_EQ(current, 0);
}

TEST_F(LocalSearchTest, ContinueExpandsTheBestUnexpanded) {
  // On a flat landscape the continue variant keeps expanding: after the
  // inits and the first neighbourhood it expands the earliest unexpanded
  // query (ties by query order), so query 29 is a neighbour of query 1.
  LocalSearchParams params;
  params.set_num_init(5);
  params.set_at_local_minimum(LocalSearchParams::CONTINUE_FROM_BEST_UNEXPANDED);
  auto flat = [](const Architecture&) { return 1.0; };
  const auto queries = RunLs(*space_, params, flat, 30, 6);
  ASSERT_EQ(queries.size(), 30u);
  EXPECT_EQ(DistanceTo(queries[1], queries[29]), 1);
}

TEST_F(LocalSearchTest, StopsWhenTheSpaceIsExhausted) {
  LocalSearchParams params;
  auto f = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(9, space_->ToIndex(a)) % 100);
  };
  const auto queries = RunLs(*space_, params, f, 100000, 7);
  EXPECT_EQ(queries.size(), 15625u);
}

TEST_F(LocalSearchTest, SameSeedSameQueries) {
  LocalSearchParams params;
  auto f = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(11, space_->ToIndex(a)) % 1000);
  };
  EXPECT_EQ(RunLs(*space_, params, f, 300, 8), RunLs(*space_, params, f, 300, 8));
  EXPECT_NE(RunLs(*space_, params, f, 300, 8), RunLs(*space_, params, f, 300, 9));
}

TEST_F(LocalSearchTest, RejectsBadParameters) {
  LocalSearchParams params;
  params.set_num_init(0);
  auto ls = LocalSearch::New(params);
  ASSERT_FALSE(ls.ok());
  EXPECT_NE(ls.status().message().find("num_init"), std::string::npos);
}

}  // namespace
}  // namespace nas
