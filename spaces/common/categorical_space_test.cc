#include "spaces/common/categorical_space.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

// Three genes of 2, 3 and 4 values: 24 architectures.
class SmallSpace : public CategoricalSpace {
 public:
  SmallSpace() : CategoricalSpace({2, 3, 4}) {}
  std::string name() const override { return "small"; }
  std::string ToString(const Architecture& a) const override {
    return absl::StrCat(a[0], a[1], a[2]);
  }
  absl::StatusOr<Architecture> Parse(absl::string_view) const override {
    return absl::UnimplementedError("not needed here");
  }

 protected:
  std::string ArchitectureNoun() const override { return "a small cell"; }
  std::string GeneDescription(int gene) const override {
    return gene < 0 ? "slot" : absl::StrCat("slot ", gene);
  }
  std::string ValueNoun() const override { return "choice"; }
};

TEST(CategoricalSpaceTest, IndexIsABijectionInMixedRadixOrder) {
  SmallSpace space;
  EXPECT_EQ(space.Size(), 24);
  for (int64_t i = 0; i < 24; ++i) {
    const Architecture a = space.FromIndex(i);
    ASSERT_TRUE(space.Validate(a).ok());
    EXPECT_EQ(space.ToIndex(a), i);
    EXPECT_EQ(space.Hash(a), static_cast<uint64_t>(i));
  }
  EXPECT_EQ(space.FromIndex(1), Architecture({0, 0, 1}));  // Last gene fastest.
  EXPECT_EQ(space.FromIndex(4), Architecture({0, 1, 0}));
}

TEST(CategoricalSpaceTest, NeighboursDifferInExactlyOneGene) {
  SmallSpace space;
  std::vector<Architecture> neighbors;
  space.Neighbors(Architecture({1, 2, 3}), &neighbors);
  ASSERT_EQ(neighbors.size(), 1u + 2u + 3u);
  EXPECT_EQ(neighbors.front(), Architecture({0, 2, 3}));  // Gene 0 first.
  EXPECT_EQ(neighbors.back(), Architecture({1, 2, 2}));
  std::set<int64_t> distinct;
  for (const Architecture& n : neighbors) distinct.insert(space.ToIndex(n));
  EXPECT_EQ(distinct.size(), neighbors.size());
}

// Local search reuses one buffer for every neighbourhood; a caller may also
// ask for the neighbours of an element of that very buffer.
TEST(CategoricalSpaceTest, NeighboursOverwriteTheBufferAndMayComeFromIt) {
  SmallSpace space;
  std::vector<Architecture> expected;
  space.Neighbors(Architecture({1, 2, 3}), &expected);
  std::vector<Architecture> reused(100, Architecture({1, 1, 1}));
  space.Neighbors(Architecture({1, 2, 3}), &reused);
  EXPECT_EQ(reused, expected);
  std::vector<Architecture> small;
  space.Neighbors(Architecture({1, 2, 3}), &small);
  EXPECT_EQ(small, expected);

  const Architecture source = reused[4];
  std::vector<Architecture> from_copy;
  space.Neighbors(source, &from_copy);
  space.Neighbors(reused[4], &reused);
  EXPECT_EQ(reused, from_copy);
}

TEST(CategoricalSpaceTest, MutationIsAlwaysANeighbourAndReachesAll) {
  SmallSpace space;
  const Architecture start({1, 2, 3});
  std::vector<Architecture> neighbors;
  space.Neighbors(start, &neighbors);
  std::set<int64_t> reached;
  Rng rng(7);
  for (int i = 0; i < 2000; ++i) {
    const Architecture m = space.Mutate(start, rng);
    EXPECT_NE(std::find(neighbors.begin(), neighbors.end(), m),
              neighbors.end());
    reached.insert(space.ToIndex(m));
  }
  EXPECT_EQ(reached.size(), neighbors.size());
}

TEST(CategoricalSpaceTest, SamplingCoversTheSpace) {
  SmallSpace space;
  Rng rng(3);
  std::set<int64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(space.ToIndex(space.Sample(rng)));
  EXPECT_EQ(seen.size(), 24u);
}

TEST(CategoricalSpaceTest, ValidateNamesTheGeneAndItsRange) {
  SmallSpace space;
  EXPECT_THAT(std::string(space.Validate(Architecture({0, 3, 0})).message()),
              HasSubstr("gene 1 (slot 1) is choice 3; choices are numbered "
                        "0..2"));
  EXPECT_THAT(std::string(space.Validate(Architecture({0, 0})).message()),
              HasSubstr("a small cell has 3 genes (one choice per slot), got "
                        "2"));
}

TEST(CategoricalSpaceTest, CheapChecksAgreeWithValidate) {
  SmallSpace space;
  EXPECT_FALSE(space.HasSymmetries());
  for (const Architecture& arch :
       {Architecture({0, 0, 0}), Architecture({1, 2, 3}),
        Architecture({2, 0, 0}), Architecture({0, 3, 0}),
        Architecture({0, 0, 255}), Architecture({0, 0}),
        Architecture({0, 0, 0, 0}), Architecture()}) {
    EXPECT_EQ(space.IsValid(arch), space.Validate(arch).ok())
        << arch.DebugString();
    if (space.IsValid(arch)) EXPECT_EQ(space.Canonicalize(arch), arch);
  }
}

}  // namespace
}  // namespace nas
