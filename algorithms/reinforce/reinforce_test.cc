#include "algorithms/reinforce/reinforce.h"

#include <cmath>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/testing.h"
#include "gtest/gtest.h"
#include "spaces/darts/darts.h"
#include "spaces/nasbench101/nasbench101.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

const std::vector<int> kFiveByThree = {5, 5, 5};

TEST(CategoricalPolicyTest, StartsUniform) {
  CategoricalPolicy policy(kFiveByThree, ReinforceParams::ADAM, 0.01);
  for (int g = 0; g < 3; ++g) {
    for (double p : policy.Probabilities(g)) EXPECT_DOUBLE_EQ(p, 0.2);
  }
  EXPECT_NEAR(policy.LogProbability(Architecture({0, 1, 4})), 3 * std::log(0.2),
              1e-12);
}

TEST(CategoricalPolicyTest, SgdStepIsAdvantageTimesGradLogP) {
  CategoricalPolicy policy(kFiveByThree, ReinforceParams::SGD, 0.1);
  policy.Update(Architecture({2, 0, 4}), /*advantage=*/2.0);
  // d log p / d logit_v = [v chosen] - 0.2: +0.8 chosen, -0.2 others.
  for (int g = 0; g < 3; ++g) {
    const int chosen = std::vector<int>{2, 0, 4}[g];
    for (int v = 0; v < 5; ++v) {
      EXPECT_NEAR(policy.logits()[g][v], v == chosen ? 0.16 : -0.04, 1e-15);
    }
  }
  // A negative advantage pushes the other way.
  CategoricalPolicy down(kFiveByThree, ReinforceParams::SGD, 0.1);
  down.Update(Architecture({2, 0, 4}), -1.0);
  EXPECT_NEAR(down.logits()[0][2], -0.08, 1e-15);
  EXPECT_NEAR(down.logits()[0][0], 0.02, 1e-15);
}

TEST(CategoricalPolicyTest, AdamFirstStepIsTheLearningRateInTheGradientSign) {
  CategoricalPolicy policy(kFiveByThree, ReinforceParams::ADAM, 0.01);
  policy.Update(Architecture({1, 1, 1}), 3.0);
  // Bias-corrected m / sqrt(v) = sign(grad) on the first step.
  for (int g = 0; g < 3; ++g) {
    for (int v = 0; v < 5; ++v) {
      EXPECT_NEAR(policy.logits()[g][v], v == 1 ? 0.01 : -0.01, 1e-9);
    }
  }
  // Second step, same gradient: m_hat / sqrt(v_hat) is still 1.
  policy.Update(Architecture({1, 1, 1}), 3.0);
  EXPECT_GT(policy.logits()[0][1], 0.019);
  EXPECT_LT(policy.logits()[0][1], 0.0201);
}

TEST(CategoricalPolicyTest, SamplesFollowTheProbabilities) {
  CategoricalPolicy policy({4}, ReinforceParams::SGD, 1.0);
  policy.Update(Architecture({3}), 2.0);  // Tilt towards value 3.
  const std::vector<double> p = policy.Probabilities(0);
  Rng rng(1);
  const int kTrials = 40000;
  std::vector<int> counts(4, 0);
  for (int i = 0; i < kTrials; ++i) ++counts[policy.Sample(rng)[0]];
  for (int v = 0; v < 4; ++v) {
    EXPECT_NEAR(counts[v], kTrials * p[v],
                4 * std::sqrt(kTrials * p[v] * (1 - p[v])))
        << v;
  }
  // Excluding renormalises over the rest.
  std::vector<bool> excluded = {false, true, false, true};
  std::vector<int> rest(4, 0);
  for (int i = 0; i < kTrials; ++i) {
    ++rest[policy.SampleGeneExcluding(0, excluded, rng)];
  }
  EXPECT_EQ(rest[1], 0);
  EXPECT_EQ(rest[3], 0);
  const double p0 = p[0] / (p[0] + p[2]);
  EXPECT_NEAR(rest[0], kTrials * p0, 4 * std::sqrt(kTrials * p0 * (1 - p0)));
  EXPECT_EQ(policy.SampleGeneExcluding(0, {true, true, true, true}, rng), -1);
}

TEST(MovingAverageBaselineTest, BiasCorrectedAverage) {
  MovingAverageBaseline baseline(0.5);
  EXPECT_EQ(baseline.value(), 0);
  baseline.Update(1);
  EXPECT_DOUBLE_EQ(baseline.value(), 1);  // The first reward itself.
  baseline.Update(2);
  EXPECT_DOUBLE_EQ(baseline.value(), 1.25 / 0.75);
  baseline.Update(3);
  EXPECT_DOUBLE_EQ(baseline.value(), 2.125 / 0.875);
}

TEST(MovingAverageBaselineTest, TracksTheMeanReward) {
  MovingAverageBaseline baseline(0.9);
  Rng rng(2);
  double sum_baseline = 0, sum_reward = 0;
  const int kSteps = 20000;
  for (int i = 0; i < kSteps; ++i) {
    const double reward = -30 + 2 * rng.Normal();
    baseline.Update(reward);
    sum_baseline += baseline.value();
    sum_reward += reward;
  }
  EXPECT_NEAR(sum_baseline / kSteps, sum_reward / kSteps, 0.05);
  EXPECT_NEAR(baseline.value(), -30, 4 * 2 * std::sqrt(0.1 / 1.9));
}

class ReinforceTest : public ::testing::Test {
 protected:
  std::unique_ptr<Reinforce> RunOn(
      const SearchSpace& space, const ReinforceParams& params,
      std::function<double(const Architecture&)> f, int64_t budget,
      uint64_t seed, std::vector<Architecture>* queries = nullptr) {
    FunctionOracle oracle(space, std::move(f), budget);
    Rng rng(seed);
    auto reinforce = Reinforce::New(params);
    EXPECT_TRUE(reinforce.ok()) << reinforce.status();
    const absl::Status status = (*reinforce)->Run(oracle, rng);
    EXPECT_TRUE(status.ok()) << status;
    if (queries != nullptr) *queries = oracle.queries();
    return std::move(*reinforce);
  }

  double Rugged(const Architecture& a) const {
    return static_cast<double>(HashCombine(7, space_->ToIndex(a)) % 100000) /
           1000;
  }

  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
};

TEST_F(ReinforceTest, LearnsTheTargetOfASeparableFunction) {
  const Architecture target({3, 3, 1, 0, 3, 2});
  auto f = [&](const Architecture& a) {
    int d = 0;
    for (int e = 0; e < 6; ++e) d += a[e] != target[e];
    return 100.0 * d;  // Percent-like scale.
  };
  std::vector<Architecture> queries;
  auto reinforce = RunOn(*space_, {}, f, 3000, 3, &queries);
  ASSERT_EQ(queries.size(), 3000u);
  for (int g = 0; g < 6; ++g) {
    EXPECT_GT(reinforce->policy()->Probabilities(g)[target[g]], 0.9)
        << "gene " << g << " after " << reinforce->num_updates() << " updates";
  }
  // Repeated samples cost nothing but still trained the policy.
  EXPECT_GT(reinforce->num_updates(), 3000);
  absl::flat_hash_set<Architecture> distinct(queries.begin(), queries.end());
  EXPECT_EQ(distinct.size(), queries.size());
}

TEST_F(ReinforceTest, ConstantRewardLeavesThePolicyUniform) {
  auto reinforce = RunOn(
      *space_, {}, [](const Architecture&) { return 3.0; }, 500, 4);
  EXPECT_NEAR(reinforce->baseline()->value(), -3.0, 1e-12);
  for (int g = 0; g < 6; ++g) {
    for (double p : reinforce->policy()->Probabilities(g))
      EXPECT_NEAR(p, 0.2, 1e-6);
  }
}

TEST_F(ReinforceTest, StopsWhenTheSpaceIsExhausted) {
  std::vector<Architecture> queries;
  RunOn(
      *space_, {}, [&](const Architecture& a) { return Rugged(a); }, 20000, 5,
      &queries);
  EXPECT_EQ(queries.size(), 15625u);
  TinySpace tiny(2, 3);
  RunOn(
      tiny, {}, [](const Architecture& a) { return double(a[0] + a[1]); }, 1000,
      6, &queries);
  EXPECT_EQ(queries.size(), 9u);
}

TEST_F(ReinforceTest, SamplesValidCanonicalArchitecturesOnGraphSpaces) {
  // Most gene vectors are invalid in DARTS (inputs out of range or equal)
  // and NAS-Bench-101 (disconnected, too many edges); FunctionOracle
  // rejects invalid and non-canonical queries, failing the run.
  auto darts = *DartsSpace::New();
  std::vector<Architecture> queries;
  RunOn(
      *darts, {},
      [&](const Architecture& a) { return double(darts->Hash(a) % 1000); }, 200,
      7, &queries);
  EXPECT_EQ(queries.size(), 200u);
  auto nb101 = *Nasbench101Space::New({});
  RunOn(
      *nb101, {},
      [&](const Architecture& a) { return double(nb101->Hash(a) % 1000); }, 200,
      8, &queries);
  EXPECT_EQ(queries.size(), 200u);
}

TEST_F(ReinforceTest, BudgetOfOneAndDeterminism) {
  auto f = [&](const Architecture& a) { return Rugged(a); };
  std::vector<Architecture> a, b, c;
  RunOn(*space_, {}, f, 1, 9, &a);
  EXPECT_EQ(a.size(), 1u);
  RunOn(*space_, {}, f, 300, 10, &a);
  RunOn(*space_, {}, f, 300, 10, &b);
  RunOn(*space_, {}, f, 300, 11, &c);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(ReinforceParamsTest, RejectsBadParameters) {
  struct Case {
    const char* field;
    std::function<void(ReinforceParams*)> set;
  };
  const std::vector<Case> cases = {
      {"learning_rate", [](auto* p) { p->set_learning_rate(0); }},
      {"baseline_decay", [](auto* p) { p->set_baseline_decay(1); }},
      {"baseline_decay", [](auto* p) { p->set_baseline_decay(-0.1); }},
      {"max_sample_attempts", [](auto* p) { p->set_max_sample_attempts(0); }},
      {"max_consecutive_repeats",
       [](auto* p) { p->set_max_consecutive_repeats(0); }},
  };
  for (const Case& c : cases) {
    ReinforceParams params;
    c.set(&params);
    auto reinforce = Reinforce::New(params);
    ASSERT_FALSE(reinforce.ok()) << c.field;
    EXPECT_NE(reinforce.status().message().find(c.field), std::string::npos);
  }
}

}  // namespace
}  // namespace nas
