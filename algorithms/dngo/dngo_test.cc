#include <vector>

#include "algorithms/dngo/dngo.pb.h"
#include "algorithms/model_based/predictor_search_testing.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

class DngoTest : public PredictorAlgorithmTest<DngoParams> {
 protected:
  DngoTest() : PredictorAlgorithmTest("dngo", *Nasbench201Space::New()) {}
};

TEST_F(DngoTest, FindsTheOptimumOfASmoothFunctionQuickly) {
  ExpectFindsTheMinimumOfEditDistance(Architecture({3, 3, 1, 0, 3, 2}));
}

TEST_F(DngoTest, UncertaintyComesFromTheRegression) {
  auto f = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(3, space_->ToIndex(a)) % 1000);
  };
  DngoParams params;
  params.mutable_network()->set_epochs(30);
  std::vector<RoundTrace> rounds;
  Run(params, f, 40, 4, [&](const RoundTrace& t) { rounds.push_back(t); });
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
  DngoParams params;
  params.mutable_network()->set_epochs(20);
  ExpectDistinctAndSeeded(params, 200);
}

TEST_F(DngoTest, RejectsBadParametersAndIsRegistered) {
  DngoParams params;
  params.mutable_network()->set_batch_size(0);
  ExpectRejected(params, "dngo: batch_size is 0");
  ExpectRegisteredWithItsParams();
}

}  // namespace
}  // namespace nas
