#include "algorithms/local_search/local_search.h"

#include <algorithm>
#include <functional>
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


// A proxy that is a known function: a fixed pseudo-random value per cell,
// unrelated to the validation errors, so what the proxy options do shows.
double HashProxy(const SearchSpace& space, const Architecture& arch) {
  return static_cast<double>(HashCombine(11, space.ToIndex(arch)) % 100000);
}

struct ProxyRun {
  std::vector<Architecture> queries;
  std::vector<FunctionOracle::ProxyCall> proxy_log;
};

ProxyRun RunLsWithProxy(const SearchSpace& space,
                        const LocalSearchParams& params,
                        std::function<double(const Architecture&)> f,
                        int64_t budget, uint64_t seed) {
  FunctionOracle oracle(space, std::move(f), budget);
  oracle.set_proxy([&](const Architecture& a) { return HashProxy(space, a); });
  Rng rng(seed);
  auto ls = LocalSearch::New(params);
  EXPECT_TRUE(ls.ok()) << ls.status();
  EXPECT_TRUE((*ls)->Run(oracle, rng).ok());
  return {oracle.queries(), oracle.proxy_log()};
}

TEST_F(LocalSearchTest, WarmupOverTheWholeSpaceStartsFromTheProxyArgmax) {
  LocalSearchParams params;
  params.set_num_init(1);
  params.set_proxy_warmup_candidates(15625);
  auto f = [&](const Architecture& a) { return DistanceTo(target_, a); };
  const ProxyRun run = RunLsWithProxy(*space_, params, f, 50, 5);
  ASSERT_EQ(run.proxy_log.size(), 15625u);
  Architecture argmax = run.proxy_log[0].arch;
  for (const auto& call : run.proxy_log) {
    EXPECT_EQ(call.queries_before, 0);  // All scored before any query.
    if (HashProxy(*space_, call.arch) > HashProxy(*space_, argmax)) {
      argmax = call.arch;
    }
  }
  EXPECT_EQ(run.queries.front(), argmax);
}

TEST_F(LocalSearchTest, WarmupQueriesTheBestCandidatesInProxyOrder) {
  LocalSearchParams params;  // num_init 10.
  params.set_proxy_warmup_candidates(200);
  auto f = [&](const Architecture& a) { return DistanceTo(target_, a); };
  const ProxyRun run = RunLsWithProxy(*space_, params, f, 100, 6);
  ASSERT_EQ(run.proxy_log.size(), 200u);
  std::vector<double> scores;
  for (const auto& call : run.proxy_log) {
    scores.push_back(HashProxy(*space_, call.arch));
  }
  std::sort(scores.rbegin(), scores.rend());
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(HashProxy(*space_, run.queries[i]), scores[i]) << i;
  }
  // Only the first climb is warmed up: no proxy score after it.
  for (const auto& call : run.proxy_log) EXPECT_EQ(call.queries_before, 0);
}

TEST_F(LocalSearchTest, MoveOrderingQueriesNeighboursInDescendingProxyScore) {
  LocalSearchParams params;
  params.set_num_init(1);
  params.set_proxy_order_neighbors(true);
  // Flat: no neighbour improves, so each climb is one random cell and its
  // whole neighbourhood (24 cells), queried in the proxy's order.
  const ProxyRun run =
      RunLsWithProxy(*space_, params, [](const Architecture&) { return 1.0; },
                     25, 7);
  ASSERT_EQ(run.queries.size(), 25u);
  ASSERT_EQ(run.proxy_log.size(), 24u);
  for (int i = 2; i < 25; ++i) {
    EXPECT_GE(HashProxy(*space_, run.queries[i - 1]),
              HashProxy(*space_, run.queries[i]))
        << i;
  }
}

TEST_F(LocalSearchTest, KeepFractionQueriesOnlyTheProxysBestNeighbours) {
  LocalSearchParams params;
  params.set_num_init(1);
  params.set_proxy_keep_fraction(0.2);  // ceil(0.2 * 24) = 5 of 24.
  const ProxyRun run =
      RunLsWithProxy(*space_, params, [](const Architecture&) { return 1.0; },
                     7, 8);
  ASSERT_EQ(run.queries.size(), 7u);
  std::vector<Architecture> neighbors;
  space_->Neighbors(run.queries[0], &neighbors);
  std::vector<double> scores;
  for (const Architecture& n : neighbors) scores.push_back(HashProxy(*space_, n));
  std::sort(scores.rbegin(), scores.rend());
  // Queries 1..5 are the 5 best neighbours; query 6 starts a new climb.
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(HashProxy(*space_, run.queries[i]), scores[i - 1]) << i;
  }
  EXPECT_EQ(std::find(neighbors.begin(), neighbors.end(), run.queries[6]),
            neighbors.end());
}

TEST_F(LocalSearchTest, ProxyOptionsOffNeverAskForAProxy) {
  LocalSearchParams params;
  auto f = [&](const Architecture& a) { return DistanceTo(target_, a); };
  const ProxyRun run = RunLsWithProxy(*space_, params, f, 300, 1);
  EXPECT_TRUE(run.proxy_log.empty());
  // And the queries are those of a run on an oracle with no proxy at all.
  EXPECT_EQ(run.queries, RunLs(*space_, params, f, 300, 1));
}

TEST_F(LocalSearchTest, ProxyOptionsNeedABenchmarkWithAProxy) {
  BenchmarkFacts facts;
  facts.space = space_.get();
  for (auto set : std::vector<std::function<void(LocalSearchParams*)>>{
           [](LocalSearchParams* p) { p->set_proxy_warmup_candidates(100); },
           [](LocalSearchParams* p) { p->set_proxy_order_neighbors(true); },
           [](LocalSearchParams* p) { p->set_proxy_keep_fraction(0.5); }}) {
    LocalSearchParams params;
    set(&params);
    auto ls = LocalSearch::New(params);
    ASSERT_TRUE(ls.ok());
    facts.proxy = "";
    absl::Status refused = (*ls)->CheckBenchmark(facts);
    EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(refused.message().find("serves none"), std::string::npos);
    facts.proxy = "synflow";
    EXPECT_TRUE((*ls)->CheckBenchmark(facts).ok());
  }
  // Asked anyway, an oracle without a proxy says FailedPrecondition.
  FunctionOracle oracle(*space_, [](const Architecture&) { return 1.0; }, 10);
  EXPECT_EQ(oracle.ProxyScore(target_).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(LocalSearchTest, RejectsBadProxyParameters) {
  LocalSearchParams params;
  params.set_proxy_warmup_candidates(5);  // Fewer than num_init (10).
  auto ls = LocalSearch::New(params);
  ASSERT_FALSE(ls.ok());
  EXPECT_NE(ls.status().message().find("proxy_warmup_candidates"),
            std::string::npos);
  for (double fraction : {0.0, -0.5, 1.5}) {
    LocalSearchParams bad;
    bad.set_proxy_keep_fraction(fraction);
    auto refused = LocalSearch::New(bad);
    ASSERT_FALSE(refused.ok()) << fraction;
    EXPECT_NE(refused.status().message().find("proxy_keep_fraction"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace nas
