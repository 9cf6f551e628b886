#include "core/architecture.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace nas {
namespace {

// FromPackedGenes builds with block stores instead of gene by gene; what it
// builds must be the same value as the gene-by-gene constructor's.
TEST(ArchitectureTest, FromPackedGenesEqualsTheGeneByGeneArchitecture) {
  const uint64_t packed = 0x0807060504030201;
  for (int size = 0; size <= 8; ++size) {
    std::vector<uint8_t> genes;
    for (int g = 0; g < size; ++g) genes.push_back(static_cast<uint8_t>(g + 1));
    const Architecture expected{absl::Span<const uint8_t>(genes)};
    const Architecture built = Architecture::FromPackedGenes(packed, size);
    EXPECT_EQ(built, expected) << "size " << size;
    EXPECT_EQ(built.size(), size);
    // Bytes past the size are ignored, so the storage past it is zero, as
    // equality, hashing and the space's block checks assume.
    for (int g = size; g < Architecture::kMaxGenes; ++g) {
      ASSERT_EQ(built.storage()[g], 0) << "size " << size << ", gene " << g;
    }
    EXPECT_EQ(built.GeneHash(), expected.GeneHash());
  }
}

TEST(ArchitectureDeathTest, FromPackedGenesRefusesMoreGenesThanAWordHolds) {
  EXPECT_DEATH(Architecture::FromPackedGenes(0, 9), "9 genes");
  EXPECT_DEATH(Architecture::FromPackedGenes(0, -1), "-1 genes");
}

}  // namespace
}  // namespace nas
