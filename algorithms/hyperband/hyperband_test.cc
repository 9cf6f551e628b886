#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/multi_fidelity_testing.h"
#include "algorithms/common/testing.h"
#include "algorithms/hyperband/hyperband.pb.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

class HyperbandTest : public MultiFidelityAlgorithmTest<HyperbandParams> {
 protected:
  HyperbandTest()
      : MultiFidelityAlgorithmTest("hyperband", 41, *Nasbench201Space::New()) {}

  // (fidelity, run length) pairs of the query log.
  static std::vector<std::pair<int, int>> Runs(
      const std::vector<Record>& records) {
    std::vector<std::pair<int, int>> runs;
    for (const Record& r : records) {
      if (runs.empty() || runs.back().first != r.fidelity) {
        runs.push_back({r.fidelity, 0});
      }
      ++runs.back().second;
    }
    return runs;
  }
};

TEST_F(HyperbandTest, QueriesFollowThePublishedScheduleForR81Eta3) {
  // One fidelity per rung budget of Table 1 (1, 3, 9, 27, 81 epochs): the
  // query log is the table, bracket by bracket, then bracket s = 4 again.
  const int cycle =
      (81 + 27 + 9 + 3 + 1) + (34 + 11 + 3 + 1) + (15 + 5 + 1) + (8 + 2) + 5;
  ASSERT_EQ(cycle, 206);
  const auto records = Run({}, {1, 3, 9, 27, 81}, cycle + 81, 1);
  ASSERT_EQ(records.size(), 287u);
  // clang-format off
  const std::vector<std::pair<int, int>> expected = {
      {0, 81}, {1, 27}, {2, 9}, {3, 3}, {4, 1},  // s = 4
      {1, 34}, {2, 11}, {3, 3}, {4, 1},          // s = 3
      {2, 15}, {3, 5}, {4, 1},                   // s = 2
      {3, 8}, {4, 2 + 5},                        // s = 1, then s = 0
      {0, 81},                                   // s = 4 again
  };
  // clang-format on
  EXPECT_EQ(Runs(records), expected);
  // Every bracket's first rung is fresh architectures, never drawn before.
  absl::flat_hash_set<Architecture> drawn;
  const std::vector<std::pair<int, int>> first_rungs = {
      {0, 81}, {121, 34}, {170, 15}, {191, 8}, {201, 5}, {206, 81}};
  for (const auto& [start, n] : first_rungs) {
    for (int i = start; i < start + n; ++i) {
      EXPECT_TRUE(drawn.insert(records[i].arch).second) << i;
    }
  }
  // Bracket s = 3 promotes exactly its best 11 of 34 at 3 epochs.
  std::vector<Architecture> rung(34), ranked;
  for (int i = 0; i < 34; ++i) rung[i] = records[121 + i].arch;
  ranked = rung;
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](const Architecture& a, const Architecture& b) {
                     return Value(a, 1) < Value(b, 1);
                   });
  ranked.resize(11);
  std::vector<Architecture> promoted;
  for (int i = 0; i < 11; ++i) promoted.push_back(records[155 + i].arch);
  EXPECT_EQ(promoted, ranked);
}

TEST_F(HyperbandTest, NasBench201FidelitiesWithBothAnchors) {
  // R = 200 / 12, s_max = 2. BOTTOM: s = 2 runs 9 at 12 epochs and 3 at 200
  // (its last rung stays at 200: free); s = 1 runs 5 at 36 -> 200 (then 1
  // kept at 200: free); s = 0 runs 3 at 200. 20 queries per cycle.
  const auto bottom = Run({}, {12, 200}, 40, 2);
  const std::vector<std::pair<int, int>> expected_bottom = {
      {0, 9}, {1, 3 + 5 + 3}, {0, 9}, {1, 11}};
  EXPECT_EQ(Runs(bottom), expected_bottom);
  // TOP: every rung maps to 200 epochs; 9 + 5 + 3 queries per cycle, all
  // at the full fidelity.
  HyperbandParams top;
  top.set_rung_anchor(HyperbandParams::TOP);
  const auto records = Run(top, {12, 200}, 34, 3);
  EXPECT_EQ(Runs(records), (std::vector<std::pair<int, int>>{{1, 34}}));
  absl::flat_hash_set<Architecture> distinct;
  for (const Record& r : records) distinct.insert(r.arch);
  EXPECT_EQ(distinct.size(), 34u);
}

TEST_F(HyperbandTest, OneFidelityIsRandomSearch) {
  ExpectOneFidelityIsRandomSearch();
}

TEST_F(HyperbandTest, StopsWhenTheSpaceIsExhausted) {
  const auto all = Run({}, {12, 200}, 1000000, 5);
  absl::flat_hash_set<Architecture> distinct;
  for (const Record& r : all) distinct.insert(r.arch);
  EXPECT_EQ(distinct.size(), 15625u);
  ExpectExhaustsTinySpace();
}

TEST_F(HyperbandTest, BudgetOfOneAndDeterminism) {
  ExpectBudgetOfOneAndDeterminism();
}

TEST(HyperbandParamsTest, RejectsBadParameters) {
  HyperbandParams params;
  params.set_eta(0);
  auto hb = NewRegisteredAlgorithm("hyperband", &params);
  ASSERT_FALSE(hb.ok());
  EXPECT_NE(hb.status().message().find("eta"), std::string::npos);
  params = {};
  params.set_min_fidelity(-1);
  EXPECT_FALSE(NewRegisteredAlgorithm("hyperband", &params).ok());
}

}  // namespace
}  // namespace nas
