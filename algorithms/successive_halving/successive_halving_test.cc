#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/multi_fidelity_testing.h"
#include "algorithms/common/testing.h"
#include "algorithms/successive_halving/successive_halving.pb.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

class SuccessiveHalvingTest
    : public MultiFidelityAlgorithmTest<SuccessiveHalvingParams> {
 protected:
  SuccessiveHalvingTest()
      : MultiFidelityAlgorithmTest("successive_halving", 31,
                                   *Nasbench201Space::New()) {}

  // Checks that records[begin, begin + k) at fidelity `to` are the k best of
  // `from_records` by their value at fidelity `from`, best first.
  void ExpectTopPromoted(const std::vector<Record>& rung, int from,
                         const std::vector<Record>& promoted, int to) {
    std::vector<Architecture> ranked;
    for (const Record& r : rung) {
      ASSERT_EQ(r.fidelity, from);
      ranked.push_back(r.arch);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&](const Architecture& a, const Architecture& b) {
                       return Value(a, from) < Value(b, from);
                     });
    ranked.resize(promoted.size());
    std::vector<Architecture> got;
    for (const Record& r : promoted) {
      ASSERT_EQ(r.fidelity, to);
      got.push_back(r.arch);
    }
    EXPECT_EQ(got, ranked);
  }
};

TEST_F(SuccessiveHalvingTest, NasBench201FidelitiesPromoteTheTopThird) {
  // R = 200 / 12, eta 3: 9 at 12 epochs, the best 3 at 200, then the best
  // of those at 200 again, which is free: 12 queries per bracket.
  const auto records = Run({}, {12, 200}, 120, 1);
  ASSERT_EQ(records.size(), 120u);
  absl::flat_hash_set<Architecture> drawn;
  for (int b = 0; b < 10; ++b) {
    const auto begin = records.begin() + 12 * b;
    ExpectTopPromoted({begin, begin + 9}, 0, {begin + 9, begin + 12}, 1);
    for (auto it = begin; it != begin + 9; ++it) {
      EXPECT_TRUE(drawn.insert(it->arch).second) << "redrawn in bracket " << b;
    }
  }
}

TEST_F(SuccessiveHalvingTest, FiveRungsWithCustomConfigs) {
  SuccessiveHalvingParams params;
  params.set_num_configs(30);
  const auto records = Run(params, {1, 3, 9, 27, 81}, 30 + 10 + 3 + 1 + 1, 2);
  ASSERT_EQ(records.size(), 45u);
  // n_i = max(1, floor(30 / 3^i)): 30, 10, 3, 1, 1.
  const std::vector<int> sizes = {30, 10, 3, 1, 1};
  int begin = 0;
  for (int f = 0; f + 1 < 5; ++f) {
    const int next = begin + sizes[f];
    ExpectTopPromoted(
        {records.begin() + begin, records.begin() + next}, f,
        {records.begin() + next, records.begin() + next + sizes[f + 1]}, f + 1);
    begin = next;
  }
}

TEST_F(SuccessiveHalvingTest, FidelitySubrange) {
  SuccessiveHalvingParams params;
  params.set_min_fidelity(1);
  params.set_max_fidelity(2);
  // Fidelities 3 and 9 epochs: R = 3, s_max = 1: 3 at 3 epochs, 1 at 9.
  const auto records = Run(params, {1, 3, 9, 27, 81}, 8, 3);
  ASSERT_EQ(records.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(records[i].fidelity, (i % 4) < 3 ? 1 : 2) << i;
  }
}

TEST_F(SuccessiveHalvingTest, OneFidelityIsRandomSearch) {
  ExpectOneFidelityIsRandomSearch();
}

TEST_F(SuccessiveHalvingTest, StopsWhenTheSpaceIsExhausted) {
  // 1736 brackets of 9 + 3 queries, then the last architecture: 1 + 1.
  EXPECT_EQ(Run({}, {12, 200}, 1000000, 5).size(), 1736u * 12 + 2);
  ExpectExhaustsTinySpace();
}

TEST_F(SuccessiveHalvingTest, BudgetOfOneAndDeterminism) {
  ExpectBudgetOfOneAndDeterminism();
}

TEST_F(SuccessiveHalvingTest, FidelityOutOfRangeFailsTheRun) {
  SuccessiveHalvingParams params;
  params.set_min_fidelity(2);
  absl::Status status;
  const auto records = Run(params, {12, 200}, 10, 10, &status);
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_NE(status.message().find("min_fidelity"), std::string::npos);
  EXPECT_TRUE(records.empty());
}

TEST(SuccessiveHalvingParamsTest, RejectsBadParameters) {
  SuccessiveHalvingParams params;
  params.set_eta(1);
  auto sh = NewRegisteredAlgorithm("successive_halving", &params);
  ASSERT_FALSE(sh.ok());
  EXPECT_NE(sh.status().message().find("eta"), std::string::npos);
  params = {};
  params.set_num_configs(-1);
  EXPECT_FALSE(NewRegisteredAlgorithm("successive_halving", &params).ok());
  params = {};
  params.set_max_fidelity(-2);
  EXPECT_FALSE(NewRegisteredAlgorithm("successive_halving", &params).ok());
}

}  // namespace
}  // namespace nas
