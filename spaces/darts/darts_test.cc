#include "spaces/darts/darts.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/architecture.h"
#include "core/random.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/search_space.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

// Published genotypes, verbatim from the authors' genotypes.py files.
// DARTS_V2 and DARTS_V1: quark0/darts cnn/genotypes.py.
constexpr const char* kDartsV2 = kDartsV2Genotype;
constexpr char kDartsV1[] =
    "Genotype(normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0), "
    "('skip_connect', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), "
    "('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 2)], "
    "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), "
    "('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), "
    "('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), "
    "('avg_pool_3x3', 0)], reduce_concat=[2, 3, 4, 5])";
// PC-DARTS (yuhuixu1993/PC-DARTS genotypes.py): concat written range(2, 6).
constexpr char kPcDartsCifar[] =
    "Genotype(normal=[('sep_conv_3x3', 1), ('skip_connect', 0), "
    "('sep_conv_3x3', 0), ('dil_conv_3x3', 1), ('sep_conv_5x5', 0), "
    "('sep_conv_3x3', 1), ('avg_pool_3x3', 0), ('dil_conv_3x3', 1)], "
    "normal_concat=range(2, 6), reduce=[('sep_conv_5x5', 1), "
    "('max_pool_3x3', 0), ('sep_conv_5x5', 1), ('sep_conv_5x5', 2), "
    "('sep_conv_3x3', 0), ('sep_conv_3x3', 3), ('sep_conv_3x3', 1), "
    "('sep_conv_3x3', 2)], reduce_concat=range(2, 6))";
// P-DARTS (chenxin061/pdarts genotypes.py), with its irregular spacing
// ("),('sep_conv_3x3', 1)" and "('sep_conv_3x3',0)").
constexpr char kPdarts[] =
    "Genotype(normal=[('skip_connect', 0), ('dil_conv_3x3', 1), "
    "('skip_connect', 0),('sep_conv_3x3', 1), ('sep_conv_3x3', 1), "
    "('sep_conv_3x3', 3), ('sep_conv_3x3',0), ('dil_conv_5x5', 4)], "
    "normal_concat=range(2, 6), reduce=[('avg_pool_3x3', 0), "
    "('sep_conv_5x5', 1), ('sep_conv_3x3', 0), ('dil_conv_5x5', 2), "
    "('max_pool_3x3', 0), ('dil_conv_3x3', 1), ('dil_conv_3x3', 1), "
    "('dil_conv_5x5', 3)], reduce_concat=range(2, 6))";

// DARTS_V2 with each node's pairs sorted by input (written by hand).
constexpr char kDartsV2Canonical[] =
    "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), "
    "('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), "
    "('sep_conv_3x3', 1), ('skip_connect', 0), ('dil_conv_3x3', 2)], "
    "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), "
    "('max_pool_3x3', 1), ('max_pool_3x3', 1), ('skip_connect', 2), "
    "('max_pool_3x3', 0), ('skip_connect', 2), ('max_pool_3x3', 1), "
    "('skip_connect', 2)], reduce_concat=[2, 3, 4, 5])";

// clang-format off
// Op codes: sep3 0, sep5 1, dil3 2, dil5 3, max 4, avg 5, skip 6.
// Genes (input, op) per pair, nodes 2..5, normal then reduce.
const Architecture kDartsV2Genes = {
    0, 0, 1, 0,  0, 0, 1, 0,  0, 6, 1, 0,  0, 6, 2, 2,   // normal
    0, 4, 1, 4,  1, 4, 2, 6,  0, 4, 2, 6,  1, 4, 2, 6};  // reduce
const Architecture kPdartsGenes = {
    0, 6, 1, 2,  0, 6, 1, 0,  1, 0, 3, 0,  0, 0, 4, 3,   // normal
    0, 5, 1, 1,  0, 0, 2, 3,  0, 4, 1, 2,  1, 2, 3, 3};  // reduce
// clang-format on

// Hand-made: equal ops on both pairs of some nodes (where input moves could
// most plausibly collide) and inputs at the ends of each node's range.
constexpr char kHandMade[] =
    "Genotype(normal=[('skip_connect', 0), ('skip_connect', 1), "
    "('avg_pool_3x3', 0), ('avg_pool_3x3', 2), ('dil_conv_5x5', 1), "
    "('dil_conv_5x5', 3), ('sep_conv_5x5', 0), ('sep_conv_5x5', 4)], "
    "normal_concat=[2, 3, 4, 5], reduce=[('dil_conv_3x3', 1), "
    "('max_pool_3x3', 0), ('skip_connect', 2), ('sep_conv_3x3', 1), "
    "('max_pool_3x3', 3), ('max_pool_3x3', 2), ('avg_pool_3x3', 3), "
    "('avg_pool_3x3', 4)], reduce_concat=[2, 3, 4, 5])";

class DartsSpaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<DartsSpace>> space = DartsSpace::New();
    ASSERT_TRUE(space.ok()) << space.status();
    space_ = std::move(*space);
  }

  Architecture MustParse(absl::string_view text) const {
    absl::StatusOr<Architecture> arch = space_->Parse(text);
    EXPECT_TRUE(arch.ok()) << arch.status() << "\n" << text;
    return arch.ok() ? *arch : Architecture();
  }

  std::unique_ptr<DartsSpace> space_;
};

// ----------------------------------------------------------------- Parsing

TEST_F(DartsSpaceTest, DartsV2ParsesToHandComputedGenes) {
  EXPECT_EQ(MustParse(kDartsV2), kDartsV2Genes);
}

TEST_F(DartsSpaceTest, DartsV2PrintsCanonicalFormAndRoundTrips) {
  const Architecture v2 = MustParse(kDartsV2);
  EXPECT_EQ(space_->ToString(v2), kDartsV2Canonical);
  EXPECT_EQ(MustParse(space_->ToString(v2)), v2);
  EXPECT_EQ(MustParse(kDartsV2Canonical), v2);
}

TEST_F(DartsSpaceTest, PdartsSpacingAndRangeConcatParse) {
  EXPECT_EQ(MustParse(kPdarts), kPdartsGenes);
}

TEST_F(DartsSpaceTest, PublishedGenotypesRoundTrip) {
  for (const char* text :
       {kDartsV1, kDartsV2, kPcDartsCifar, kPdarts, kHandMade}) {
    const Architecture arch = MustParse(text);
    EXPECT_TRUE(space_->Validate(arch).ok()) << text;
    EXPECT_EQ(space_->Canonicalize(arch), arch) << text;
    const std::string printed = space_->ToString(arch);
    EXPECT_EQ(MustParse(printed), arch) << text;
    EXPECT_EQ(space_->ToString(MustParse(printed)), printed);
  }
  EXPECT_NE(MustParse(kDartsV1), MustParse(kDartsV2));
}

TEST_F(DartsSpaceTest, ParseToleratesWhitespaceQuotesAndTrailingCommas) {
  const Architecture v2 = MustParse(kDartsV2);
  const std::string multi_line = absl::StrReplaceAll(
      kDartsV2, {{"), (", "),\n\t ("}, {"=[", " =\n  [ "}, {", ", " ,  "}});
  EXPECT_EQ(MustParse(multi_line), v2) << multi_line;
  const std::string compact = absl::StrReplaceAll(kDartsV2, {{", ", ","}});
  EXPECT_EQ(MustParse(compact), v2) << compact;
  EXPECT_EQ(MustParse(absl::StrCat("  \n", kDartsV2, " \n")), v2);
  EXPECT_EQ(MustParse(absl::StrReplaceAll(kDartsV2, {{"'", "\""}})), v2);
  // Trailing commas in the lists and after the last keyword (valid Python).
  const std::string trailing =
      absl::StrReplaceAll(kDartsV2, {{")], ", "),], "}, {"5])", "5,],)"}});
  EXPECT_EQ(MustParse(trailing), v2) << trailing;
  EXPECT_EQ(MustParse(absl::StrReplaceAll(kDartsV2,
                                          {{"[2, 3, 4, 5]", "range( 2 ,6 )"}})),
            v2);
}

TEST_F(DartsSpaceTest, ParseReturnsCanonicalFormOfSwappedPairs) {
  // Normal node 4 written in both orders.
  const std::string swapped = absl::StrReplaceAll(
      kDartsV2, {{"('sep_conv_3x3', 1), ('skip_connect', 0)",
                  "('skip_connect', 0), ('sep_conv_3x3', 1)"}});
  ASSERT_NE(swapped, kDartsV2);
  EXPECT_EQ(MustParse(swapped), MustParse(kDartsV2));
}

struct MalformedCase {
  std::string text;
  // Substrings the message must contain.
  std::vector<std::string> message_parts;
};

// "character offset N: " where N is where `token` starts in `text`, at its
// first occurrence right after `lead`.
std::string Offset(absl::string_view text, absl::string_view token,
                   absl::string_view lead = "") {
  const size_t at = text.find(absl::StrCat(lead, token));
  EXPECT_NE(at, absl::string_view::npos) << lead << token;
  return absl::StrCat("character offset ", at + lead.size(), ": ");
}

TEST_F(DartsSpaceTest, MalformedGenotypesGiveSpecificErrors) {
  const std::string v2 = kDartsV2;
  const std::string valid_ops =
      "valid ops: sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5, "
      "max_pool_3x3, avg_pool_3x3, skip_connect";
  std::vector<MalformedCase> cases;

  // Unknown op (NASNet's sep_conv_7x7) in normal node 3, first pair.
  std::string text = v2;
  text.replace(text.find("('sep_conv_3x3', 0)", 30), 19, "('sep_conv_7x7', 0)");
  cases.push_back({text,
                   {Offset(text, "'sep_conv_7x7'"),
                    "unknown op 'sep_conv_7x7' in normal cell, node 3, pair 1 "
                    "of 2",
                    valid_ops}});
  // 'none' is a search primitive, not a genotype op.
  text = absl::StrReplaceAll(v2, {{"('dil_conv_3x3', 2)", "('none', 2)"}});
  cases.push_back(
      {text,
       {Offset(text, "'none'"),
        "unknown op 'none' in normal cell, node 5, pair 2 of 2", valid_ops}});
  // Node 2 may only read the cell inputs 0 and 1.
  text = v2;
  text.replace(text.find("('sep_conv_3x3', 1)"), 19, "('sep_conv_3x3', 2)");
  cases.push_back({text,
                   {Offset(text, "2)"),
                    "input 2 out of range in normal cell, node 2, pair 2 of 2: "
                    "node 2 takes inputs 0..1"}});
  // Reduce node 5, second pair, input 5 (a node cannot read itself).
  text = v2;
  text.replace(text.rfind("('max_pool_3x3', 1)"), 19, "('max_pool_3x3', 5)");
  cases.push_back({text,
                   {Offset(text, "5)]"),
                    "input 5 out of range in reduce cell, node 5, pair 2 of 2: "
                    "node 5 takes inputs 0..4"}});
  // A huge input is out of range, not an overflow.
  text = v2;
  text.replace(text.find("('sep_conv_3x3', 0)"), 19,
               "('sep_conv_3x3', 99999999999999999999)");
  cases.push_back({text,
                   {Offset(text, "999"),
                    "input 99999999999999999999 out of range in normal cell, "
                    "node 2, pair 1 of 2"}});
  // The same input twice: reduce node 4 reading node 2 twice.
  text =
      absl::StrReplaceAll(v2, {{"('max_pool_3x3', 0), ('skip_connect', 2)",
                                "('max_pool_3x3', 2), ('skip_connect', 2)"}});
  cases.push_back(
      {text,
       {Offset(text, "2)", "('max_pool_3x3', 2), ('skip_connect', "),
        "reduce cell, node 4 takes input 2 twice",
        "two distinct inputs per node"}});
  // Seven pairs in the normal cell.
  text = absl::StrReplaceAll(v2, {{"('skip_connect', 0), ('dil_conv_3x3', 2)",
                                   "('dil_conv_3x3', 2)"}});
  cases.push_back({text,
                   {Offset(text, "('sep"),
                    "the normal cell has 7 (op, input) pairs; a DARTS cell "
                    "needs exactly 8: two for each of nodes 2, 3, 4, 5"}});
  // Nine pairs in the reduce cell.
  text =
      absl::StrReplaceAll(v2, {{"reduce=[", "reduce=[('skip_connect', 0), "}});
  cases.push_back({text,
                   {Offset(text, "(", "reduce=["),
                    "the reduce cell has 9 (op, input) pairs"}});
  // Concat other than all four nodes.
  text = absl::StrReplaceAll(
      v2, {{"normal_concat=[2, 3, 4, 5]", "normal_concat=[2, 3, 4]"}});
  cases.push_back({text,
                   {Offset(text, "[2, 3, 4]"),
                    "normal_concat must be [2, 3, 4, 5] or range(2, 6)"}});
  text = absl::StrReplaceAll(
      v2, {{"reduce_concat=[2, 3, 4, 5]", "reduce_concat=range(2, 5)"}});
  cases.push_back({text,
                   {Offset(text, "range(2, 5)"),
                    "reduce_concat must be [2, 3, 4, 5] or range(2, 6)"}});
  // Keywords out of order.
  text = absl::StrReplaceAll(v2, {{"normal_concat=[2, 3, 4, 5], ", ""}});
  cases.push_back({text,
                   {Offset(text, "reduce="),
                    "expected keyword 'normal_concat', found 'reduce'"}});
  // Not a genotype at all, or cut short.
  cases.push_back(
      {"",
       {"character offset 0: ", "expected 'Genotype('", "found end of text"}});
  text = v2.substr(4);
  cases.push_back({text, {"character offset 0: ", "expected 'Genotype('"}});
  text = v2.substr(0, 60);
  cases.push_back({text, {"character offset 60: ", "found end of text"}});
  // Text after the closing parenthesis.
  text = v2 + " # DARTS_V2";
  cases.push_back({text,
                   {Offset(text, "#"), "unexpected text after the genotype",
                    "\"# DARTS_V2\""}});
  // Pair written (input, op), a negative input, an unquoted op.
  text =
      absl::StrReplaceAll(v2, {{"('dil_conv_3x3', 2)", "(2, 'dil_conv_3x3')"}});
  cases.push_back(
      {text, {Offset(text, "2, 'dil"), "expected a quoted op name"}});
  text = absl::StrReplaceAll(v2,
                             {{"('dil_conv_3x3', 2)", "('dil_conv_3x3', -1)"}});
  cases.push_back({text,
                   {Offset(text, "-1"),
                    "expected an input node number (a non-negative integer)"}});
  text =
      absl::StrReplaceAll(v2, {{"('dil_conv_3x3', 2)", "(dil_conv_3x3, 2)"}});
  cases.push_back(
      {text, {Offset(text, "dil_conv_3x3, 2"), "expected a quoted op name"}});
  // Missing comma between pairs.
  text = absl::StrReplaceAll(
      v2, {{"('skip_connect', 0), ('dil", "('skip_connect', 0) ('dil"}});
  cases.push_back(
      {text, {Offset(text, "('dil"), "expected ',' or ']' after a pair"}});

  for (const MalformedCase& c : cases) {
    const absl::StatusOr<Architecture> parsed = space_->Parse(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(part))
          << c.text;
    }
  }
}

// -------------------------------------------------------------- Validation

TEST_F(DartsSpaceTest, GeneCardinalitiesFollowTheLayout) {
  const absl::Span<const int> cardinalities = space_->gene_cardinalities();
  ASSERT_EQ(cardinalities.size(), 32u);
  for (int gene = 0; gene < 32; ++gene) {
    EXPECT_EQ(cardinalities[gene], gene % 2 == 0 ? 5 : 7) << gene;
  }
  EXPECT_EQ(DartsSpace::InputGene(0, 0, 0), 0);
  EXPECT_EQ(DartsSpace::OpGene(0, 0, 1), 3);
  EXPECT_EQ(DartsSpace::InputGene(0, 3, 1), 14);
  EXPECT_EQ(DartsSpace::InputGene(1, 0, 0), 16);
  EXPECT_EQ(DartsSpace::OpGene(1, 3, 1), 31);
}

TEST_F(DartsSpaceTest, ValidateNamesTheBadGene) {
  EXPECT_TRUE(space_->Validate(kDartsV2Genes).ok());

  Architecture short_arch(31);
  EXPECT_THAT(std::string(space_->Validate(short_arch).message()),
              HasSubstr("has 32 genes (2 cells x 4 nodes x 2 (input, op) "
                        "pairs), got 31"));

  // Within the gene cardinality (5) but beyond reduce node 3's inputs 0..2.
  Architecture arch = kDartsV2Genes;
  arch[DartsSpace::InputGene(1, 1, 1)] = 4;
  absl::Status status = space_->Validate(arch);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("gene 22 (reduce cell, node 3, pair 2, input) is 4; "
                        "node 3 takes inputs 0..2"));

  arch = kDartsV2Genes;
  arch[DartsSpace::InputGene(0, 0, 0)] = 2;
  EXPECT_THAT(std::string(space_->Validate(arch).message()),
              HasSubstr("gene 0 (normal cell, node 2, pair 1, input) is 2; "
                        "node 2 takes inputs 0..1"));

  arch = kDartsV2Genes;
  arch[DartsSpace::OpGene(0, 2, 0)] = 7;
  EXPECT_THAT(std::string(space_->Validate(arch).message()),
              HasSubstr("gene 9 (normal cell, node 4, pair 1, op) is 7; ops "
                        "are 0..6"));

  arch = kDartsV2Genes;
  arch[DartsSpace::InputGene(0, 3, 0)] = 2;  // node 5 now reads 2 twice
  EXPECT_THAT(std::string(space_->Validate(arch).message()),
              HasSubstr("gene 14 (normal cell, node 5, pair 2, input) repeats "
                        "input 2"));
}

// ------------------------------------------------------- Canonicalisation

Architecture SwapPairs(const Architecture& arch, int cell, int node) {
  Architecture swapped = arch;
  const int a = DartsSpace::InputGene(cell, node, 0);
  const int b = DartsSpace::InputGene(cell, node, 1);
  std::swap(swapped[a], swapped[b]);
  std::swap(swapped[a + 1], swapped[b + 1]);
  return swapped;
}

TEST_F(DartsSpaceTest, SwappedPairOrderIsEquivalent) {
  const Architecture v2 = MustParse(kDartsV2);
  Architecture all_swapped = v2;
  for (int cell = 0; cell < 2; ++cell) {
    for (int node = 0; node < 4; ++node) {
      const Architecture swapped = SwapPairs(v2, cell, node);
      ASSERT_NE(swapped, v2);
      EXPECT_TRUE(space_->Validate(swapped).ok());
      EXPECT_EQ(space_->Canonicalize(swapped), v2);
      EXPECT_EQ(space_->Hash(swapped), space_->Hash(v2));
      EXPECT_EQ(space_->ToString(swapped), kDartsV2Canonical);
      all_swapped = SwapPairs(all_swapped, cell, node);
    }
  }
  EXPECT_EQ(space_->Canonicalize(all_swapped), v2);
  EXPECT_EQ(space_->Hash(all_swapped), space_->Hash(v2));
}

TEST_F(DartsSpaceTest, HashSeparatesArchitecturesAndIsStable) {
  EXPECT_NE(space_->Hash(MustParse(kDartsV1)),
            space_->Hash(MustParse(kDartsV2)));
  // Golden value: FNV-1a over the gene count (32) and the hand-written
  // genes of canonical DARTS_V2 (computed independently in Python). Hashes
  // reach stored results, so a change of gene layout or op order must show.
  EXPECT_EQ(space_->Hash(MustParse(kDartsV2)), 0x01efa3f24568ffd7ULL);
}

// -------------------------------------------------------------------- Size

TEST_F(DartsSpaceTest, SizeIsProductOfNodeChoicesSquared) {
  // Per cell: C(2,2) C(3,2) C(4,2) C(5,2) * 49^4 = 1 * 3 * 6 * 10 * 5764801.
  const uint64_t per_cell = 180ULL * 49 * 49 * 49 * 49;
  EXPECT_EQ(per_cell, 1037664180ULL);
  EXPECT_EQ(space_->Size(), absl::uint128(per_cell) * per_cell);
  EXPECT_EQ(DartsSpaceSizeDecimal(), "1076746950455072400");
  absl::uint128 from_string;
  ASSERT_TRUE(absl::SimpleAtoi(DartsSpaceSizeDecimal(), &from_string));
  EXPECT_EQ(from_string, space_->Size());
  EXPECT_NEAR(static_cast<double>(space_->Size()), 1.0767e18, 1e14);
  EXPECT_FALSE(space_->IsIndexable());
}

TEST_F(DartsSpaceTest, SizeMatchesBruteForceCountOfCanonicalNodes) {
  // Counts, per node, the gene settings (any values within the gene
  // cardinalities) that Validate and Canonicalize accept as canonical; the
  // space is the product over 8 nodes.
  absl::uint128 total = 1;
  for (int cell = 0; cell < 2; ++cell) {
    for (int node = 0; node < 4; ++node) {
      uint64_t canonical_settings = 0;
      Architecture arch = kDartsV2Genes;
      for (int in0 = 0; in0 < 5; ++in0) {
        for (int op0 = 0; op0 < 7; ++op0) {
          for (int in1 = 0; in1 < 5; ++in1) {
            for (int op1 = 0; op1 < 7; ++op1) {
              arch[DartsSpace::InputGene(cell, node, 0)] = in0;
              arch[DartsSpace::OpGene(cell, node, 0)] = op0;
              arch[DartsSpace::InputGene(cell, node, 1)] = in1;
              arch[DartsSpace::OpGene(cell, node, 1)] = op1;
              if (space_->Validate(arch).ok() &&
                  space_->Canonicalize(arch) == arch) {
                ++canonical_settings;
              }
            }
          }
        }
      }
      const uint64_t n = node + 2;
      EXPECT_EQ(canonical_settings, n * (n - 1) / 2 * 49);
      total *= canonical_settings;
    }
  }
  EXPECT_EQ(total, space_->Size());
}

// ----------------------------------------------------------- Neighbourhood

// Gene changes needed to turn node (cell, node) of `a` into that of `b`,
// minimised over the two ways of matching their pairs.
int NodeDistance(const Architecture& a, const Architecture& b, int cell,
                 int node) {
  auto pair_distance = [&](int pa, int pb) {
    const int ga = DartsSpace::InputGene(cell, node, pa);
    const int gb = DartsSpace::InputGene(cell, node, pb);
    return (a[ga] != b[gb]) + (a[ga + 1] != b[gb + 1]);
  };
  return std::min(pair_distance(0, 0) + pair_distance(1, 1),
                  pair_distance(0, 1) + pair_distance(1, 0));
}

// Neighbours by definition: every canonical architecture that differs from
// `arch` in exactly one gene up to pair order. Enumerates all canonical
// settings of one node at a time (the only candidates at distance 1).
std::set<Architecture> BruteForceNeighbors(const Architecture& arch) {
  std::set<Architecture> neighbors;
  for (int cell = 0; cell < 2; ++cell) {
    for (int node = 0; node < 4; ++node) {
      const int n = node + 2;
      for (int x = 0; x < n; ++x) {
        for (int y = x + 1; y < n; ++y) {
          for (int ox = 0; ox < 7; ++ox) {
            for (int oy = 0; oy < 7; ++oy) {
              Architecture candidate = arch;
              candidate[DartsSpace::InputGene(cell, node, 0)] = x;
              candidate[DartsSpace::OpGene(cell, node, 0)] = ox;
              candidate[DartsSpace::InputGene(cell, node, 1)] = y;
              candidate[DartsSpace::OpGene(cell, node, 1)] = oy;
              if (NodeDistance(arch, candidate, cell, node) == 1) {
                neighbors.insert(candidate);
              }
            }
          }
        }
      }
    }
  }
  return neighbors;
}

TEST_F(DartsSpaceTest, DartsV2HasOneHundredTwentyNeighbors) {
  // Op changes: 2 cells x 8 pairs x 6 other ops = 96. Input moves: node n
  // (2..5) reads from n nodes, two taken, so each of its 2 pairs can move to
  // n - 2 others: 2 cells x 2 x (0 + 1 + 2 + 3) = 24. An op change keeps a
  // node's input set and input moves on one node give different input sets,
  // so nothing collides: 96 + 24 = 120.
  const Architecture v2 = MustParse(kDartsV2);
  std::vector<Architecture> neighbors;
  space_->Neighbors(v2, &neighbors);
  EXPECT_EQ(neighbors.size(), 120u);
  int op_changes = 0;
  int input_moves = 0;
  for (const Architecture& neighbor : neighbors) {
    int differing_inputs = 0;
    for (int gene = 0; gene < 32; gene += 2) {
      differing_inputs += neighbor[gene] != v2[gene];
    }
    (differing_inputs == 0 ? op_changes : input_moves) += 1;
  }
  EXPECT_EQ(op_changes, 96);
  EXPECT_EQ(input_moves, 24);

  // The first neighbour: normal node 2, pair 1 ('sep_conv_3x3', 0) becomes
  // the next op, sep_conv_5x5.
  EXPECT_EQ(space_->ToString(neighbors[0]),
            absl::StrReplaceAll(kDartsV2Canonical,
                                {{"normal=[('sep_conv_3x3', 0)",
                                  "normal=[('sep_conv_5x5', 0)"}}));
  // A neighbour by input move: reduce node 5's ('max_pool_3x3', 1) moves to
  // node 4, reordering the pairs.
  const Architecture moved = MustParse(absl::StrReplaceAll(
      kDartsV2Canonical, {{"('max_pool_3x3', 1), ('skip_connect', 2)], r",
                           "('skip_connect', 2), ('max_pool_3x3', 4)], r"}}));
  EXPECT_NE(std::find(neighbors.begin(), neighbors.end(), moved),
            neighbors.end());
}

TEST_F(DartsSpaceTest, HandMadeGenotypeHasOneHundredTwentyNeighbors) {
  // Same count by the same argument (it does not depend on the genotype),
  // here with equal ops on a node's two pairs: normal node 2 reads (0, 1)
  // with skip_connect twice and can move neither input (0 moves); normal
  // node 3 reads (0, 2) and each pair can move to node 1 (2 moves); node 4
  // reads (1, 3): each pair to 0 or 2 (4 moves); node 5 reads (0, 4): each
  // pair to 1, 2 or 3 (6 moves). Same in reduce: 12 + 12 + 96 = 120.
  const Architecture arch = MustParse(kHandMade);
  std::vector<Architecture> neighbors;
  space_->Neighbors(arch, &neighbors);
  EXPECT_EQ(neighbors.size(), 120u);
  const std::set<Architecture> expected = BruteForceNeighbors(arch);
  EXPECT_EQ(expected.size(), 120u);
  EXPECT_EQ(std::set<Architecture>(neighbors.begin(), neighbors.end()),
            expected);
}

TEST_F(DartsSpaceTest, NeighborsMatchBruteForceDefinition) {
  Rng rng(7);
  std::vector<Architecture> archs = {MustParse(kDartsV2), MustParse(kDartsV1),
                                     MustParse(kPdarts)};
  for (int i = 0; i < 20; ++i) archs.push_back(space_->Sample(rng));
  std::vector<Architecture> neighbors;
  for (const Architecture& arch : archs) {
    space_->Neighbors(arch, &neighbors);
    const std::set<Architecture> unique(neighbors.begin(), neighbors.end());
    EXPECT_EQ(unique.size(), neighbors.size()) << "duplicates";
    EXPECT_EQ(unique, BruteForceNeighbors(arch)) << space_->ToString(arch);
  }
}

TEST_F(DartsSpaceTest, NeighborsAreValidCanonicalDistinctAndOrdered) {
  Rng rng(11);
  std::vector<Architecture> first, second;
  for (int i = 0; i < 50; ++i) {
    const Architecture arch = space_->Sample(rng);
    first.assign(3, arch);  // Neighbors must clear its output.
    space_->Neighbors(arch, &first);
    space_->Neighbors(arch, &second);
    EXPECT_EQ(first, second);
    ASSERT_EQ(first.size(), 120u);
    absl::flat_hash_set<Architecture> seen;
    for (const Architecture& neighbor : first) {
      EXPECT_TRUE(space_->Validate(neighbor).ok());
      EXPECT_EQ(space_->Canonicalize(neighbor), neighbor);
      EXPECT_NE(neighbor, arch);
      EXPECT_TRUE(seen.insert(neighbor).second);
    }
  }
}

// ------------------------------------------------------ Sampling, mutation

TEST_F(DartsSpaceTest, MutateEqualsUniformNeighborDrawForDraw) {
  const Architecture v2 = MustParse(kDartsV2);
  std::vector<Architecture> neighbors;
  space_->Neighbors(v2, &neighbors);
  std::set<Architecture> reached;
  Rng sample_rng(3);
  for (uint64_t seed = 0; seed < 3000; ++seed) {
    const Architecture arch = seed < 2000 ? v2 : space_->Sample(sample_rng);
    Rng ours(seed);
    Rng reference(seed);
    const Architecture mutant = space_->Mutate(arch, ours);
    EXPECT_EQ(mutant, space_->SearchSpace::Mutate(arch, reference));
    if (arch == v2) reached.insert(mutant);
  }
  // 2000 uniform draws over 120 miss one with probability < 120 e^-16.
  EXPECT_EQ(reached,
            std::set<Architecture>(neighbors.begin(), neighbors.end()));
}

TEST_F(DartsSpaceTest, SampleIsDeterministicPerSeed) {
  Rng a(42), b(42), c(43);
  const Architecture from_a = space_->Sample(a);
  EXPECT_EQ(from_a, space_->Sample(b));
  EXPECT_NE(from_a, space_->Sample(c));
}

TEST_F(DartsSpaceTest, SampleIsUniformOverOpsInputsAndInputPairs) {
  constexpr int kSamples = 60000;
  // counts[cell][node][op], inputs[cell][node][input], pairs for node 5.
  int op_counts[2][4][7] = {};
  int input_counts[2][4][5] = {};
  int node5_pair_counts[2][5][5] = {};
  // Joint ops of node 2's two pairs (inputs 0 and 1): independence.
  int node2_op_pair_counts[2][7][7] = {};
  Rng rng(2024);
  for (int s = 0; s < kSamples; ++s) {
    const Architecture arch = space_->Sample(rng);
    ASSERT_TRUE(space_->Validate(arch).ok());
    ASSERT_EQ(space_->Canonicalize(arch), arch);
    for (int cell = 0; cell < 2; ++cell) {
      for (int node = 0; node < 4; ++node) {
        for (int pair = 0; pair < 2; ++pair) {
          ++op_counts[cell][node][arch[DartsSpace::OpGene(cell, node, pair)]];
          ++input_counts[cell][node]
                        [arch[DartsSpace::InputGene(cell, node, pair)]];
        }
      }
      ++node5_pair_counts[cell][arch[DartsSpace::InputGene(cell, 3, 0)]]
                         [arch[DartsSpace::InputGene(cell, 3, 1)]];
      ++node2_op_pair_counts[cell][arch[DartsSpace::OpGene(cell, 0, 0)]]
                            [arch[DartsSpace::OpGene(cell, 0, 1)]];
    }
  }
  // Binomial(trials, p) within 5 standard deviations of its mean.
  auto expect_binomial = [](int count, double trials, double p,
                            const std::string& what) {
    const double mean = trials * p;
    const double tolerance = 5 * std::sqrt(trials * p * (1 - p));
    EXPECT_NEAR(count, mean, tolerance) << what;
  };
  for (int cell = 0; cell < 2; ++cell) {
    for (int node = 0; node < 4; ++node) {
      const int n = node + 2;
      for (int op = 0; op < 7; ++op) {
        // Two independent uniform op draws per node and sample.
        expect_binomial(op_counts[cell][node][op], 2.0 * kSamples, 1.0 / 7,
                        absl::StrCat("op ", op, " cell ", cell, " node ", n));
      }
      for (int input = 0; input < 5; ++input) {
        // A node reads a given one of its n inputs with probability 2 / n.
        const double p = input < n ? 2.0 / n : 0.0;
        expect_binomial(
            input_counts[cell][node][input], kSamples, p,
            absl::StrCat("input ", input, " cell ", cell, " node ", n));
      }
    }
    for (int op0 = 0; op0 < 7; ++op0) {
      for (int op1 = 0; op1 < 7; ++op1) {
        expect_binomial(node2_op_pair_counts[cell][op0][op1], kSamples,
                        1.0 / 49,
                        absl::StrCat("ops ", op0, ",", op1, " cell ", cell));
      }
    }
    // Node 5's 10 unordered input pairs each with probability 1 / 10.
    for (int x = 0; x < 5; ++x) {
      for (int y = 0; y < 5; ++y) {
        expect_binomial(node5_pair_counts[cell][x][y], kSamples,
                        x < y ? 0.1 : 0.0,
                        absl::StrCat("pair ", x, ",", y, " cell ", cell));
      }
    }
  }
}

// ---------------------------------------------------------------- Registry

TEST(DartsRegistryTest, RegisteredAsDarts) {
  absl::StatusOr<const SearchSpaceRegistry::Entry*> entry =
      GlobalSearchSpaceRegistry().Find("darts");
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ((*entry)->params_prototype, nullptr);
  absl::StatusOr<std::unique_ptr<SearchSpace>> space =
      (*entry)->factory(nullptr);
  ASSERT_TRUE(space.ok()) << space.status();
  EXPECT_EQ((*space)->name(), "darts");
  EXPECT_EQ((*space)->Size(), absl::uint128(1037664180ULL) * 1037664180ULL);
}

}  // namespace
}  // namespace nas
