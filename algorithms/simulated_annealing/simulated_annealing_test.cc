#include "algorithms/simulated_annealing/simulated_annealing.h"

#include <cmath>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/testing.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

TEST(MetropolisAcceptTest, ImprovementsAlwaysAndWithoutADraw) {
  Rng rng(1);
  const Rng before = rng;
  EXPECT_TRUE(MetropolisAccept(-3.0, 1.0, rng));
  EXPECT_TRUE(MetropolisAccept(0.0, 0.0, rng));
  EXPECT_TRUE(MetropolisAccept(-1.0, 0.0, rng));
  Rng untouched = before;
  EXPECT_EQ(rng.NextU64(), untouched.NextU64());
}

TEST(MetropolisAcceptTest, WorseningNeverAtZeroTemperature) {
  Rng rng(2);
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(MetropolisAccept(1e-9, 0.0, rng));
}

TEST(MetropolisAcceptTest, WorseningWithProbabilityExpMinusDeltaOverT) {
  Rng rng(3);
  const int kTrials = 40000;
  for (double delta : {0.5, 1.0, 2.0, 4.0}) {
    const double p = std::exp(-delta / 1.5);
    int accepted = 0;
    for (int i = 0; i < kTrials; ++i)
      accepted += MetropolisAccept(delta, 1.5, rng);
    const double sigma = std::sqrt(kTrials * p * (1 - p));
    EXPECT_NEAR(accepted, kTrials * p, 4 * sigma) << delta;
  }
}

class SimulatedAnnealingTest : public ::testing::Test {
 protected:
  double Rugged(const Architecture& a) const {
    return static_cast<double>(HashCombine(7, space_->ToIndex(a)) % 10000) /
           100;
  }

  // Runs and returns the oracle's queries; fills *trace.
  std::vector<Architecture> Run(const SimulatedAnnealingParams& params,
                                int64_t budget, uint64_t seed,
                                std::vector<AnnealingStep>* trace = nullptr) {
    FunctionOracle oracle(
        *space_, [&](const Architecture& a) { return Rugged(a); }, budget);
    Rng rng(seed);
    auto sa = SimulatedAnnealing::New(params);
    EXPECT_TRUE(sa.ok()) << sa.status();
    (*sa)->set_trace(trace);
    EXPECT_TRUE((*sa)->Run(oracle, rng).ok());
    return oracle.queries();
  }

  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
};

TEST_F(SimulatedAnnealingTest,
       NearZeroTemperatureAcceptsOnlyWhatDoesNotWorsen) {
  SimulatedAnnealingParams params;
  params.set_initial_temperature(1e-12);
  std::vector<AnnealingStep> trace;
  Run(params, 1000, 4, &trace);
  ASSERT_GT(trace.size(), 500u);
  int rejected = 0;
  for (const AnnealingStep& s : trace) {
    // Values differ by at least 0.01, so exp(-delta / T) underflows to 0.
    ASSERT_EQ(s.accepted, s.proposal_error <= s.current_error);
    rejected += !s.accepted;
  }
  EXPECT_GT(rejected, 100);  // The rule was exercised both ways.
}

TEST_F(SimulatedAnnealingTest, HugeTemperatureAcceptsEverything) {
  SimulatedAnnealingParams params;
  params.set_initial_temperature(1e12);
  std::vector<AnnealingStep> trace;
  Run(params, 1000, 5, &trace);
  ASSERT_GT(trace.size(), 500u);
  int worse = 0;
  for (const AnnealingStep& s : trace) {
    ASSERT_TRUE(s.accepted);
    worse += s.proposal_error > s.current_error;
  }
  EXPECT_GT(worse, 200);  // Many of the accepted moves were uphill.
}

TEST_F(SimulatedAnnealingTest,
       UphillAcceptanceMatchesTheMetropolisProbability) {
  // A slow schedule at a moderate temperature: over the uphill proposals,
  // the number accepted is a sum of Bernoulli(exp(-delta / T)) draws.
  SimulatedAnnealingParams params;
  params.set_initial_temperature(20);
  params.set_cooling_rate(0.999);
  params.set_final_temperature_fraction(0.5);
  std::vector<AnnealingStep> trace;
  Run(params, 5000, 6, &trace);
  double expected = 0, variance = 0;
  int accepted = 0, uphill = 0;
  for (const AnnealingStep& s : trace) {
    const double delta = s.proposal_error - s.current_error;
    if (delta <= 0) {
      ASSERT_TRUE(s.accepted);
      continue;
    }
    const double p = std::exp(-delta / s.temperature);
    expected += p;
    variance += p * (1 - p);
    accepted += s.accepted;
    ++uphill;
  }
  ASSERT_GT(uphill, 1000);
  EXPECT_NEAR(accepted, expected, 4 * std::sqrt(variance));
}

TEST_F(SimulatedAnnealingTest,
       RelativeTemperatureIsTheSpreadOfTheFirstSamples) {
  SimulatedAnnealingParams params;  // num_init 10, relative 1, rate 0.95.
  params.set_relative_initial_temperature(2);
  std::vector<AnnealingStep> trace;
  const auto queries = Run(params, 300, 7, &trace);
  double mean = 0;
  for (int i = 0; i < 10; ++i) mean += Rugged(queries[i]);
  mean /= 10;
  double sum_sq = 0;
  for (int i = 0; i < 10; ++i) sum_sq += std::pow(Rugged(queries[i]) - mean, 2);
  const double t0 = 2 * std::sqrt(sum_sq / 9);
  ASSERT_GT(trace.size(), 90u);
  // Geometric cooling over the 90 proposals of a run, then reheating.
  for (int k = 0; k < 90; ++k) {
    EXPECT_NEAR(trace[k].temperature, t0 * std::pow(0.95, k), 1e-9 * t0) << k;
  }
  EXPECT_NEAR(trace[90].temperature, t0, 1e-12 * t0);
  // The first run starts from the best initial sample.
  double best = Rugged(queries[0]);
  for (int i = 1; i < 10; ++i) best = std::min(best, Rugged(queries[i]));
  EXPECT_EQ(trace[0].current_error, best);
}

TEST_F(SimulatedAnnealingTest, CachedProposalsCostNoQuery) {
  std::vector<AnnealingStep> trace;
  const auto queries = Run({}, 3000, 8, &trace);
  ASSERT_EQ(queries.size(), 3000u);
  absl::flat_hash_set<Architecture> distinct(queries.begin(), queries.end());
  EXPECT_EQ(distinct.size(), queries.size());
  int free_proposals = 0;
  absl::flat_hash_set<Architecture> seen(queries.begin(), queries.end());
  for (const AnnealingStep& s : trace) {
    EXPECT_TRUE(seen.contains(s.proposal));
    free_proposals += !s.queried;
  }
  EXPECT_GT(free_proposals, 100);
  // Every proposal is a neighbour of the current architecture.
  for (const AnnealingStep& s : trace) {
    int d = 0;
    for (int e = 0; e < 6; ++e) d += s.current[e] != s.proposal[e];
    ASSERT_EQ(d, 1);
  }
}

TEST_F(SimulatedAnnealingTest, StopsWhenTheSpaceIsExhausted) {
  EXPECT_EQ(Run({}, 20000, 9).size(), 15625u);
  TinySpace tiny(2, 3);
  FunctionOracle oracle(
      tiny, [](const Architecture& a) { return double(a[1]); }, 1000);
  Rng rng(10);
  auto sa = SimulatedAnnealing::New({});
  ASSERT_TRUE((*sa)->Run(oracle, rng).ok());
  EXPECT_EQ(oracle.queries().size(), 9u);
}

TEST_F(SimulatedAnnealingTest, BudgetOfOneAndDeterminism) {
  EXPECT_EQ(Run({}, 1, 11).size(), 1u);
  EXPECT_EQ(Run({}, 300, 12), Run({}, 300, 12));
  EXPECT_NE(Run({}, 300, 12), Run({}, 300, 13));
}

TEST(SimulatedAnnealingParamsTest, ProposalsPerRun) {
  auto sa = SimulatedAnnealing::New({});
  EXPECT_EQ((*sa)->proposals_per_run(), 90);  // 0.95^90 = 0.0099 < 0.01.
}

TEST(SimulatedAnnealingParamsTest, RejectsBadParameters) {
  struct Case {
    const char* field;
    std::function<void(SimulatedAnnealingParams*)> set;
  };
  const std::vector<Case> cases = {
      {"num_init", [](auto* p) { p->set_num_init(0); }},
      {"initial_temperature", [](auto* p) { p->set_initial_temperature(-1); }},
      {"initial_temperature",
       [](auto* p) { p->set_initial_temperature(INFINITY); }},
      {"relative_initial_temperature",
       [](auto* p) { p->set_relative_initial_temperature(0); }},
      {"cooling_rate", [](auto* p) { p->set_cooling_rate(1); }},
      {"cooling_rate", [](auto* p) { p->set_cooling_rate(0); }},
      {"final_temperature_fraction",
       [](auto* p) { p->set_final_temperature_fraction(1.5); }},
  };
  for (const Case& c : cases) {
    SimulatedAnnealingParams params;
    c.set(&params);
    auto sa = SimulatedAnnealing::New(params);
    ASSERT_FALSE(sa.ok()) << c.field;
    EXPECT_NE(sa.status().message().find(c.field), std::string::npos);
  }
}

}  // namespace
}  // namespace nas
