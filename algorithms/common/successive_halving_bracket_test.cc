#include "algorithms/common/successive_halving_bracket.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "algorithms/common/multi_fidelity_testing.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

using Table = std::vector<std::vector<std::pair<int64_t, double>>>;

Table AsTable(const std::vector<Bracket>& schedule) {
  Table table;
  for (const Bracket& b : schedule) {
    table.emplace_back();
    for (const Rung& r : b.rungs)
      table.back().push_back({r.num_configs, r.budget});
  }
  return table;
}

// Table 1 of Li et al. (2018): R = 81, eta = 3.
const Table& PublishedR81Eta3() {
  static const Table* table = new Table{
      {{81, 1}, {27, 3}, {9, 9}, {3, 27}, {1, 81}},
      {{34, 3}, {11, 9}, {3, 27}, {1, 81}},
      {{15, 9}, {5, 27}, {1, 81}},
      {{8, 27}, {2, 81}},
      {{5, 81}},
  };
  return *table;
}

TEST(HyperbandScheduleTest, MatchesThePublishedTableForR81Eta3) {
  for (RungAnchor anchor : {RungAnchor::kTop, RungAnchor::kBottom}) {
    const std::vector<Bracket> schedule = HyperbandSchedule(81, 3, anchor);
    ASSERT_EQ(schedule.size(), 5u);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(schedule[i].s, 4 - i);
    // Budgets are computed as R / 3^k or 3^k: exact in floating point.
    EXPECT_EQ(AsTable(schedule), PublishedR81Eta3());
  }
}

TEST(HyperbandScheduleTest, MaxBracketIsTheFloorOfTheLogarithm) {
  EXPECT_EQ(HyperbandMaxBracket(81, 3), 4);
  EXPECT_EQ(HyperbandMaxBracket(80.9, 3), 3);
  EXPECT_EQ(HyperbandMaxBracket(1, 3), 0);
  EXPECT_EQ(HyperbandMaxBracket(2.9, 3), 0);
  EXPECT_EQ(HyperbandMaxBracket(200.0 / 12.0, 3), 2);
  EXPECT_EQ(HyperbandMaxBracket(8, 2), 3);
  EXPECT_EQ(HyperbandMaxBracket(1000, 10), 3);  // 10^3 is inexact-prone.
}

TEST(HyperbandScheduleTest, NasBench201RangeUnderBothAnchors) {
  // R = 200 / 12: s_max = 2, n = 9, 5, 3 (ceil(3 * 3^s / (s + 1))).
  const double r = 200.0 / 12.0;
  const std::vector<Bracket> top = HyperbandSchedule(r, 3, RungAnchor::kTop);
  const std::vector<Bracket> bottom =
      HyperbandSchedule(r, 3, RungAnchor::kBottom);
  ASSERT_EQ(top.size(), 3u);
  ASSERT_EQ(bottom.size(), 3u);
  const std::vector<std::vector<int64_t>> n = {{9, 3, 1}, {5, 1}, {3}};
  for (int b = 0; b < 3; ++b) {
    ASSERT_EQ(top[b].rungs.size(), n[b].size());
    for (size_t i = 0; i < n[b].size(); ++i) {
      EXPECT_EQ(top[b].rungs[i].num_configs, n[b][i]);
      EXPECT_EQ(bottom[b].rungs[i].num_configs, n[b][i]);
    }
  }
  // The paper's budgets: R / 9, R / 3, R.
  EXPECT_DOUBLE_EQ(top[0].rungs[0].budget, r / 9);
  EXPECT_DOUBLE_EQ(top[0].rungs[1].budget, r / 3);
  EXPECT_DOUBLE_EQ(top[0].rungs[2].budget, r);
  // Bottom-anchored: 1, 3, then R.
  EXPECT_EQ(bottom[0].rungs[0].budget, 1);
  EXPECT_EQ(bottom[0].rungs[1].budget, 3);
  EXPECT_DOUBLE_EQ(bottom[0].rungs[2].budget, r);
  EXPECT_EQ(bottom[1].rungs[0].budget, 3);
  EXPECT_DOUBLE_EQ(bottom[2].rungs[0].budget, r);
}

TEST(SuccessiveHalvingBracketTest, IsTheMostAggressiveBracket) {
  EXPECT_EQ(AsTable({SuccessiveHalvingBracket(81, 3, RungAnchor::kTop, 0)}),
            Table{PublishedR81Eta3()[0]});
  const Bracket custom = SuccessiveHalvingBracket(81, 3, RungAnchor::kTop, 100);
  std::vector<int64_t> n;
  for (const Rung& r : custom.rungs) n.push_back(r.num_configs);
  EXPECT_EQ(n, (std::vector<int64_t>{100, 33, 11, 3, 1}));
  // Rungs never drop to zero configurations.
  const Bracket small = SuccessiveHalvingBracket(81, 3, RungAnchor::kTop, 4);
  for (const Rung& r : small.rungs) EXPECT_GE(r.num_configs, 1);
}

// An oracle whose fidelities are the paper's resource units.
class FixedEpochsOracle : public MultiFidelityFunctionOracle {
 public:
  FixedEpochsOracle(const SearchSpace& space, std::vector<double> epochs)
      : MultiFidelityFunctionOracle(
            space, std::move(epochs),
            [](const Architecture&, int) { return 0.0; }, 1) {}
};

TEST(PlanBracketTest, MapsRungsToTheCheapestFidelityNotBelow) {
  auto space = *Nasbench201Space::New();
  FixedEpochsOracle nb201(*space, {12, 200});
  auto range = ResolveFidelityRange(nb201, 0, -1, "test");
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_DOUBLE_EQ(range->max_budget_ratio, 200.0 / 12.0);
  EXPECT_EQ(FidelityNotBelow(*range, 12), 0);
  EXPECT_EQ(FidelityNotBelow(*range, 12.5), 1);
  EXPECT_EQ(FidelityNotBelow(*range, 5), 0);
  EXPECT_EQ(FidelityNotBelow(*range, 500), 1);

  const auto bottom = PlanBracket(
      HyperbandSchedule(range->max_budget_ratio, 3, RungAnchor::kBottom)[0],
      *range);
  ASSERT_EQ(bottom.size(), 3u);
  EXPECT_EQ(bottom[0].fidelity, 0);  // 12 epochs
  EXPECT_EQ(bottom[1].fidelity, 1);  // 36 -> 200
  EXPECT_EQ(bottom[2].fidelity, 1);  // 200
  EXPECT_DOUBLE_EQ(bottom[1].budget_epochs, 36);
  // 9 runs of 12 epochs, 3 of 200; the last promotion stays at 200: free.
  EXPECT_DOUBLE_EQ(PlannedEpochs(bottom, *range), 9 * 12 + 3 * 200);

  const auto top = PlanBracket(
      HyperbandSchedule(range->max_budget_ratio, 3, RungAnchor::kTop)[0],
      *range);
  // 22.2 and 66.7 epochs both map up to 200: the paper's anchoring never
  // uses the 12-epoch table when R is not a power of eta.
  for (const PlannedRung& r : top) EXPECT_EQ(r.fidelity, 1);
  EXPECT_DOUBLE_EQ(PlannedEpochs(top, *range), 9 * 200);
}

TEST(PlanBracketTest, EpochsOfThePublishedScheduleStayNearB) {
  // With one fidelity per rung budget, bracket s charges sum n_i r_i, which
  // Hyperband keeps at about B = (s_max + 1) R = 405.
  auto space = *Nasbench201Space::New();
  FixedEpochsOracle oracle(*space, {1, 3, 9, 27, 81});
  auto range = ResolveFidelityRange(oracle, 0, -1, "test");
  ASSERT_TRUE(range.ok());
  std::vector<double> epochs;
  std::vector<std::vector<int>> fidelities;
  for (const Bracket& b : HyperbandSchedule(81, 3, RungAnchor::kTop)) {
    const auto plan = PlanBracket(b, *range);
    epochs.push_back(PlannedEpochs(plan, *range));
    fidelities.emplace_back();
    for (const PlannedRung& r : plan) fidelities.back().push_back(r.fidelity);
  }
  EXPECT_EQ(epochs, (std::vector<double>{405, 363, 351, 378, 405}));
  EXPECT_EQ(fidelities,
            (std::vector<std::vector<int>>{
                {0, 1, 2, 3, 4}, {1, 2, 3, 4}, {2, 3, 4}, {3, 4}, {4}}));
}

TEST(ResolveFidelityRangeTest, RejectsBadRanges) {
  auto space = *Nasbench201Space::New();
  FixedEpochsOracle oracle(*space, {12, 200});
  for (auto [lo, hi] : std::vector<std::pair<int, int>>{
           {2, -1}, {-1, 1}, {0, 2}, {1, 0}, {0, -2}}) {
    auto range = ResolveFidelityRange(oracle, lo, hi, "hyperband");
    ASSERT_FALSE(range.ok()) << lo << " " << hi;
    EXPECT_NE(range.status().message().find("hyperband"), std::string::npos);
    EXPECT_NE(range.status().message().find("fidelity"), std::string::npos);
  }
  FixedEpochsOracle decreasing(*space, {200, 12});
  EXPECT_FALSE(ResolveFidelityRange(decreasing, 0, -1, "x").ok());
  FixedEpochsOracle zero(*space, {0, 12});
  EXPECT_FALSE(ResolveFidelityRange(zero, 0, -1, "x").ok());
  EXPECT_TRUE(ResolveFidelityRange(zero, 1, 1, "x").ok());
}

// A value per (architecture, fidelity) that reshuffles the ranking at every
// fidelity, so promotions are visible.
double Scrambled(const SearchSpace& space, const Architecture& a, int f) {
  return static_cast<double>(HashCombine(f + 17, space.Hash(a)) % 100000);
}

TEST(BracketRunnerTest, PromotesExactlyTheTopOfEachRung) {
  auto space = *Nasbench201Space::New();
  MultiFidelityFunctionOracle oracle(
      *space, {1, 3, 9, 27, 81},
      [&](const Architecture& a, int f) { return Scrambled(*space, a, f); },
      100000);
  auto range = ResolveFidelityRange(oracle, 0, -1, "test");
  ASSERT_TRUE(range.ok());
  const auto plan =
      PlanBracket(HyperbandSchedule(81, 3, RungAnchor::kTop)[0], *range);
  Rng rng(5);
  BracketRunner runner(oracle, rng);
  auto ran = runner.Run(plan);
  ASSERT_TRUE(ran.ok()) << ran.status();
  ASSERT_TRUE(*ran);

  const auto& records = oracle.records();
  ASSERT_EQ(records.size(), 81u + 27 + 9 + 3 + 1);
  size_t begin = 0;
  std::vector<Architecture> previous;
  for (int f = 0; f < 5; ++f) {
    const size_t count = plan[f].num_configs;
    std::vector<Architecture> rung;
    for (size_t i = begin; i < begin + count; ++i) {
      ASSERT_EQ(records[i].fidelity, f) << i;
      rung.push_back(records[i].arch);
    }
    if (f > 0) {
      // The promoted are exactly the `count` best of the previous rung at
      // the previous fidelity, queried best first.
      std::vector<Architecture> ranked = previous;
      std::stable_sort(ranked.begin(), ranked.end(),
                       [&](const Architecture& a, const Architecture& b) {
                         return Scrambled(*space, a, f - 1) <
                                Scrambled(*space, b, f - 1);
                       });
      ranked.resize(count);
      EXPECT_EQ(rung, ranked) << "rung " << f;
    } else {
      absl::flat_hash_set<Architecture> distinct(rung.begin(), rung.end());
      EXPECT_EQ(distinct.size(), rung.size());
    }
    previous = rung;
    begin += count;
  }
}

TEST(BracketRunnerTest, SameFidelityPromotionsCostNothing) {
  auto space = *Nasbench201Space::New();
  MultiFidelityFunctionOracle oracle(
      *space, {12, 200},
      [&](const Architecture& a, int f) { return Scrambled(*space, a, f); },
      100000);
  auto range = ResolveFidelityRange(oracle, 0, -1, "test");
  ASSERT_TRUE(range.ok());
  const auto plan = PlanBracket(
      HyperbandSchedule(range->max_budget_ratio, 3, RungAnchor::kBottom)[0],
      *range);
  Rng rng(6);
  BracketRunner runner(oracle, rng);
  ASSERT_TRUE(runner.Run(plan).ok());
  // 9 at 12 epochs, 3 at 200; the final rung keeps 1 of those 3 for free.
  ASSERT_EQ(oracle.records().size(), 12u);
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(oracle.records()[i].fidelity, i < 9 ? 0 : 1);
  // The next bracket draws fresh architectures.
  ASSERT_TRUE(runner.Run(plan).ok());
  ASSERT_EQ(oracle.records().size(), 24u);
  absl::flat_hash_set<Architecture> first, second;
  for (int i = 0; i < 9; ++i) first.insert(oracle.records()[i].arch);
  for (int i = 12; i < 21; ++i) second.insert(oracle.records()[i].arch);
  for (const Architecture& a : second) EXPECT_FALSE(first.contains(a));
}

TEST(BracketRunnerTest, ReturnsFalseWhenTheSpaceIsExhaustedAndStopsOnBudget) {
  auto space = *Nasbench201Space::New();
  MultiFidelityFunctionOracle oracle(
      *space, {12, 200},
      [&](const Architecture& a, int f) { return Scrambled(*space, a, f); },
      /*budget=*/10);
  auto range = ResolveFidelityRange(oracle, 0, -1, "test");
  ASSERT_TRUE(range.ok());
  const auto plan = PlanBracket(
      HyperbandSchedule(range->max_budget_ratio, 3, RungAnchor::kBottom)[0],
      *range);
  Rng rng(7);
  BracketRunner runner(oracle, rng);
  auto ran = runner.Run(plan);
  EXPECT_TRUE(IsBudgetExhausted(ran.status())) << ran.status();
  EXPECT_EQ(oracle.records().size(), 10u);

  // A partial last bracket: 15,625 = 1736 * 9 + 1 architectures.
  MultiFidelityFunctionOracle big(
      *space, {12, 200},
      [&](const Architecture& a, int f) { return Scrambled(*space, a, f); },
      1000000);
  BracketRunner exhaust(big, rng);
  int brackets = 0;
  while (true) {
    auto more = exhaust.Run(plan);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    ++brackets;
  }
  EXPECT_EQ(brackets, 1737);
  // 1736 full brackets of 9 + 3 queries, then 1 + 1 for the last one.
  EXPECT_EQ(big.records().size(), 1736u * 12 + 2);
}

}  // namespace
}  // namespace nas
