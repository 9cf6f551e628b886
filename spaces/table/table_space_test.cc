#include "spaces/table/table_space.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

TableSpaceParams TwoGenes(bool declare) {
  TableSpaceParams params;
  auto* a = params.add_gene();
  a->set_column("a");
  auto* b = params.add_gene();
  b->set_column("b");
  if (declare) {
    for (const char* v : {"x", "y", "z"}) a->add_value(v);
    for (const char* v : {"0", "1"}) b->add_value(v);
  }
  return params;
}

TEST(TableSpaceTest, UnboundDeclaredSpaceIsTheProduct) {
  auto space = TableSpace::New(TwoGenes(true));
  ASSERT_TRUE(space.ok()) << space.status();
  EXPECT_EQ((*space)->Size(), 6);
  EXPECT_FALSE((*space)->is_bound());
  EXPECT_EQ((*space)->ToString((*space)->FromIndex(3)), "y|1");
  std::vector<Architecture> neighbours;
  (*space)->Neighbors(*(*space)->Parse("y|1"), &neighbours);
  EXPECT_EQ(neighbours.size(), 3u);  // x|1, z|1, y|0.
}

TEST(TableSpaceTest, BoundSpaceIsTheRowsAndNeighboursStayInside) {
  auto space = TableSpace::New(TwoGenes(false));
  ASSERT_TRUE(space.ok());
  TableSpace::Rows rows;
  rows.values = {{"x", "y", "z"}, {"0", "1"}};
  rows.tuples = {Architecture{0, 0}, Architecture{1, 0}, Architecture{2, 1}};
  ASSERT_TRUE((*space)->Bind(rows).ok());
  EXPECT_TRUE((*space)->is_bound());
  EXPECT_EQ((*space)->Size(), 3);
  std::vector<Architecture> neighbours;
  (*space)->Neighbors(Architecture{0, 0}, &neighbours);
  EXPECT_EQ(neighbours, (std::vector<Architecture>{Architecture{1, 0}}));
  (*space)->Neighbors(Architecture{2, 1}, &neighbours);
  EXPECT_TRUE(neighbours.empty());  // z|0 and x|1, y|1 are not rows.
  EXPECT_THAT(std::string((*space)->Validate(Architecture{0, 1}).message()),
              HasSubstr("x|1 is not a row of the table"));
  EXPECT_THAT(std::string((*space)->Parse("x|2").status().message()),
              HasSubstr("gene 1 ('b') has no value '2'"));
  EXPECT_EQ(*(*space)->Parse("z|1"), (Architecture{2, 1}));
  EXPECT_EQ((*space)->ToIndex(Architecture{2, 1}), 2);
  EXPECT_TRUE(absl::IsFailedPrecondition((*space)->Bind(rows)));
}

TEST(TableSpaceTest, BadParametersAreRefused) {
  TableSpaceParams twice = TwoGenes(false);
  twice.mutable_gene(1)->set_column("a");
  EXPECT_THAT(std::string(TableSpace::New(twice).status().message()),
              HasSubstr("listed as two genes"));
  TableSpaceParams bar = TwoGenes(true);
  bar.mutable_gene(0)->add_value("p|q");
  EXPECT_THAT(std::string(TableSpace::New(bar).status().message()),
              HasSubstr("contains '|'"));
}

TEST(TableSpaceTest, DefaultParametersGiveAStandInProduct) {
  auto space = TableSpace::New(TableSpaceParams());
  ASSERT_TRUE(space.ok());
  EXPECT_FALSE((*space)->configured());
  EXPECT_EQ((*space)->Size(), 81);
  EXPECT_EQ((*space)->ToString((*space)->FromIndex(5)), "0|0|1|2");
  EXPECT_FALSE((*space)->Parse("garbage").ok());
}

TEST(TableSpaceTest, AGeneWithoutDeclaredValuesLeavesOneEmptyArchitecture) {
  auto space = TableSpace::New(TwoGenes(false));
  ASSERT_TRUE(space.ok());
  EXPECT_TRUE((*space)->configured());
  EXPECT_EQ((*space)->Size(), 1);
  EXPECT_EQ((*space)->ToString((*space)->FromIndex(0)), "");
}

}  // namespace
}  // namespace nas
