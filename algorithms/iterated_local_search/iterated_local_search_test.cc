#include "algorithms/iterated_local_search/iterated_local_search.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/testing.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

int Hamming(const Architecture& a, const Architecture& b) {
  int d = 0;
  for (int i = 0; i < a.size(); ++i) d += a[i] != b[i];
  return d;
}

class IteratedLocalSearchTest : public ::testing::Test {
 protected:
  std::vector<Architecture> Run(const IteratedLocalSearchParams& params,
                                std::function<double(const Architecture&)> f,
                                int64_t budget, uint64_t seed,
                                std::vector<IlsEvent>* trace = nullptr) {
    FunctionOracle oracle(*space_, std::move(f), budget);
    Rng rng(seed);
    auto ils = IteratedLocalSearch::New(params);
    EXPECT_TRUE(ils.ok()) << ils.status();
    (*ils)->set_trace(trace);
    EXPECT_TRUE((*ils)->Run(oracle, rng).ok());
    return oracle.queries();
  }

  double Rugged(const Architecture& a) const {
    return static_cast<double>(HashCombine(7, space_->ToIndex(a)) % 100000);
  }
  double Distance(const Architecture& a) const { return Hamming(target_, a); }

  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
  const Architecture target_ = Architecture({3, 3, 1, 0, 3, 2});
};

TEST_F(IteratedLocalSearchTest, ClimbsToTheOptimumOfOneBasin) {
  IteratedLocalSearchParams params;
  params.set_num_init(1);
  std::vector<IlsEvent> trace;
  const auto queries = Run(
      params, [&](const Architecture& a) { return Distance(a); }, 400, 1,
      &trace);
  // Every best-improvement step lowers the distance by one: at most 6
  // steps of at most 24 neighbours each, plus the start.
  ASSERT_GE(trace.size(), 3u);
  EXPECT_EQ(trace[0].kind, IlsEvent::kClimbStart);
  EXPECT_EQ(trace[1].kind, IlsEvent::kLocalMinimum);
  EXPECT_EQ(trace[1].arch, target_);
  const auto hit = std::find(queries.begin(), queries.end(), target_);
  ASSERT_NE(hit, queries.end());
  EXPECT_LE(hit - queries.begin(), 6 * 24);
}

TEST_F(IteratedLocalSearchTest, PerturbsTheLocalMinimumByTwoMutations) {
  IteratedLocalSearchParams params;  // 2 steps, BETTER.
  params.set_num_init(1);
  std::vector<IlsEvent> trace;
  const auto queries = Run(
      params, [&](const Architecture& a) { return Distance(a); }, 1000, 2,
      &trace);
  // The query after the optimum's whole neighbourhood has been seen is the
  // first perturbed start: two mutations from the optimum, and not one (the
  // distance-1 cells are all queried, so those draws are redrawn).
  std::vector<Architecture> neighbors;
  space_->Neighbors(target_, &neighbors);
  absl::flat_hash_set<Architecture> pending(neighbors.begin(), neighbors.end());
  pending.insert(target_);
  size_t i = 0;
  for (; i < queries.size() && !pending.empty(); ++i) pending.erase(queries[i]);
  ASSERT_TRUE(pending.empty());
  ASSERT_LT(i, queries.size());
  EXPECT_EQ(Hamming(queries[i], target_), 2);

  // Every later climb starts two mutations from the accepted minimum, which
  // stays the optimum: nothing beats it.
  int perturbed = 0;
  Architecture accepted;
  for (const IlsEvent& e : trace) {
    if (e.kind == IlsEvent::kAccepted) accepted = e.arch;
    if (e.kind == IlsEvent::kClimbStart && e.perturbed) {
      ++perturbed;
      EXPECT_EQ(e.perturbed_from, accepted);
      EXPECT_EQ(e.perturbed_from, target_);
      EXPECT_EQ(Hamming(e.arch, target_), 2);
    }
  }
  EXPECT_GT(perturbed, 20);
}

TEST_F(IteratedLocalSearchTest,
       MinimaAreTrueLocalMinimaAndBetterAcceptanceIsMonotone) {
  std::vector<IlsEvent> trace;
  auto f = [&](const Architecture& a) { return Rugged(a); };
  Run({}, f, 3000, 3, &trace);
  std::vector<Architecture> neighbors;
  int minima = 0;
  double last_accepted = 1e300;
  Architecture accepted;
  for (const IlsEvent& e : trace) {
    if (e.kind == IlsEvent::kLocalMinimum) {
      ++minima;
      space_->Neighbors(e.arch, &neighbors);
      for (const Architecture& n : neighbors) ASSERT_GE(f(n), e.valid_error);
    }
    if (e.kind == IlsEvent::kAccepted) {
      EXPECT_LT(e.valid_error, last_accepted);
      last_accepted = e.valid_error;
      accepted = e.arch;
    }
    if (e.kind == IlsEvent::kClimbStart && e.perturbed) {
      EXPECT_EQ(e.perturbed_from, accepted);
      EXPECT_LE(Hamming(e.arch, accepted), 2);
    }
  }
  EXPECT_GT(minima, 20);
}

TEST_F(IteratedLocalSearchTest, AlwaysAcceptanceFollowsEveryNewMinimum) {
  IteratedLocalSearchParams params;
  params.set_acceptance(IteratedLocalSearchParams::ALWAYS);
  std::vector<IlsEvent> trace;
  Run(
      params, [&](const Architecture& a) { return Rugged(a); }, 3000, 4,
      &trace);
  int worse_accepted = 0;
  double previous = 1e300;
  for (size_t i = 0; i + 1 < trace.size(); ++i) {
    if (trace[i].kind != IlsEvent::kLocalMinimum) continue;
    ASSERT_EQ(trace[i + 1].kind, IlsEvent::kAccepted);
    ASSERT_EQ(trace[i + 1].arch, trace[i].arch);
    worse_accepted += trace[i].valid_error > previous;
    previous = trace[i].valid_error;
  }
  EXPECT_GT(worse_accepted, 0);
}

TEST_F(IteratedLocalSearchTest, NeverQueriesTwiceAndStopsWhenExhausted) {
  auto f = [&](const Architecture& a) { return Rugged(a); };
  const auto queries = Run({}, f, 3000, 5);
  ASSERT_EQ(queries.size(), 3000u);
  absl::flat_hash_set<Architecture> distinct(queries.begin(), queries.end());
  EXPECT_EQ(distinct.size(), queries.size());
  EXPECT_EQ(Run({}, f, 20000, 6).size(), 15625u);

  TinySpace tiny(2, 3);
  FunctionOracle oracle(
      tiny, [](const Architecture& a) { return double(a[0]); }, 1000);
  Rng rng(7);
  auto ils = IteratedLocalSearch::New({});
  ASSERT_TRUE((*ils)->Run(oracle, rng).ok());
  EXPECT_EQ(oracle.queries().size(), 9u);
}

TEST_F(IteratedLocalSearchTest, BudgetOfOneAndDeterminism) {
  auto f = [&](const Architecture& a) { return Rugged(a); };
  EXPECT_EQ(Run({}, f, 1, 8).size(), 1u);
  EXPECT_EQ(Run({}, f, 300, 9), Run({}, f, 300, 9));
  EXPECT_NE(Run({}, f, 300, 9), Run({}, f, 300, 10));
}

TEST(IteratedLocalSearchParamsTest, RejectsBadParameters) {
  for (const char* field :
       {"num_init", "perturbation_steps", "max_perturbation_attempts"}) {
    IteratedLocalSearchParams params;
    const auto* descriptor = params.GetDescriptor()->FindFieldByName(field);
    ASSERT_NE(descriptor, nullptr);
    params.GetReflection()->SetInt32(&params, descriptor, 0);
    auto ils = IteratedLocalSearch::New(params);
    ASSERT_FALSE(ils.ok()) << field;
    EXPECT_NE(ils.status().message().find(field), std::string::npos);
  }
}

}  // namespace
}  // namespace nas
