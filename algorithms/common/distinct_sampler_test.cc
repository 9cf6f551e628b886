#include "algorithms/common/distinct_sampler.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

TEST(DistinctSamplerTest, DrawsEveryArchitectureExactlyOnceThenStops) {
  auto space = *Nasbench201Space::New();
  DistinctSampler sampler(*space);
  Rng rng(1);
  absl::flat_hash_set<int64_t> drawn;
  while (auto arch = sampler.Next(rng)) {
    ASSERT_TRUE(drawn.insert(space->ToIndex(*arch)).second);
  }
  EXPECT_EQ(drawn.size(), 15625u);
  EXPECT_FALSE(sampler.Next(rng).has_value());
}

TEST(DistinctSamplerTest, NeverReturnsMarkedArchitectures) {
  auto space = *Nasbench201Space::New();
  DistinctSampler sampler(*space);
  for (int i = 0; i < 15625; i += 2) sampler.MarkSeen(space->FromIndex(i));
  Rng rng(2);
  int count = 0;
  while (auto arch = sampler.Next(rng)) {
    ASSERT_EQ(space->ToIndex(*arch) % 2, 1);
    ++count;
  }
  EXPECT_EQ(count, 7812);
}

TEST(DistinctSamplerTest, MarkSeenSaysWhetherTheArchitectureWasNew) {
  auto space = *Nasbench201Space::New();
  DistinctSampler sampler(*space);
  const Architecture arch = space->FromIndex(42);
  EXPECT_TRUE(sampler.MarkSeen(arch));
  EXPECT_FALSE(sampler.MarkSeen(arch));
  EXPECT_TRUE(sampler.Seen(arch));
  Rng rng(4);
  const Architecture drawn = *sampler.Next(rng);
  EXPECT_FALSE(sampler.MarkSeen(drawn));  // Drawn counts as seen.
  // An invalid architecture is never seen, so marking it is always "new".
  const Architecture invalid({9, 9, 9, 9, 9, 9});
  EXPECT_TRUE(sampler.MarkSeen(invalid));
  EXPECT_TRUE(sampler.MarkSeen(invalid));
  EXPECT_EQ(sampler.num_seen(), 2);
}

TEST(DistinctSamplerTest, InvalidArchitecturesMarkedSeenTouchNoValidOne) {
  // An algorithm may mark an architecture the oracle will refuse. On the
  // bitmap (an indexable space) it is ignored: its ToIndex can fall outside
  // the space (ASan caught a write past the bitmap in
  // conformance_broken_test) or onto a valid architecture's index.
  auto space = *Nasbench201Space::New();
  DistinctSampler sampler(*space);
  const Architecture too_big_gene({9, 9, 9, 9, 9, 9});
  const Architecture too_few_genes({1, 2, 3});
  ASSERT_FALSE(space->Validate(too_big_gene).ok());
  ASSERT_FALSE(space->Validate(too_few_genes).ok());
  sampler.MarkSeen(too_big_gene);
  sampler.MarkSeen(too_few_genes);
  EXPECT_FALSE(sampler.Seen(too_big_gene));
  EXPECT_FALSE(sampler.Seen(too_few_genes));
  EXPECT_EQ(sampler.num_seen(), 0);
  Rng rng(3);
  int drawn = 0;
  while (sampler.Next(rng)) ++drawn;
  EXPECT_EQ(drawn, 15625);  // Every valid architecture is still drawn.
}

TEST(DistinctSamplerTest, FirstDrawIsUniform) {
  // Over many fresh samplers, the first draw's index is uniform: check the
  // mean index and the spread across 5 equal bins.
  auto space = *Nasbench201Space::New();
  Rng rng(3);
  int bins[5] = {};
  const int kTrials = 50000;
  for (int t = 0; t < kTrials; ++t) {
    DistinctSampler sampler(*space);
    ++bins[space->ToIndex(*sampler.Next(rng)) / 3125];
  }
  for (int b : bins) EXPECT_NEAR(b, kTrials / 5, 450);  // ~5 sigma.
}

}  // namespace
}  // namespace nas
