#include "algorithms/regularized_evolution/regularized_evolution.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/testing.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

using Member = EvolutionPopulation::Member;

Member M(int gene, double error, int64_t birth) {
  return {Architecture({gene, 0, 0, 0, 0, 0}), error, birth};
}

int Hamming(const Architecture& a, const Architecture& b) {
  int d = 0;
  for (int i = 0; i < a.size(); ++i) d += a[i] != b[i];
  return d;
}

TEST(EvolutionPopulationTest, AgingRemovesTheOldestEvenIfItIsTheBest) {
  EvolutionPopulation population(3, /*remove_worst=*/false);
  EXPECT_FALSE(population.Add(M(0, 1.0, 0)).has_value());
  EXPECT_FALSE(population.Add(M(1, 9.0, 1)).has_value());
  EXPECT_FALSE(population.Add(M(2, 5.0, 2)).has_value());
  auto removed = population.Add(M(3, 7.0, 3));
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->birth, 0);  // The best, but the oldest.
  removed = population.Add(M(4, 8.0, 4));
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->birth, 1);
  std::vector<int64_t> births;
  for (const Member& m : population.members()) births.push_back(m.birth);
  EXPECT_EQ(births, (std::vector<int64_t>{2, 3, 4}));
}

TEST(EvolutionPopulationTest, RemoveWorstRemovesTheHighestError) {
  EvolutionPopulation population(3, /*remove_worst=*/true);
  population.Add(M(0, 1.0, 0));
  population.Add(M(1, 9.0, 1));
  population.Add(M(2, 5.0, 2));
  auto removed = population.Add(M(3, 7.0, 3));
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->birth, 1);  // Error 9.
  // The child itself goes when it is the worst.
  removed = population.Add(M(4, 8.0, 4));
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->birth, 4);
  // On a tie the older goes.
  removed = population.Add(M(5, 7.0, 5));
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->birth, 3);
}

TEST(EvolutionPopulationTest, TournamentIsTheBestOfTheDrawnMembers) {
  EvolutionPopulation population(30, false);
  for (int i = 0; i < 30; ++i) {
    population.Add(M(i % 5, static_cast<double>(HashCombine(3, i) % 1000), i));
  }
  Rng rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    // Replay the draws on a copy of the stream: ten UniformInt(30) calls.
    Rng replay = rng;
    const Member* best = nullptr;
    for (int k = 0; k < 10; ++k) {
      const Member& m = population.members()[replay.UniformInt(30)];
      if (best == nullptr || m.valid_error < best->valid_error) best = &m;
    }
    const Member& winner = population.Tournament(10, rng);
    ASSERT_EQ(&winner, best) << trial;
    // ...and the stream advanced by exactly those ten draws.
    ASSERT_EQ(rng.NextU64(), replay.NextU64());
  }
}

TEST(EvolutionPopulationTest, TournamentDrawsWithReplacement) {
  // Two members, tournaments of two: without replacement the worse could
  // never win; with replacement it wins when drawn twice, p = 1/4.
  EvolutionPopulation population(2, false);
  population.Add(M(0, 1.0, 0));
  population.Add(M(1, 2.0, 1));
  Rng rng(12);
  const int kTrials = 20000;
  int worse = 0;
  for (int t = 0; t < kTrials; ++t) {
    worse += population.Tournament(2, rng).birth == 1;
  }
  EXPECT_NEAR(worse, kTrials / 4, 300);  // sigma = 61.
}

class RegularizedEvolutionTest : public ::testing::Test {
 protected:
  std::vector<Architecture> Run(const RegularizedEvolutionParams& params,
                                std::function<double(const Architecture&)> f,
                                int64_t budget, uint64_t seed,
                                RegularizedEvolution::Observer observer = {}) {
    FunctionOracle oracle(*space_, std::move(f), budget);
    Rng rng(seed);
    auto re = RegularizedEvolution::New(params);
    EXPECT_TRUE(re.ok()) << re.status();
    (*re)->set_observer(std::move(observer));
    EXPECT_TRUE((*re)->Run(oracle, rng).ok());
    return oracle.queries();
  }

  // A run on an oracle that also serves a proxy (a known function).
  FunctionOracle RunWithProxy(const RegularizedEvolutionParams& params,
                              std::function<double(const Architecture&)> f,
                              std::function<double(const Architecture&)> proxy,
                              int64_t budget, uint64_t seed) {
    FunctionOracle oracle(*space_, std::move(f), budget);
    oracle.set_proxy(std::move(proxy));
    Rng rng(seed);
    auto re = RegularizedEvolution::New(params);
    EXPECT_TRUE(re.ok()) << re.status();
    EXPECT_TRUE((*re)->Run(oracle, rng).ok());
    return oracle;
  }

  double Rugged(const Architecture& a) const {
    return static_cast<double>(HashCombine(7, space_->ToIndex(a)) % 100000);
  }

  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
};

TEST_F(RegularizedEvolutionTest,
       PopulationIsTheLastThirtyQueriesAndParentsComeFromIt) {
  RegularizedEvolutionParams params;  // 10 init, P = 30, S = 10, aging.
  int children = 0;
  std::vector<Architecture> queried;
  auto f = [&](const Architecture& a) {
    queried.push_back(a);
    return Rugged(a);
  };
  const auto queries = Run(
      params, f, 400, 1,
      [&](const EvolutionPopulation& population, const Architecture& parent,
          const Architecture& child) {
        ++children;
        const auto& members = population.members();
        // Aging: the population is exactly the most recent queries.
        const size_t expected = std::min<size_t>(30, queried.size());
        ASSERT_EQ(members.size(), expected);
        for (size_t i = 0; i < members.size(); ++i) {
          ASSERT_EQ(members[i].arch, queried[queried.size() - expected + i]);
        }
        ASSERT_EQ(members.back().arch, child);
        // The parent was a member before the child came (the previous
        // population is the 30 queries before this one).
        bool parent_was_member = false;
        const size_t n = queried.size() - 1;  // Before the child.
        for (size_t i = n - std::min<size_t>(30, n); i < n; ++i) {
          parent_was_member |= queried[i] == parent;
        }
        ASSERT_TRUE(parent_was_member);
        // One mutation: a neighbour of the parent (NAS-Bench-201's Mutate
        // changes exactly one edge).
        ASSERT_EQ(Hamming(parent, child), 1);
      });
  EXPECT_EQ(queries.size(), 400u);
  EXPECT_EQ(children, 390);
  absl::flat_hash_set<Architecture> distinct(queries.begin(), queries.end());
  EXPECT_EQ(distinct.size(), queries.size());
}

TEST_F(RegularizedEvolutionTest, RemoveWorstKeepsTheBestThirtySoFar) {
  RegularizedEvolutionParams params;
  params.set_remove_worst(true);
  std::vector<double> values;
  auto f = [&](const Architecture& a) {
    values.push_back(Rugged(a));
    return values.back();
  };
  int checks = 0;
  Run(params, f, 200, 2,
      [&](const EvolutionPopulation& population, const Architecture&,
          const Architecture&) {
        std::vector<double> best = values;
        std::sort(best.begin(), best.end());
        best.resize(std::min<size_t>(30, best.size()));
        std::vector<double> members;
        for (const Member& m : population.members())
          members.push_back(m.valid_error);
        std::sort(members.begin(), members.end());
        ASSERT_EQ(members, best);
        ++checks;
      });
  EXPECT_EQ(checks, 190);
}

TEST_F(RegularizedEvolutionTest, FindsTheOptimumOfOneBasin) {
  const Architecture target({3, 3, 1, 0, 3, 2});
  auto f = [&](const Architecture& a) { return double(Hamming(target, a)); };
  int found = 0;
  for (uint64_t seed = 0; seed < 10; ++seed) {
    const auto queries = Run({}, f, 300, seed);
    found += std::find(queries.begin(), queries.end(), target) != queries.end();
  }
  // Random search finds one cell of 15,625 in 300 queries 2% of the time.
  EXPECT_GE(found, 9);
}

TEST_F(RegularizedEvolutionTest, StopsWhenTheSpaceIsExhausted) {
  auto f = [&](const Architecture& a) { return Rugged(a); };
  EXPECT_EQ(Run({}, f, 20000, 3).size(), 15625u);
  TinySpace tiny(2, 3);
  FunctionOracle oracle(
      tiny, [](const Architecture& a) { return double(a[0]); }, 1000);
  Rng rng(4);
  auto re = RegularizedEvolution::New({});
  ASSERT_TRUE((*re)->Run(oracle, rng).ok());
  EXPECT_EQ(oracle.queries().size(), 9u);
}

TEST_F(RegularizedEvolutionTest, BudgetOfOneAndDeterminism) {
  auto f = [&](const Architecture& a) { return Rugged(a); };
  EXPECT_EQ(Run({}, f, 1, 5).size(), 1u);
  EXPECT_EQ(Run({}, f, 300, 6), Run({}, f, 300, 6));
  EXPECT_NE(Run({}, f, 300, 6), Run({}, f, 300, 7));
}

TEST(RegularizedEvolutionParamsTest, RejectsBadParameters) {
  for (const char* field : {"num_init", "population_size", "tournament_size",
                            "max_mutation_attempts"}) {
    RegularizedEvolutionParams params;
    const auto* descriptor = params.GetDescriptor()->FindFieldByName(field);
    ASSERT_NE(descriptor, nullptr);
    params.GetReflection()->SetInt32(&params, descriptor, 0);
    auto re = RegularizedEvolution::New(params);
    ASSERT_FALSE(re.ok()) << field;
    EXPECT_NE(re.status().message().find(field), std::string::npos);
  }
}


TEST_F(RegularizedEvolutionTest, WarmupSeedsThePopulationWithTheProxysBest) {
  RegularizedEvolutionParams params;  // num_init 10.
  params.set_proxy_warmup_candidates(15625);  // The whole space.
  auto proxy = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(3, space_->ToIndex(a)) % 100000);
  };
  const FunctionOracle oracle = RunWithProxy(
      params, [&](const Architecture& a) { return Rugged(a); }, proxy, 40, 2);
  ASSERT_EQ(oracle.proxy_log().size(), 15625u);
  std::vector<double> scores;
  for (int64_t i = 0; i < 15625; ++i) {
    scores.push_back(proxy(space_->FromIndex(i)));
  }
  std::sort(scores.rbegin(), scores.rend());
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(proxy(oracle.queries()[i]), scores[i]) << i;
  }
}

TEST_F(RegularizedEvolutionTest, MoveProposalQueriesTheProxysBestMutation) {
  RegularizedEvolutionParams params;
  params.set_proxy_mutation_candidates(5);
  auto proxy = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(3, space_->ToIndex(a)) % 100000);
  };
  const FunctionOracle oracle = RunWithProxy(
      params, [&](const Architecture& a) { return Rugged(a); }, proxy, 200, 4);
  ASSERT_EQ(oracle.queries().size(), 200u);
  // Each child was scored with the other proposals just before its query
  // and has the highest score among them.
  int checked = 0;
  for (int64_t q = params.num_init(); q < 200; ++q) {
    std::vector<Architecture> proposals;
    for (const auto& call : oracle.proxy_log()) {
      if (call.queries_before == q) proposals.push_back(call.arch);
    }
    if (proposals.empty()) continue;  // A single unqueried mutation.
    EXPECT_LE(proposals.size(), 5u);
    const Architecture& child = oracle.queries()[q];
    ASSERT_NE(std::find(proposals.begin(), proposals.end(), child),
              proposals.end());
    for (const Architecture& p : proposals) EXPECT_LE(proxy(p), proxy(child));
    ++checked;
  }
  EXPECT_GT(checked, 150);
}

TEST_F(RegularizedEvolutionTest, ProxyOptionsOffLeaveTheRunUnchanged) {
  auto f = [&](const Architecture& a) { return Rugged(a); };
  const FunctionOracle oracle = RunWithProxy(
      {}, f, [](const Architecture&) { return 0.0; }, 300, 6);
  EXPECT_TRUE(oracle.proxy_log().empty());
  EXPECT_EQ(oracle.queries(), Run({}, f, 300, 6));
}

TEST(RegularizedEvolutionParamsTest, ProxyOptionsAreValidatedAndNeedAProxy) {
  RegularizedEvolutionParams few;
  few.set_proxy_warmup_candidates(3);  // Fewer than num_init (10).
  auto refused = RegularizedEvolution::New(few);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("proxy_warmup_candidates"),
            std::string::npos);
  RegularizedEvolutionParams none;
  none.set_proxy_mutation_candidates(0);
  EXPECT_FALSE(RegularizedEvolution::New(none).ok());

  auto space = *Nasbench201Space::New();
  BenchmarkFacts facts;
  facts.space = space.get();
  RegularizedEvolutionParams params;
  params.set_proxy_mutation_candidates(4);
  auto re = RegularizedEvolution::New(params);
  ASSERT_TRUE(re.ok());
  EXPECT_EQ((*re)->CheckBenchmark(facts).code(),
            absl::StatusCode::kInvalidArgument);
  facts.proxy = "synflow";
  EXPECT_TRUE((*re)->CheckBenchmark(facts).ok());
  EXPECT_TRUE((*RegularizedEvolution::New({}))->CheckBenchmark({}).ok());
}

}  // namespace
}  // namespace nas
