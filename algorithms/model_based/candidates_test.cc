#include "algorithms/model_based/candidates.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "spaces/encodings/encodings.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

class CandidatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Rng rng(1);
    for (int i = 0; i < 60; ++i) {
      const Architecture arch = space_->Sample(rng);
      if (queried_.insert(arch).second) {
        // Distinct errors; lower for later queries, so the best are the
        // last ones (not simply the first).
        history_.push_back({arch, 100.0 - i, i});
      }
    }
  }

  std::vector<Architecture> Generate(const CandidateOptions& options,
                                     uint64_t seed) {
    Rng rng(seed);
    return GenerateCandidates(
        *space_, history_,
        [&](const Architecture& a) { return queried_.contains(a); }, options,
        rng);
  }

  // Position (0 = best) of the best-ranked history entry within
  // `max_distance` edits of `arch`, or -1.
  int ClosestParentRank(const Architecture& arch, int max_distance) {
    const std::vector<int> ranked = RankByError(history_);
    for (int r = 0; r < static_cast<int>(ranked.size()); ++r) {
      if (GeneEditDistance(history_[ranked[r]].arch, arch) <= max_distance) {
        return r;
      }
    }
    return -1;
  }

  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
  std::vector<Evaluated> history_;
  absl::flat_hash_set<Architecture> queried_;
};

TEST_F(CandidatesTest, RankByErrorThenQueryOrder) {
  std::vector<Evaluated> h = {{Architecture({0, 0, 0, 0, 0, 1}), 5, 0},
                              {Architecture({0, 0, 0, 0, 0, 2}), 3, 1},
                              {Architecture({0, 0, 0, 0, 0, 3}), 5, 2},
                              {Architecture({0, 0, 0, 0, 0, 4}), 1, 3}};
  EXPECT_EQ(RankByError(h), std::vector<int>({3, 1, 0, 2}));
}

TEST_F(CandidatesTest, MutationsOfTheBestNeverQueriedNeverRepeated) {
  CandidateOptions options;  // 100 candidates, 10 parents, one step each.
  const std::vector<Architecture> candidates = Generate(options, 2);
  ASSERT_EQ(candidates.size(), 100u);
  absl::flat_hash_set<Architecture> distinct;
  int from_top_ten = 0;
  for (const Architecture& c : candidates) {
    EXPECT_TRUE(distinct.insert(c).second);
    EXPECT_FALSE(queried_.contains(c));
    const int rank = ClosestParentRank(c, 1);
    ASSERT_GE(rank, 0) << "not a mutation of any queried architecture";
    EXPECT_LT(rank, 5 * options.num_parents);
    from_top_ten += rank < options.num_parents;
  }
  // 10 mutations of each of the 10 best: 10 uniform draws from 24
  // neighbours give 24 (1 - (23/24)^10) = 8.3 distinct ones on average, so
  // ~83 come from the top ten and the next parents fill the rest. (Random
  // architectures would almost never be neighbours of the top ten.)
  EXPECT_GE(from_top_ten, 75);
  EXPECT_LE(from_top_ten, 95);
  // The first candidates mutate the best architecture.
  EXPECT_EQ(ClosestParentRank(candidates[0], 1), 0);
}

TEST_F(CandidatesTest, SkipsQueriedNeighboursOfTheBest) {
  const Architecture& best = history_[RankByError(history_)[0]].arch;
  std::vector<Architecture> neighbors;
  space_->Neighbors(best, &neighbors);
  for (const Architecture& n : neighbors) queried_.insert(n);
  CandidateOptions options;
  options.num_candidates = 20;
  options.num_parents = 2;
  for (const Architecture& c : Generate(options, 3)) {
    EXPECT_FALSE(queried_.contains(c));
    EXPECT_NE(GeneEditDistance(c, best), 1);
  }
}

TEST_F(CandidatesTest, SeveralMutationStepsAndRandomCandidates) {
  CandidateOptions options;
  options.max_mutation_steps = 3;
  options.num_random = 50;
  const std::vector<Architecture> candidates = Generate(options, 4);
  ASSERT_GE(candidates.size(), 140u);
  int far = 0;
  for (size_t i = 0; i < 100; ++i) {
    const int rank = ClosestParentRank(candidates[i], 3);
    ASSERT_GE(rank, 0);
    far += ClosestParentRank(candidates[i], 1) != rank;
  }
  EXPECT_GT(far, 10);  // Some are 2 or 3 edits from their parent.
  // Random candidates are mostly far from every parent.
  int unrelated = 0;
  for (size_t i = 100; i < candidates.size(); ++i) {
    unrelated += ClosestParentRank(candidates[i], 1) < 0;
  }
  EXPECT_GT(unrelated, 20);
}

TEST_F(CandidatesTest, DeterministicForASeed) {
  CandidateOptions options;
  EXPECT_EQ(Generate(options, 5), Generate(options, 5));
  EXPECT_NE(Generate(options, 5), Generate(options, 6));
}

}  // namespace
}  // namespace nas
