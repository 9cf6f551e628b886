#include "harness/oracle.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

// The error is the index in a space without symmetries (the oracle relies
// on its cheap checks alone); ToIndex reads a table of Size() entries, as
// the tabular objectives do, so an unchecked gene would read past it.
class IndexObjective : public Objective {
 public:
  std::string name() const override { return "index"; }
  const SearchSpace& space() const override { return *space_; }
  absl::Span<const Fidelity> fidelities() const override { return fidelity_; }
  Evaluation Evaluate(const Architecture& arch, int, Rng*) const override {
    const int64_t index = space_->ToIndex(arch);
    return {static_cast<double>(index), static_cast<double>(index), 1, {}};
  }

 private:
  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
  std::vector<Fidelity> fidelity_ = {{"full", 1}};
};

TEST(BudgetedOracleTest, RefusesInvalidArchitecturesOfASpaceWithoutSymmetries) {
  IndexObjective objective;
  BudgetedOracle oracle(objective, BudgetLimits{}, Rng(1));
  for (const Architecture& arch :
       {Architecture({0, 5, 0, 0, 0, 0}), Architecture({0, 0, 0, 0, 0, 255}),
        Architecture({0, 0, 0, 0, 0}), Architecture({0, 0, 0, 0, 0, 0, 0})}) {
    absl::StatusOr<Observation> observed = oracle.Query(arch, -1);
    ASSERT_FALSE(observed.ok()) << arch.DebugString();
    EXPECT_EQ(observed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(observed.status().message()),
                HasSubstr("queried an invalid architecture"));
  }
  EXPECT_EQ(oracle.invalid_queries(), 4);
  EXPECT_EQ(oracle.queries_used(), 0);
  EXPECT_THAT(oracle.first_invalid(), HasSubstr("gene 1 (edge 2<-0) is op 5"));

  const Architecture valid({2, 1, 0, 4, 3, 0});
  absl::StatusOr<Observation> observed = oracle.Query(valid, -1);
  ASSERT_TRUE(observed.ok());
  EXPECT_EQ(observed->valid_error, objective.space().ToIndex(valid));
  EXPECT_EQ(oracle.queries_used(), 1);
}

}  // namespace
}  // namespace nas
