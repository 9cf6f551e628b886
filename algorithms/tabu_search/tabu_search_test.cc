#include "algorithms/tabu_search/tabu_search.h"

#include <functional>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/testing.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

int Distance(const Architecture& a, const Architecture& b) {
  int d = 0;
  for (int e = 0; e < a.size(); ++e) d += a[e] != b[e];
  return d;
}

class TabuSearchTest : public ::testing::Test {
 protected:
  // Runs tabu search on `f` over NAS-Bench-201 and returns its queries.
  std::vector<Architecture> Run(const TabuSearchParams& params,
                                std::function<double(const Architecture&)> f,
                                int64_t budget, uint64_t seed,
                                std::vector<TabuStep>* trace = nullptr) {
    FunctionOracle oracle(*space_, std::move(f), budget);
    Rng rng(seed);
    auto tabu = TabuSearch::New(params);
    EXPECT_TRUE(tabu.ok()) << tabu.status();
    (*tabu)->set_trace(trace);
    EXPECT_TRUE((*tabu)->Run(oracle, rng).ok());
    return oracle.queries();
  }

  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
  const Architecture target_ = Architecture({3, 3, 1, 0, 3, 2});
};

TEST(TabuListTest, ForbidsUndoingAMoveForTenureIterations) {
  TabuList tabu(/*tenure=*/2);
  const Architecture a({0, 0, 0, 0, 0, 0});
  const Architecture b({0, 3, 0, 0, 0, 0});  // Gene 1: 0 -> 3.
  tabu.RecordMove(a, b, /*iteration=*/5);
  EXPECT_TRUE(tabu.IsTabu(b, a, 6));
  EXPECT_TRUE(tabu.IsTabu(b, a, 7));
  EXPECT_FALSE(tabu.IsTabu(b, a, 8));  // 5 + tenure 2 has passed.
  // Other values of gene 1, and other genes, stay free.
  EXPECT_FALSE(tabu.IsTabu(b, Architecture({0, 4, 0, 0, 0, 0}), 6));
  EXPECT_FALSE(tabu.IsTabu(b, Architecture({1, 3, 0, 0, 0, 0}), 6));
  // Any move that sets gene 1 back to 0 is tabu, whatever else it changes.
  EXPECT_TRUE(tabu.IsTabu(b, Architecture({2, 0, 0, 0, 0, 0}), 6));
}

TEST(TabuListTest, TenureZeroForbidsNothing) {
  TabuList tabu(/*tenure=*/0);
  const Architecture a({0, 0, 0, 0, 0, 0});
  const Architecture b({0, 3, 0, 0, 0, 0});
  tabu.RecordMove(a, b, 5);
  EXPECT_FALSE(tabu.IsTabu(b, a, 6));
}

TEST(ChooseTabuMoveTest, BestAdmissibleWithAspiration) {
  TabuList tabu(/*tenure=*/3);
  const Architecture came_from({0, 0, 0, 0, 0, 0});
  const Architecture current({0, 3, 0, 0, 0, 0});
  tabu.RecordMove(came_from, current, /*iteration=*/0);
  const std::vector<TabuCandidate> candidates = {
      {Architecture({0, 3, 0, 0, 0, 1}), 7.0, /*query_order=*/4},
      {came_from, 5.0, /*query_order=*/0},  // Tabu: undoes the last move.
      {Architecture({0, 3, 2, 0, 0, 0}), 7.0, /*query_order=*/2},
  };
  // The best (5.0) is tabu and no better than the best so far (5.0): the
  // move goes to the best admissible one, 7.0, the earlier query of the tie.
  EXPECT_EQ(ChooseTabuMove(current, candidates, tabu, 1, 5.0), 2);
  // When the tabu candidate beats the best so far, aspiration allows it.
  EXPECT_EQ(ChooseTabuMove(current, candidates, tabu, 1, 6.0), 1);
  // After the tenure, it is simply the best.
  EXPECT_EQ(ChooseTabuMove(current, candidates, tabu, 4, 5.0), 1);
  // Nothing admissible.
  const std::vector<TabuCandidate> only_tabu = {candidates[1]};
  EXPECT_EQ(ChooseTabuMove(current, only_tabu, tabu, 1, 5.0), -1);
  EXPECT_EQ(ChooseTabuMove(current, {}, tabu, 1, 5.0), -1);
}

TEST_F(TabuSearchTest, DescendsThenMovesUphillWithoutGoingStraightBack) {
  // One basin: the Hamming distance to target_. Each move before the
  // minimum lowers the distance by exactly one (the best neighbour); at the
  // minimum the walk moves to a worse neighbour instead of stopping.
  for (int tenure : {0, 2}) {
    SCOPED_TRACE(tenure);
    TabuSearchParams params;
    params.set_num_init(1);
    params.set_tabu_tenure(tenure);
    params.set_max_stagnation(10);
    std::vector<TabuStep> trace;
    auto f = [&](const Architecture& a) { return Distance(target_, a); };
    Run(params, f, 400, 1, &trace);
    size_t at_min = 0;
    while (at_min < trace.size() && trace[at_min].current != target_) {
      ASSERT_TRUE(trace[at_min].moved);
      EXPECT_EQ(trace[at_min].next_error, trace[at_min].current_error - 1);
      ++at_min;
    }
    ASSERT_LT(at_min + 3, trace.size());
    EXPECT_EQ(trace[at_min].next_error, 1);  // Uphill.
    if (tenure == 0) {
      // Without a tabu list the walk falls straight back.
      EXPECT_EQ(trace[at_min + 1].next, target_);
    } else {
      // Going back restores the gene value it left, tabu for 2 iterations.
      EXPECT_NE(trace[at_min + 1].next, target_);
      EXPECT_NE(trace[at_min + 2].next, target_);
    }
  }
}

TEST_F(TabuSearchTest, CrossesARidgeThatStopsLocalSearch) {
  // A wide basin around `trap` (0.5 + distance to it); the optimum, at
  // distance 2 from the trap, is a neighbour of only the two cells between
  // them (value 1), which are worse than the trap. Local search stops at
  // the trap; tabu search walks up to a cell between them and finds the
  // optimum, from any start, within a few iterations.
  const Architecture trap({0, 0, 0, 0, 0, 0});
  const Architecture optimum({1, 1, 0, 0, 0, 0});
  auto f = [&](const Architecture& a) -> double {
    if (a == optimum) return 0;
    if (Distance(a, trap) == 1 && Distance(a, optimum) == 1) return 1;
    return 0.5 + Distance(a, trap) * 1.0;
  };
  TabuSearchParams params;
  params.set_num_init(1);
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(seed);
    std::vector<TabuStep> trace;
    const auto queries = Run(params, f, 300, seed, &trace);
    int found = -1;
    for (int i = 0; i < static_cast<int>(queries.size()); ++i) {
      if (queries[i] == optimum) {
        found = i;
        break;
      }
    }
    // At most 6 steps down to the trap's neighbourhood, one up, one to the
    // optimum, each querying at most 24 neighbours.
    ASSERT_GE(found, 0);
    EXPECT_LE(found, 1 + 8 * 24);
    // If the walk stood on the trap, it left uphill rather than stopping.
    for (const TabuStep& step : trace) {
      if (step.current == trap && step.moved) {
        EXPECT_GT(step.next_error, step.current_error);
      }
    }
  }
}

TEST_F(TabuSearchTest, RestartsAfterMaxStagnationIterations) {
  // On a flat landscape nothing ever improves, so each walk takes exactly
  // max_stagnation steps, then a new walk starts from a fresh random cell.
  TabuSearchParams params;
  params.set_num_init(1);
  params.set_max_stagnation(3);
  std::vector<TabuStep> trace;
  Run(params, [](const Architecture&) { return 1.0; }, 200, 2, &trace);
  ASSERT_GE(trace.size(), 6u);
  for (int walk = 0; walk < 2; ++walk) {
    const int first = 3 * walk;
    for (int i = first; i < first + 2; ++i) {
      ASSERT_TRUE(trace[i].moved);
      EXPECT_EQ(trace[i + 1].current, trace[i].next) << i;
    }
  }
  EXPECT_NE(trace[3].current, trace[2].next);  // A fresh start.
}

TEST_F(TabuSearchTest, NeverQueriesTheSameArchitectureTwice) {
  auto rugged = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(7, space_->ToIndex(a)) % 1000);
  };
  const auto queries = Run(TabuSearchParams(), rugged, 3000, 3);
  ASSERT_EQ(queries.size(), 3000u);
  absl::flat_hash_set<Architecture> distinct(queries.begin(), queries.end());
  EXPECT_EQ(distinct.size(), queries.size());
}

TEST_F(TabuSearchTest, StopsWhenTheSpaceIsExhausted) {
  auto f = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(9, space_->ToIndex(a)) % 100);
  };
  EXPECT_EQ(Run(TabuSearchParams(), f, 100000, 7).size(), 15625u);
}

TEST_F(TabuSearchTest, SameSeedSameQueries) {
  auto f = [&](const Architecture& a) {
    return static_cast<double>(HashCombine(11, space_->ToIndex(a)) % 1000);
  };
  EXPECT_EQ(Run(TabuSearchParams(), f, 300, 8), Run(TabuSearchParams(), f, 300, 8));
  EXPECT_NE(Run(TabuSearchParams(), f, 300, 8), Run(TabuSearchParams(), f, 300, 9));
}

TEST(TabuSearchParamsTest, RejectsBadParametersNamingTheField) {
  TabuSearchParams params;
  params.set_num_init(0);
  EXPECT_EQ(TabuSearch::New(params).status().message(),
            "tabu_search: num_init is 0; it must be at least 1 (the default "
            "is 10)");
  params = TabuSearchParams();
  params.set_tabu_tenure(-1);
  EXPECT_EQ(TabuSearch::New(params).status().message(),
            "tabu_search: tabu_tenure is -1; it must be at least 0 (0 turns "
            "the tabu list off; the default is 1)");
  params = TabuSearchParams();
  params.set_max_stagnation(0);
  EXPECT_EQ(TabuSearch::New(params).status().message(),
            "tabu_search: max_stagnation is 0; it must be at least 1 (the "
            "default is 10)");
  EXPECT_TRUE(TabuSearch::New(TabuSearchParams()).ok());
}

}  // namespace
}  // namespace nas
