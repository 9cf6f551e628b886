#include "algorithms/dngo/dngo.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/testing.h"
#include "gtest/gtest.h"
#include "spaces/encodings/encodings.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

class DngoTest : public ::testing::Test {
 protected:
  std::vector<Architecture> Run(const DngoParams& params,
                                std::function<double(const Architecture&)> f,
                                int64_t budget, uint64_t seed) {
    FunctionOracle oracle(*space_, std::move(f), budget);
    Rng rng(seed);
    auto dngo = Dngo::New(params);
    EXPECT_TRUE(dngo.ok()) << dngo.status();
    absl::Status status = (*dngo)->Run(oracle, rng);
    EXPECT_TRUE(status.ok()) << status;
    return oracle.queries();
  }

  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
};

TEST_F(DngoTest, FindsTheOptimumOfASmoothFunctionQuickly) {
  // Edit distance to a target cell; random search: ~1% within 150 queries.
  const Architecture target({3, 3, 1, 0, 3, 2});
  auto f = [&](const Architecture& a) {
    return static_cast<double>(GeneEditDistance(a, target));
  };
  for (uint64_t seed : {1, 2, 3}) {
    const auto queries = Run(DngoParams(), f, 150, seed);
    ASSERT_EQ(queries.size(), 150u);
    EXPECT_NE(std::find(queries.begin(), queries.end(), target), queries.end())
        << "seed " << seed;
  }
}

TEST_F(DngoTest, UncertaintyComesFromTheRegression) {
  auto f = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(3, space_->ToIndex(a)) % 1000);
  };
  DngoParams params;
  params.mutable_network()->set_epochs(30);
  FunctionOracle oracle(*space_, f, 40);
  Rng rng(4);
  auto dngo = *Dngo::New(params);
  std::vector<RoundTrace> rounds;
  dngo->search().set_trace([&](const RoundTrace& t) { rounds.push_back(t); });
  ASSERT_TRUE(dngo->Run(oracle, rng).ok());
  ASSERT_EQ(rounds.size(), 3u);
  for (const RoundTrace& t : rounds) {
    // Every predictive standard deviation includes the noise term 1/beta.
    EXPECT_GT(t.predictions.stddev.minCoeff(), 0);
    for (size_t i = 0; i < t.scores.size(); ++i) {
      EXPECT_DOUBLE_EQ(t.scores[i],
                       t.predictions.mean(i) - 0.5 * t.predictions.stddev(i));
    }
  }
}

TEST_F(DngoTest, NeverRequeriesAndIsDeterministic) {
  auto f = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(5, space_->ToIndex(a)) % 1000);
  };
  DngoParams params;
  params.mutable_network()->set_epochs(20);
  const auto queries = Run(params, f, 200, 6);
  absl::flat_hash_set<Architecture> distinct(queries.begin(), queries.end());
  EXPECT_EQ(distinct.size(), 200u);
  EXPECT_EQ(Run(params, f, 200, 6), queries);
  EXPECT_NE(Run(params, f, 200, 7), queries);
}

TEST_F(DngoTest, RejectsBadParametersAndIsRegistered) {
  DngoParams params;
  params.mutable_network()->set_batch_size(0);
  auto dngo = Dngo::New(params);
  ASSERT_FALSE(dngo.ok());
  EXPECT_NE(dngo.status().message().find("dngo: batch_size is 0"),
            std::string::npos);
  auto entry = GlobalAlgorithmRegistry().Find("dngo");
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ((*entry)->params_prototype->GetDescriptor()->full_name(),
            "nas.DngoParams");
}

}  // namespace
}  // namespace nas
