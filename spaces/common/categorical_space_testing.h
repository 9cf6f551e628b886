#ifndef NASBENCH_SPACES_COMMON_CATEGORICAL_SPACE_TESTING_H_
#define NASBENCH_SPACES_COMMON_CATEGORICAL_SPACE_TESTING_H_

// Checks every categorical space's tests make of their own plugin (what
// CategoricalSpace promises, on the real space and its text form).

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/random.h"
#include "gtest/gtest.h"
#include "spaces/search_space.h"

namespace nas {

// Every index is a valid architecture whose text parses back to it, and the
// texts are distinct.
inline void ExpectEveryIndexRoundTripsThroughText(const SearchSpace& space) {
  std::set<std::string> texts;
  const int64_t size = static_cast<int64_t>(space.Size());
  for (int64_t i = 0; i < size; ++i) {
    const Architecture arch = space.FromIndex(i);
    ASSERT_TRUE(space.Validate(arch).ok());
    const std::string text = space.ToString(arch);
    auto parsed = space.Parse(text);
    ASSERT_TRUE(parsed.ok()) << text;
    ASSERT_EQ(space.ToIndex(*parsed), i);
    texts.insert(text);
  }
  EXPECT_EQ(static_cast<int64_t>(texts.size()), size);
}

// 2,000 mutations of `arch` (from `seed`) give every neighbour of `arch`
// and nothing else.
inline void ExpectMutateDrawsEveryNeighbourAndNothingElse(
    const SearchSpace& space, const Architecture& arch, uint64_t seed) {
  std::vector<Architecture> neighbors;
  space.Neighbors(arch, &neighbors);
  std::set<Architecture> expected(neighbors.begin(), neighbors.end()), seen;
  Rng rng(seed);
  for (int i = 0; i < 2000; ++i) {
    const Architecture mutated = space.Mutate(arch, rng);
    ASSERT_TRUE(expected.count(mutated)) << space.ToString(mutated);
    seen.insert(mutated);
  }
  EXPECT_EQ(seen, expected);
}

// Over `draws` samples (from `seed`) each value of each gene is drawn
// draws / cardinality times, within `tolerance`.
inline void ExpectSamplingIsUniformPerGene(const SearchSpace& space,
                                           uint64_t seed, int draws,
                                           int tolerance) {
  const absl::Span<const int> cardinalities = space.gene_cardinalities();
  std::vector<std::vector<int>> counts;
  for (int c : cardinalities) counts.emplace_back(c, 0);
  Rng rng(seed);
  for (int i = 0; i < draws; ++i) {
    const Architecture arch = space.Sample(rng);
    for (size_t g = 0; g < counts.size(); ++g) ++counts[g][arch[g]];
  }
  for (size_t g = 0; g < counts.size(); ++g) {
    for (int v = 0; v < cardinalities[g]; ++v) {
      EXPECT_NEAR(counts[g][v], draws / cardinalities[g], tolerance)
          << "gene " << g << " value " << v;
    }
  }
}

}  // namespace nas

#endif  // NASBENCH_SPACES_COMMON_CATEGORICAL_SPACE_TESTING_H_
