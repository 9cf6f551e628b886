#include <vector>

#include "algorithms/gp_bayesopt/gp_bayesopt.pb.h"
#include "algorithms/model_based/predictor_search_testing.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

class GpBayesoptTest : public PredictorAlgorithmTest<GpBayesoptParams> {
 protected:
  GpBayesoptTest()
      : PredictorAlgorithmTest("gp_bayesopt", *Nasbench201Space::New()) {}
};

TEST_F(GpBayesoptTest, FindsTheOptimumOfASmoothFunctionQuickly) {
  // Edit distance to a target: exactly what the default (adjacency) kernel
  // measures.
  ExpectFindsTheMinimumOfEditDistance(Architecture({3, 3, 1, 0, 3, 2}));
}

TEST_F(GpBayesoptTest, UcbRanksByMeanMinusKappaStddev) {
  auto f = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(3, space_->ToIndex(a)) % 1000);
  };
  std::vector<RoundTrace> rounds;
  Run(GpBayesoptParams(), f, 50, 4,
      [&](const RoundTrace& t) { rounds.push_back(t); });
  ASSERT_EQ(rounds.size(), 4u);
  for (const RoundTrace& t : rounds) {
    for (size_t i = 0; i < t.scores.size(); ++i) {
      EXPECT_DOUBLE_EQ(t.scores[i],
                       t.predictions.mean(i) - 0.5 * t.predictions.stddev(i));
    }
  }
}

TEST_F(GpBayesoptTest, NeverRequeriesAndIsDeterministic) {
  GpBayesoptParams params;
  params.mutable_search()->set_acquisition(AcquisitionFunction::EI);
  ExpectDistinctAndSeeded(params, 300);
}

TEST_F(GpBayesoptTest, RejectsBadParametersAndIsRegistered) {
  GpBayesoptParams params;
  params.mutable_search()->set_num_candidates(0);
  ExpectRejected(params, "gp_bayesopt: num_candidates is 0");
  ExpectRegisteredWithItsParams();
}

}  // namespace
}  // namespace nas
