#include "spaces/nasbench_macro/nasbench_macro.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "objectives/common/csv_table.h"
#include "spaces/common/categorical_space_testing.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<NasbenchMacroSpace> Space() {
  return *NasbenchMacroSpace::New();
}

TEST(NasbenchMacroSpaceTest, IsRegisteredWithNoParameters) {
  auto entry = GlobalSearchSpaceRegistry().Find("nasbench_macro");
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ((*entry)->params_prototype, nullptr);
  auto space = (*entry)->factory(nullptr);
  ASSERT_TRUE(space.ok());
  EXPECT_EQ((*space)->Size(), 6561);
  EXPECT_EQ((*space)->gene_cardinalities().size(), 8u);
}

TEST(NasbenchMacroSpaceTest, IndexIsTheStringInBaseThree) {
  auto space = Space();
  auto arch = space->Parse("22212220");
  ASSERT_TRUE(arch.ok()) << arch.status();
  // 2*3^7 + 2*3^6 + 2*3^5 + 1*3^4 + 2*3^3 + 2*3^2 + 2*3 + 0.
  EXPECT_EQ(space->ToIndex(*arch), 4374 + 1458 + 486 + 81 + 54 + 18 + 6);
  EXPECT_EQ(space->ToIndex(*space->Parse("00000000")), 0);
  EXPECT_EQ(space->ToIndex(*space->Parse("00000001")), 1);
  EXPECT_EQ(space->ToIndex(*space->Parse("22222222")), 6560);
  EXPECT_EQ(space->ToString(space->FromIndex(6477)), "22212220");
}

TEST(NasbenchMacroSpaceTest, EveryIndexRoundTripsThroughText) {
  auto space = Space();
  ASSERT_EQ(space->Size(), NasbenchMacroSpace::kNumArchitectures);
  ExpectEveryIndexRoundTripsThroughText(*space);
}

// Row i of the real table is index i: the objective relies on it only
// through Parse, but the space promises the table's order.
TEST(NasbenchMacroSpaceTest, IndexOrderIsTheTablesRowOrder) {
  auto table = CsvTable::Read(
      TestDataDir() + "/nas-bench-macro/nas-bench-macro_cifar10.csv", "");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->num_rows(), 6561);
  auto space = Space();
  for (int row = 0; row < table->num_rows(); ++row) {
    ASSERT_EQ(space->ToString(space->FromIndex(row)), table->Cell(row, 0))
        << table->Where(row);
  }
}

// The README's remark, checked: strings building the same network (identity
// placement within a stage) share their results, 3,969 networks in all.
TEST(NasbenchMacroSpaceTest, RealArchitecturesShareTheirRowsInTheTable) {
  auto space = Space();
  EXPECT_EQ(NasbenchMacroSpace::RealArchitecture(*space->Parse("20100000")),
            "20100000");
  EXPECT_EQ(NasbenchMacroSpace::RealArchitecture(*space->Parse("01201020")),
            "01210020");
  EXPECT_EQ(NasbenchMacroSpace::RealArchitecture(*space->Parse("00000000")),
            "00000000");
  auto table = CsvTable::Read(
      TestDataDir() + "/nas-bench-macro/nas-bench-macro_cifar10.csv", "");
  ASSERT_TRUE(table.ok()) << table.status();
  std::map<std::string, std::string> runs_of_network;
  for (int row = 0; row < table->num_rows(); ++row) {
    auto arch = space->Parse(table->Cell(row, 0));
    ASSERT_TRUE(arch.ok());
    const std::string runs = absl::StrCat(
        table->Cell(row, 1), ",", table->Cell(row, 2), ",", table->Cell(row, 3));
    auto [it, inserted] = runs_of_network.emplace(
        NasbenchMacroSpace::RealArchitecture(*arch), runs);
    if (!inserted) {
      ASSERT_EQ(it->second, runs) << table->Where(row);
    }
  }
  EXPECT_EQ(runs_of_network.size(), 3969u);
}

TEST(NasbenchMacroSpaceTest, SixteenNeighboursInFixedOrder) {
  auto space = Space();
  std::vector<Architecture> neighbors;
  space->Neighbors(*space->Parse("00000000"), &neighbors);
  ASSERT_EQ(neighbors.size(), 16u);
  EXPECT_EQ(space->ToString(neighbors[0]), "10000000");
  EXPECT_EQ(space->ToString(neighbors[1]), "20000000");
  EXPECT_EQ(space->ToString(neighbors[15]), "00000002");
  space->Neighbors(*space->Parse("12012012"), &neighbors);
  ASSERT_EQ(neighbors.size(), 16u);
  EXPECT_EQ(space->ToString(neighbors[0]), "02012012");
  EXPECT_EQ(space->ToString(neighbors[1]), "22012012");
  std::set<std::string> distinct;
  for (const Architecture& n : neighbors) {
    const std::string text = space->ToString(n);
    int differing = 0;
    for (int l = 0; l < 8; ++l) differing += text[l] != "12012012"[l];
    EXPECT_EQ(differing, 1) << text;
    distinct.insert(text);
  }
  EXPECT_EQ(distinct.size(), 16u);
}

TEST(NasbenchMacroSpaceTest, MutateDrawsEveryNeighbourAndNothingElse) {
  auto space = Space();
  ExpectMutateDrawsEveryNeighbourAndNothingElse(
      *space, *space->Parse("12012012"), /*seed=*/17);
}

TEST(NasbenchMacroSpaceTest, SamplingIsUniformPerLayer) {
  // Each count is Binomial(30000, 1/3): sd ~82, so +-500 is > 6 sd.
  ExpectSamplingIsUniformPerGene(*Space(), /*seed=*/5, /*draws=*/30000,
                                 /*tolerance=*/500);
}

TEST(NasbenchMacroSpaceTest, BadTextNamesTheProblem) {
  auto space = Space();
  EXPECT_THAT(std::string(space->Parse("2221222").status().message()),
              HasSubstr("has 7 characters"));
  EXPECT_THAT(std::string(space->Parse("222122203").status().message()),
              HasSubstr("has 9 characters"));
  EXPECT_THAT(std::string(space->Parse("22212230").status().message()),
              HasSubstr("character 6 (layer 6) is not 0, 1 or 2"));
  EXPECT_THAT(std::string(space->Parse("2221222x").status().message()),
              HasSubstr("e.g. 22212220"));
}

TEST(NasbenchMacroSpaceTest, ValidateRejectsWrongShapes) {
  auto space = Space();
  EXPECT_THAT(std::string(space->Validate(Architecture(6)).message()),
              HasSubstr("has 8 genes"));
  Architecture arch(8);
  arch[3] = 3;
  EXPECT_THAT(std::string(space->Validate(arch).message()),
              HasSubstr("gene 3 (layer 3) is block 3"));
}

}  // namespace
}  // namespace nas
