#include "algorithms/gp_bayesopt/gp_bayesopt.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/testing.h"
#include "gtest/gtest.h"
#include "spaces/encodings/encodings.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

class GpBayesoptTest : public ::testing::Test {
 protected:
  std::vector<Architecture> Run(const GpBayesoptParams& params,
                                std::function<double(const Architecture&)> f,
                                int64_t budget, uint64_t seed) {
    FunctionOracle oracle(*space_, std::move(f), budget);
    Rng rng(seed);
    auto gp = GpBayesopt::New(params);
    EXPECT_TRUE(gp.ok()) << gp.status();
    absl::Status status = (*gp)->Run(oracle, rng);
    EXPECT_TRUE(status.ok()) << status;
    return oracle.queries();
  }

  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
};

TEST_F(GpBayesoptTest, FindsTheOptimumOfASmoothFunctionQuickly) {
  // Edit distance to a target: exactly what the default (adjacency) kernel
  // measures. Random search: ~1% chance within 150 queries.
  const Architecture target({3, 3, 1, 0, 3, 2});
  auto f = [&](const Architecture& a) {
    return static_cast<double>(GeneEditDistance(a, target));
  };
  for (uint64_t seed : {1, 2, 3}) {
    const auto queries = Run(GpBayesoptParams(), f, 150, seed);
    ASSERT_EQ(queries.size(), 150u);
    EXPECT_NE(std::find(queries.begin(), queries.end(), target), queries.end())
        << "seed " << seed;
  }
}

TEST_F(GpBayesoptTest, UcbRanksByMeanMinusKappaStddev) {
  auto f = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(3, space_->ToIndex(a)) % 1000);
  };
  FunctionOracle oracle(*space_, f, 50);
  Rng rng(4);
  auto gp = *GpBayesopt::New(GpBayesoptParams());
  std::vector<RoundTrace> rounds;
  gp->search().set_trace([&](const RoundTrace& t) { rounds.push_back(t); });
  ASSERT_TRUE(gp->Run(oracle, rng).ok());
  ASSERT_EQ(rounds.size(), 4u);
  for (const RoundTrace& t : rounds) {
    for (size_t i = 0; i < t.scores.size(); ++i) {
      EXPECT_DOUBLE_EQ(t.scores[i],
                       t.predictions.mean(i) - 0.5 * t.predictions.stddev(i));
    }
  }
}

TEST_F(GpBayesoptTest, NeverRequeriesAndIsDeterministic) {
  auto f = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(5, space_->ToIndex(a)) % 1000);
  };
  GpBayesoptParams params;
  params.mutable_search()->set_acquisition(AcquisitionFunction::EI);
  const auto queries = Run(params, f, 300, 6);
  absl::flat_hash_set<Architecture> distinct(queries.begin(), queries.end());
  EXPECT_EQ(distinct.size(), 300u);
  EXPECT_EQ(Run(params, f, 300, 6), queries);
  EXPECT_NE(Run(params, f, 300, 7), queries);
}

TEST_F(GpBayesoptTest, RejectsBadParametersAndIsRegistered) {
  GpBayesoptParams params;
  params.mutable_search()->set_num_candidates(0);
  auto gp = GpBayesopt::New(params);
  ASSERT_FALSE(gp.ok());
  EXPECT_NE(gp.status().message().find("gp_bayesopt: num_candidates is 0"),
            std::string::npos);
  auto entry = GlobalAlgorithmRegistry().Find("gp_bayesopt");
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ((*entry)->params_prototype->GetDescriptor()->full_name(),
            "nas.GpBayesoptParams");
}

}  // namespace
}  // namespace nas
