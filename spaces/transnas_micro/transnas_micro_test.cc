#include "spaces/transnas_micro/transnas_micro.h"

#include <set>
#include <string>
#include <vector>

#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "objectives/common/csv_table.h"
#include "spaces/common/categorical_space_testing.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<TransnasMicroSpace> Space() {
  return *TransnasMicroSpace::New();
}

TEST(TransnasMicroSpaceTest, IsRegisteredWithNoParameters) {
  auto entry = GlobalSearchSpaceRegistry().Find("transnas_micro");
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ((*entry)->params_prototype, nullptr);
  auto space = (*entry)->factory(nullptr);
  ASSERT_TRUE(space.ok());
  EXPECT_EQ((*space)->Size(), 4096);
}

TEST(TransnasMicroSpaceTest, ParsesTheBenchmarksStringsEdgeByEdge) {
  auto space = Space();
  auto arch = space->Parse("64-41414-3_13_222");
  ASSERT_TRUE(arch.ok()) << arch.status();
  EXPECT_EQ(*arch, Architecture({3, 1, 3, 2, 2, 2}));
  // 3*4^5 + 1*4^4 + 3*4^3 + 2*4^2 + 2*4 + 2.
  EXPECT_EQ(space->ToIndex(*arch), 3072 + 256 + 192 + 32 + 8 + 2);
  EXPECT_EQ(space->ToString(*arch), "64-41414-3_13_222");
  EXPECT_EQ(space->ToString(space->FromIndex(0)), "64-41414-0_00_000");
  EXPECT_EQ(space->ToString(space->FromIndex(1)), "64-41414-0_00_001");
  EXPECT_EQ(space->ToString(space->FromIndex(4095)), "64-41414-3_33_333");
}

TEST(TransnasMicroSpaceTest, EveryIndexRoundTripsThroughText) {
  auto space = Space();
  ASSERT_EQ(space->Size(), TransnasMicroSpace::kNumArchitectures);
  ExpectEveryIndexRoundTripsThroughText(*space);
}

// Every task's CSV lists the cells in index order, and its op_e* columns
// agree with the genes Parse() reads from arch_str.
TEST(TransnasMicroSpaceTest, IndexOrderAndGenesMatchEveryTasksTable) {
  auto space = Space();
  for (const char* task : {"class_object", "class_scene", "jigsaw",
                           "room_layout", "segmentsemantic", "normal",
                           "autoencoder"}) {
    auto table = CsvTable::Read(TestDataDir() + "/transnas-bench-101-micro/" +
                                    task + ".csv",
                                "");
    ASSERT_TRUE(table.ok()) << table.status();
    ASSERT_EQ(table->num_rows(), 4096) << task;
    auto arch_column = table->Column("arch_str");
    ASSERT_TRUE(arch_column.ok());
    std::vector<int> op_columns;
    for (int e = 0; e < 6; ++e) {
      auto column = table->Column("op_e" + std::to_string(e));
      ASSERT_TRUE(column.ok());
      op_columns.push_back(*column);
    }
    for (int row = 0; row < table->num_rows(); ++row) {
      auto arch = space->Parse(table->Cell(row, *arch_column));
      ASSERT_TRUE(arch.ok()) << table->Where(row) << arch.status();
      ASSERT_EQ(space->ToIndex(*arch), row) << table->Where(row);
      for (int e = 0; e < 6; ++e) {
        ASSERT_EQ(*table->Int(row, op_columns[e]), (*arch)[e])
            << table->Where(row);
      }
    }
  }
}

TEST(TransnasMicroSpaceTest, EighteenNeighboursInFixedOrder) {
  auto space = Space();
  std::vector<Architecture> neighbors;
  space->Neighbors(*space->Parse("64-41414-3_13_222"), &neighbors);
  ASSERT_EQ(neighbors.size(), 18u);
  EXPECT_EQ(space->ToString(neighbors[0]), "64-41414-0_13_222");
  EXPECT_EQ(space->ToString(neighbors[2]), "64-41414-2_13_222");
  EXPECT_EQ(space->ToString(neighbors[3]), "64-41414-3_03_222");
  EXPECT_EQ(space->ToString(neighbors[17]), "64-41414-3_13_223");
  std::set<Architecture> distinct(neighbors.begin(), neighbors.end());
  EXPECT_EQ(distinct.size(), 18u);
}

TEST(TransnasMicroSpaceTest, MutateDrawsEveryNeighbourAndNothingElse) {
  auto space = Space();
  ExpectMutateDrawsEveryNeighbourAndNothingElse(
      *space, *space->Parse("64-41414-0_12_303"), /*seed=*/3);
}

TEST(TransnasMicroSpaceTest, SamplingIsUniformPerEdge) {
  // Binomial(40000, 1/4): sd ~87, so +-500 is > 5 sd.
  ExpectSamplingIsUniformPerGene(*Space(), /*seed=*/9, /*draws=*/40000,
                                 /*tolerance=*/500);
}

TEST(TransnasMicroSpaceTest, BadTextNamesTheProblem) {
  auto space = Space();
  EXPECT_THAT(std::string(space->Parse("64-4111-3_13_222").status().message()),
              HasSubstr("skeleton"));
  EXPECT_THAT(std::string(space->Parse("64-41414-3_13_22").status().message()),
              HasSubstr("has 7 characters, needs 8"));
  EXPECT_THAT(std::string(space->Parse("64-41414-3-13_222").status().message()),
              HasSubstr("expected '_' at character 10"));
  EXPECT_THAT(std::string(space->Parse("64-41414-3_14_222").status().message()),
              HasSubstr("character 12 (edge 2<-1) is not an op 0..3"));
  EXPECT_FALSE(space->Parse("64-41414-3_13_2222").ok());
}

TEST(TransnasMicroSpaceTest, ValidateRejectsWrongShapes) {
  auto space = Space();
  EXPECT_THAT(std::string(space->Validate(Architecture(5)).message()),
              HasSubstr("has 6 genes"));
  EXPECT_THAT(
      std::string(space->Validate(Architecture({0, 0, 0, 4, 0, 0})).message()),
      HasSubstr("gene 3 (edge 3<-0) is op 4"));
}

}  // namespace
}  // namespace nas
