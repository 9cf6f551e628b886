#include "algorithms/scalarized_local_search/scalarized_local_search.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/pareto_testing.h"
#include "algorithms/common/testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

// A flat Dirichlet's first weight is Beta(1, count - 1): P(w <= t) =
// 1 - (1 - t)^(count - 1). Kolmogorov-Smirnov distance of 20,000 draws
// against it (5% critical value 1.36 / sqrt(20000) = 0.0096).
TEST(DrawSimplexWeightsTest, UniformOnTheSimplex) {
  for (int count : {2, 3, 5}) {
    Rng rng(count);
    std::vector<double> first;
    for (int i = 0; i < 20000; ++i) {
      const std::vector<double> w = DrawSimplexWeights(count, rng);
      ASSERT_EQ(w.size(), static_cast<size_t>(count));
      double sum = 0;
      for (double x : w) {
        EXPECT_GE(x, 0);
        sum += x;
      }
      EXPECT_NEAR(sum, 1, 1e-12);
      first.push_back(w[0]);
    }
    std::sort(first.begin(), first.end());
    double ks = 0;
    for (size_t i = 0; i < first.size(); ++i) {
      const double cdf = 1 - std::pow(1 - first[i], count - 1);
      ks = std::max({ks, std::abs(cdf - double(i) / first.size()),
                     std::abs(cdf - double(i + 1) / first.size())});
    }
    EXPECT_LT(ks, 0.0096) << count;
  }
  Rng rng(1);
  EXPECT_EQ(DrawSimplexWeights(1, rng), std::vector<double>{1.0});
}

TEST(ScalarizationTest, WeightedSumOfNormalisedObjectives) {
  const Scalarization s{{0.25, 0.75}, {10, 100}, {2, 1000}};
  EXPECT_DOUBLE_EQ(s.Of({10, 100}), 0);
  EXPECT_DOUBLE_EQ(s.Of({12, 1100}), 1);
  EXPECT_DOUBLE_EQ(s.Of({11, 600}), 0.25 * 0.5 + 0.75 * 0.5);
}

class ScalarizedLocalSearchTest : public ::testing::Test {
 protected:
  std::unique_ptr<ScalarizedLocalSearch> Run(
      const ScalarizedLocalSearchParams& params, FunctionOracle& oracle,
      uint64_t seed) {
    auto search = ScalarizedLocalSearch::New(params);
    EXPECT_TRUE(search.ok()) << search.status();
    Rng rng(seed);
    EXPECT_TRUE((*search)->Run(oracle, rng).ok());
    return *std::move(search);
  }

  TwoTargetProblem problem_;
};

TEST_F(ScalarizedLocalSearchTest, FindsTheWholeFrontOfAConnectedProblem) {
  for (uint64_t seed : {1, 2, 3}) {
    FunctionOracle oracle = problem_.Oracle(600);
    auto search = Run({}, oracle, seed);
    EXPECT_EQ(TwoTargetProblem::Points(search->front()),
              TwoTargetProblem::TrueFront())
        << "seed " << seed;
    EXPECT_GT(search->climbs().size(), 3u);
  }
}

// Each finished climb stops where no neighbour is better under its own
// scalarization, and that scalarization's ranges are those of the queries
// made before it was fixed: nothing the searcher had not seen.
TEST_F(ScalarizedLocalSearchTest, ClimbsEndAtMinimaOfTheirSeenScalarization) {
  FunctionOracle oracle = problem_.Oracle(1000);
  auto search = Run({}, oracle, 4);
  ASSERT_FALSE(search->climbs().empty());
  std::vector<Architecture> neighbours;
  for (const auto& climb : search->climbs()) {
    const Scalarization& s = climb.scalarization;
    ASSERT_EQ(s.weights.size(), 2u);
    double low[2] = {HUGE_VAL, HUGE_VAL}, high[2] = {-HUGE_VAL, -HUGE_VAL};
    for (int64_t q = 0; q < climb.queries_before; ++q) {
      const Architecture& arch = oracle.queries()[q];
      const double values[2] = {problem_.Error(arch), problem_.Size(arch)};
      for (int i = 0; i < 2; ++i) {
        low[i] = std::min(low[i], values[i]);
        high[i] = std::max(high[i], values[i]);
      }
    }
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(s.low[i], low[i]);
      EXPECT_EQ(s.scale[i], high[i] > low[i] ? high[i] - low[i] : 1.0);
    }
    auto value = [&](const Architecture& arch) {
      return s.Of({problem_.Error(arch), problem_.Size(arch)});
    };
    problem_.space->Neighbors(climb.end, &neighbours);
    for (const Architecture& n : neighbours) {
      EXPECT_GE(value(n), value(climb.end));
    }
  }
}

TEST_F(ScalarizedLocalSearchTest, NeverQueriesTwiceAndIsDeterministicPerSeed) {
  FunctionOracle oracle = problem_.Oracle(3000);
  Run({}, oracle, 5);
  absl::flat_hash_set<uint64_t> seen;
  for (const Architecture& arch : oracle.queries()) {
    EXPECT_TRUE(seen.insert(problem_.space->Hash(arch)).second);
  }
  EXPECT_EQ(seen.size(), 3000u);
  FunctionOracle a = problem_.Oracle(300), b = problem_.Oracle(300),
                 c = problem_.Oracle(300);
  Run({}, a, 6);
  Run({}, b, 6);
  Run({}, c, 7);
  EXPECT_EQ(a.queries(), b.queries());
  EXPECT_NE(a.queries(), c.queries());
}

TEST_F(ScalarizedLocalSearchTest, StopsWhenTheSpaceIsExhausted) {
  auto search = ScalarizedLocalSearch::New({});
  ASSERT_TRUE(search.ok());
  ExpectExhaustsTinySpace(**search, 7);
}

TEST_F(ScalarizedLocalSearchTest, BadParametersAndMetricsAreRefused) {
  ScalarizedLocalSearchParams params;
  params.set_num_init(0);
  auto bad = ScalarizedLocalSearch::New(params);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()),
              HasSubstr("scalarized_local_search: num_init is 0"));

  ExpectUnshownMetricRefused<ScalarizedLocalSearch>(
      problem_, ScalarizedLocalSearchParams());
}

}  // namespace
}  // namespace nas
