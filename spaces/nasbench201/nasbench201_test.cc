#include "spaces/nasbench201/nasbench201.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "objectives/common/csv_table.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

class Nasbench201SpaceTest : public ::testing::Test {
 protected:
  void SetUp() override { space_ = *Nasbench201Space::New(); }
  std::unique_ptr<Nasbench201Space> space_;
};

TEST_F(Nasbench201SpaceTest, IsRegisteredByName) {
  auto entry = GlobalSearchSpaceRegistry().Find("nasbench201");
  ASSERT_TRUE(entry.ok()) << entry.status();
  auto made = (*entry)->factory(nullptr);
  ASSERT_TRUE(made.ok());
  EXPECT_EQ((*made)->name(), "nasbench201");
}

// The official order is reproduced from the authors' seeded shuffle; the
// table's rows are in that order, so every row's string must be
// ToString(FromIndex(row)) and parse back to the same index.
TEST_F(Nasbench201SpaceTest, AllStringsRoundTripInOfficialOrder) {
  auto table = CsvTable::Read(
      TestDataDir() + "/nasbench201/nb201_v1_1_200ep_seedavg.csv", "");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->num_rows(), 15625);
  const int arch_column = *table->Column("arch_str");
  const int index_column = *table->Column("index");
  for (int row = 0; row < table->num_rows(); ++row) {
    ASSERT_EQ(*table->Int(row, index_column), row);
    const std::string text(table->Cell(row, arch_column));
    ASSERT_EQ(space_->ToString(space_->FromIndex(row)), text) << "row " << row;
    auto parsed = space_->Parse(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    ASSERT_EQ(space_->ToIndex(*parsed), row);
    ASSERT_EQ(space_->ToString(*parsed), text);
    // The op_e* columns are the genes.
    for (int e = 0; e < 6; ++e) {
      ASSERT_EQ((*parsed)[e], *table->Int(row, 2 + e)) << "row " << row;
    }
  }
}

// Near misses of the official form: the fast path declines them and the
// full parser says what is wrong.
TEST_F(Nasbench201SpaceTest, NearMissesOfTheOfficialFormAreRefused) {
  const std::string good =
      "|none~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|"
      "avg_pool_3x3~1|none~2|";
  ASSERT_TRUE(space_->Parse(good).ok());
  for (const std::string& bad : {
           std::string("|none~1|+|skip_connect~0|nor_conv_1x1~1|+|"
                       "nor_conv_3x3~0|avg_pool_3x3~1|none~2|"),
           std::string("|nonx~0|+|skip_connect~0|nor_conv_1x1~1|+|"
                       "nor_conv_3x3~0|avg_pool_3x3~1|none~2|"),
           std::string("|nor_conv_5x5~0|+|skip_connect~0|nor_conv_1x1~1|+|"
                       "nor_conv_3x3~0|avg_pool_3x3~1|none~2|"),
           std::string("|none~0|+|skip_connect~0|nor_conv_1x1~1|+|"
                       "nor_conv_3x3~0|avg_pool_3x3~1|none~2"),
           good + "|",
           good.substr(0, 30),
           std::string("|n"),
           std::string(),
       }) {
    auto parsed = space_->Parse(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) {
      EXPECT_THAT(parsed.status().message(),
                  HasSubstr("bad NAS-Bench-201 architecture string"));
    }
  }
}

TEST_F(Nasbench201SpaceTest, OfficialOrderNeedsNoData) {
  // Rows 0 and 1 as printed in the data README, and the cifar100 optimum.
  EXPECT_EQ(space_->ToString(space_->FromIndex(0)),
            "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|"
            "skip_connect~1|skip_connect~2|");
  EXPECT_EQ(space_->ToString(space_->FromIndex(1)),
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|"
            "nor_conv_3x3~1|skip_connect~2|");
}

TEST_F(Nasbench201SpaceTest, IndexIsABijection) {
  std::vector<bool> seen(15625, false);
  for (int lex = 0; lex < 15625; ++lex) {
    const Architecture arch = Nasbench201Space::FromLexicographicIndex(lex);
    ASSERT_EQ(Nasbench201Space::LexicographicIndex(arch), lex);
    const int64_t index = space_->ToIndex(arch);
    ASSERT_FALSE(seen[index]);
    seen[index] = true;
    ASSERT_EQ(space_->FromIndex(index), arch);
  }
}

// IndexIfValid checks the six genes as bytes of one word: every
// architecture gets its index, every out-of-range byte on every edge
// (including those whose sum carries out of the byte) and every other
// length gets -1.
TEST_F(Nasbench201SpaceTest, IndexIfValidAgreesWithValidateOnEveryByte) {
  for (int lex = 0; lex < 15625; ++lex) {
    const Architecture arch = Nasbench201Space::FromLexicographicIndex(lex);
    ASSERT_EQ(space_->IndexIfValid(arch), space_->ToIndex(arch));
  }
  const Architecture base = Nasbench201Space::FromLexicographicIndex(7777);
  for (int edge = 0; edge < 6; ++edge) {
    for (int value = 0; value < 256; ++value) {
      Architecture changed = base;
      changed[edge] = static_cast<uint8_t>(value);
      const int64_t expected =
          space_->Validate(changed).ok() ? space_->ToIndex(changed) : -1;
      ASSERT_EQ(space_->IndexIfValid(changed), expected)
          << "edge " << edge << " set to " << value;
      ASSERT_EQ(expected < 0, value >= 5);
    }
  }
  for (int size : {0, 5, 7}) {
    EXPECT_EQ(space_->IndexIfValid(Architecture(size)), -1) << size;
  }
}

TEST_F(Nasbench201SpaceTest, NeighbourhoodIsExactlyTheOneEdgeChanges) {
  auto arch = space_->Parse(
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|"
      "nor_conv_3x3~1|skip_connect~2|");
  ASSERT_TRUE(arch.ok());
  std::vector<Architecture> neighbors;
  space_->Neighbors(*arch, &neighbors);
  ASSERT_EQ(neighbors.size(), 24u);

  // Expected: for each edge, the 4 other ops, written out by hand.
  const std::vector<std::string> ops = {"none", "skip_connect",
                                        "nor_conv_1x1", "nor_conv_3x3",
                                        "avg_pool_3x3"};
  const std::vector<std::string> current = {
      "nor_conv_3x3", "nor_conv_3x3", "avg_pool_3x3",
      "skip_connect", "nor_conv_3x3", "skip_connect"};
  std::set<std::string> expected;
  for (int e = 0; e < 6; ++e) {
    for (const std::string& op : ops) {
      if (op == current[e]) continue;
      std::vector<std::string> edge = current;
      edge[e] = op;
      expected.insert("|" + edge[0] + "~0|+|" + edge[1] + "~0|" + edge[2] +
                      "~1|+|" + edge[3] + "~0|" + edge[4] + "~1|" + edge[5] +
                      "~2|");
    }
  }
  ASSERT_EQ(expected.size(), 24u);
  std::set<std::string> actual;
  for (const Architecture& n : neighbors) actual.insert(space_->ToString(n));
  EXPECT_EQ(actual, expected);
}

TEST_F(Nasbench201SpaceTest, MutateIsAUniformNeighbour) {
  Rng rng(17);
  const Architecture arch = space_->FromIndex(42);
  std::vector<Architecture> neighbors;
  space_->Neighbors(arch, &neighbors);
  absl::flat_hash_set<Architecture> allowed(neighbors.begin(), neighbors.end());
  absl::flat_hash_map<Architecture, int> counts;
  const int kDraws = 24000;
  for (int i = 0; i < kDraws; ++i) {
    const Architecture m = space_->Mutate(arch, rng);
    ASSERT_TRUE(allowed.contains(m));
    ++counts[m];
  }
  EXPECT_EQ(counts.size(), 24u);
  for (const auto& [unused, count] : counts) {
    EXPECT_NEAR(count, 1000, 150);  // ~5 standard deviations.
  }
}

TEST_F(Nasbench201SpaceTest, ParseErrorsSayWhatAndWhere) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "expected '|' at character 0"},
      {"|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|", "unknown op 'conv'"},
      {"|none~1|+|none~0|none~1|+|none~0|none~1|none~2|",
       "must come from node 0, found '1'"},
      {"|none~0|+|none~0|none~1|+|none~0|none~1|", "node 3 has 2 edges"},
      {"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|x",
       "unexpected text after character"},
      {"|none~0||none~0|none~1|+|none~0|none~1|none~2|",
       "expected '+' before node 2"},
      {"|none0|+|none~0|none~1|+|none~0|none~1|none~2|",
       "is not of the form op~source"},
  };
  for (const Case& c : cases) {
    auto parsed = space_->Parse(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(c.message))
        << c.text;
  }
}

TEST_F(Nasbench201SpaceTest, ValidateRejectsBadGenes) {
  EXPECT_FALSE(space_->Validate(Architecture({0, 0, 0})).ok());
  EXPECT_FALSE(space_->Validate(Architecture({0, 0, 0, 0, 0, 5})).ok());
  EXPECT_TRUE(space_->Validate(Architecture({0, 1, 2, 3, 4, 0})).ok());
}

TEST_F(Nasbench201SpaceTest, SampleCoversEveryOpOnEveryEdge) {
  Rng rng(3);
  int counts[6][5] = {};
  for (int i = 0; i < 10000; ++i) {
    const Architecture a = space_->Sample(rng);
    ASSERT_TRUE(space_->Validate(a).ok());
    for (int e = 0; e < 6; ++e) ++counts[e][a[e]];
  }
  for (int e = 0; e < 6; ++e) {
    for (int op = 0; op < 5; ++op) EXPECT_NEAR(counts[e][op], 2000, 200);
  }
}

}  // namespace
}  // namespace nas
