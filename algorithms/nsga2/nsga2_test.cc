#include "algorithms/nsga2/nsga2.h"

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

CrowdedPopulation::Member At(int x, int y, int64_t birth) {
  return {Architecture({x, y}), {double(x), double(y)}, birth};
}

// Front (0, 4), (1, 2), (4, 0); rank 1: (2, 3), dominated by (1, 2) only;
// rank 2: (4, 4), dominated by (2, 3) too.
TEST(CrowdedPopulationTest, StandingsAreRanksAndCrowdingWithinTheRank) {
  CrowdedPopulation population(10, false);
  for (const auto& m :
       {At(4, 4, 0), At(0, 4, 1), At(1, 2, 2), At(4, 0, 3), At(2, 3, 4)}) {
    population.Add(m);
  }
  const auto standings = population.Standings();
  ASSERT_EQ(standings.size(), 5u);
  EXPECT_EQ(standings[0].rank, 2);
  EXPECT_EQ(standings[1].rank, 0);
  EXPECT_EQ(standings[2].rank, 0);
  EXPECT_EQ(standings[3].rank, 0);
  EXPECT_EQ(standings[4].rank, 1);
  EXPECT_TRUE(std::isinf(standings[1].crowding));
  EXPECT_TRUE(std::isinf(standings[3].crowding));
  // (1, 2) between (0, 4) and (4, 0): (4 - 0) / 4 + (4 - 0) / 4.
  EXPECT_DOUBLE_EQ(standings[2].crowding, 2.0);
}

TEST(CrowdedPopulationTest, AgingRemovesTheOldestEvenOnTheFront) {
  CrowdedPopulation population(2, false);
  population.Add(At(0, 0, 0));
  population.Add(At(5, 5, 1));
  auto removed = population.Add(At(6, 6, 2));
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->birth, 0);
}

TEST(CrowdedPopulationTest, RemoveWorstRemovesTheLastRankMostCrowded) {
  CrowdedPopulation population(4, true);
  for (const auto& m : {At(0, 4, 0), At(4, 0, 1), At(3, 3, 2), At(2, 2, 3)}) {
    population.Add(m);
  }
  auto removed = population.Add(At(1, 1, 4));  // Dominates (2,2), (3,3).
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->birth, 2);  // (3, 3): rank 2.
  // Rank 1 is now (4, 0) and (2, 2), each an extreme of its rank (so both
  // infinitely uncrowded): the tie goes to the older.
  removed = population.Add(At(3, 0, 5));  // Dominates (4, 0).
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->birth, 1);
}

TEST(CrowdedPopulationTest, TournamentIsTheBestOfTheDrawnMembers) {
  CrowdedPopulation population(10, false);
  for (const auto& m :
       {At(4, 4, 0), At(0, 4, 1), At(1, 2, 2), At(4, 0, 3), At(2, 3, 4)}) {
    population.Add(m);
  }
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Rng rng(seed), replay(seed);
    const auto& winner = population.Tournament(2, rng);
    const size_t a = replay.UniformInt(5), b = replay.UniformInt(5);
    const auto standings = population.Standings();
    const size_t expected = CrowdedBetter(standings[b], standings[a]) ? b : a;
    EXPECT_EQ(winner.birth, population.members()[expected].birth);
  }
  // A size-1 tournament is a uniform draw: the dominated member wins too.
  Rng rng(3);
  int worst_drawn = 0;
  for (int i = 0; i < 500; ++i) {
    worst_drawn += population.Tournament(1, rng).birth == 0;
  }
  EXPECT_GT(worst_drawn, 50);
  EXPECT_LT(worst_drawn, 150);
}

class Nsga2Test : public ::testing::Test {
 protected:
  std::vector<Architecture> Run(const Nsga2Params& params, int64_t budget,
                                uint64_t seed,
                                std::vector<ObjectiveVector>* front = nullptr) {
    FunctionOracle oracle = problem_.Oracle(budget);
    auto nsga2 = Nsga2::New(params);
    EXPECT_TRUE(nsga2.ok()) << nsga2.status();
    Rng rng(seed);
    EXPECT_TRUE((*nsga2)->Run(oracle, rng).ok());
    if (front != nullptr) *front = problem_.Points((*nsga2)->front());
    return oracle.queries();
  }

  TwoTargetProblem problem_;
};

TEST_F(Nsga2Test, FindsTheWholeFrontOfAConnectedProblem) {
  // Each front vector is held by few of the 15,625 cells ((0, 4) and
  // (4, 0) by one each), so random search would rarely find all five;
  // evolution closes in on them. Aging forgets the extremes it found and
  // needs more queries than elitist removal.
  for (uint64_t seed : {1, 2, 3}) {
    for (bool remove_worst : {false, true}) {
      Nsga2Params params;
      params.set_remove_worst(remove_worst);
      std::vector<ObjectiveVector> front;
      Run(params, remove_worst ? 600 : 1500, seed, &front);
      EXPECT_EQ(front, TwoTargetProblem::TrueFront())
          << "seed " << seed << " remove_worst " << remove_worst;
    }
  }
}

TEST_F(Nsga2Test, NeverQueriesTwiceAndIsDeterministicPerSeed) {
  const std::vector<Architecture> queries = Run({}, 2000, 4);
  absl::flat_hash_set<uint64_t> seen;
  for (const Architecture& arch : queries) {
    EXPECT_TRUE(seen.insert(problem_.space->Hash(arch)).second);
  }
  EXPECT_EQ(seen.size(), 2000u);
  EXPECT_EQ(Run({}, 300, 5), Run({}, 300, 5));
  EXPECT_NE(Run({}, 300, 5), Run({}, 300, 6));
}

TEST_F(Nsga2Test, StopsWhenTheSpaceIsExhausted) {
  auto nsga2 = Nsga2::New({});
  ASSERT_TRUE(nsga2.ok());
  ExpectExhaustsTinySpace(**nsga2, 7);
}

TEST(Nsga2ParamsTest, RejectsBadParameters) {
  for (const char* field : {"num_init", "population_size", "tournament_size",
                            "max_mutation_attempts"}) {
    Nsga2Params params;
    params.GetReflection()->SetInt32(
        &params, params.GetDescriptor()->FindFieldByName(field), 0);
    auto nsga2 = Nsga2::New(params);
    ASSERT_FALSE(nsga2.ok()) << field;
    EXPECT_THAT(std::string(nsga2.status().message()),
                HasSubstr(absl::StrCat("nsga2: ", field, " is 0")));
  }
}

TEST_F(Nsga2Test, AMetricTheBenchmarkDoesNotShowFailsTheRun) {
  ExpectUnshownMetricRefused<Nsga2>(problem_, Nsga2Params());
}

}  // namespace
}  // namespace nas
