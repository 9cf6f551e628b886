#include "spaces/encodings/encodings.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/darts/darts.h"
#include "spaces/nasbench101/nasbench101.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<float> EncodeVector(const Encoder& encoder,
                                const Architecture& arch) {
  std::vector<float> out(encoder.dimension(), -1.0f);
  encoder.Encode(arch, out.data());
  return out;
}

// Names of the features that are 1; also checks that all others are 0.
std::vector<std::string> OnFeatures(const Encoder& encoder,
                                    const Architecture& arch) {
  std::vector<std::string> names;
  const std::vector<float> code = EncodeVector(encoder, arch);
  for (int i = 0; i < encoder.dimension(); ++i) {
    EXPECT_TRUE(code[i] == 0.0f || code[i] == 1.0f) << i << ": " << code[i];
    if (code[i] == 1.0f) names.push_back(encoder.FeatureName(i));
  }
  return names;
}

std::unique_ptr<Encoder> Make(const SearchSpace& space, EncodingKind kind,
                              int truncated = 0) {
  auto encoder = MakeEncoder(space, kind, truncated);
  EXPECT_TRUE(encoder.ok()) << encoder.status();
  return encoder.ok() ? std::move(*encoder) : nullptr;
}

// --- NAS-Bench-201 ---------------------------------------------------------

class Nb201EncodingTest : public ::testing::Test {
 protected:
  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
};

TEST_F(Nb201EncodingTest, Dimensions) {
  // Paths of 1, 2 and 3 edges, each edge one of the 4 ops that are not
  // 'none': 4 + 16 + 64.
  EXPECT_EQ(Make(*space_, EncodingKind::kPath)->dimension(), 84);
  EXPECT_EQ(Make(*space_, EncodingKind::kTruncatedPath)->dimension(), 20);
  EXPECT_EQ(Make(*space_, EncodingKind::kTruncatedPath, 7)->dimension(), 7);
  EXPECT_EQ(Make(*space_, EncodingKind::kAdjacency)->dimension(), 30);
  EXPECT_EQ(Make(*space_, EncodingKind::kOneHot)->dimension(), 30);
}

TEST_F(Nb201EncodingTest, OnlySkipConnectionsHaveThreePaths) {
  // Four node-0-to-node-3 paths (0-3, 0-1-3, 0-2-3, 0-1-2-3), all made of
  // skips; the two 2-edge paths share one feature.
  const Architecture all_skip({1, 1, 1, 1, 1, 1});
  EXPECT_THAT(OnFeatures(*Make(*space_, EncodingKind::kPath), all_skip),
              ElementsAre("skip_connect", "skip_connect>skip_connect",
                          "skip_connect>skip_connect>skip_connect"));
  EXPECT_THAT(
      OnFeatures(*Make(*space_, EncodingKind::kTruncatedPath), all_skip),
      ElementsAre("skip_connect", "skip_connect>skip_connect"));
}

TEST_F(Nb201EncodingTest, NoneEdgesCutPaths) {
  // Edges 1<-0 conv3x3, 2<-0 none, 2<-1 skip, 3<-0 avg_pool, 3<-1 conv1x1,
  // 3<-2 none: 0-3 is avg_pool; 0-1-3 is conv3x3, conv1x1; 0-2-3 and
  // 0-1-2-3 end in the 'none' edge 3<-2.
  auto path = Make(*space_, EncodingKind::kPath);
  EXPECT_THAT(OnFeatures(*path, Architecture({3, 0, 1, 4, 2, 0})),
              ElementsAre("avg_pool_3x3", "nor_conv_3x3>nor_conv_1x1"));
  // 1<-0 conv1x1, 2<-0 conv1x1, 2<-1 conv3x3, 3<-0 none, 3<-1 none,
  // 3<-2 skip: only 0-2-3 and 0-1-2-3 survive.
  EXPECT_THAT(OnFeatures(*path, Architecture({2, 2, 3, 0, 0, 1})),
              ElementsAre("nor_conv_1x1>skip_connect",
                          "nor_conv_1x1>nor_conv_3x3>skip_connect"));
  EXPECT_THAT(OnFeatures(*path, Architecture({0, 0, 0, 0, 0, 0})), IsEmpty());
}

TEST_F(Nb201EncodingTest, TruncationKeepsTheMostLikelyPaths) {
  // Over all 15,625 cells (uniform sampling): a 1-op feature is present in
  // 1/5 of them (3125), a 2-op feature in 1 - (24/25)^2 (1225: either of
  // two paths), a 3-op feature in 1/125 (125). The default truncation keeps
  // the 20 most frequent, and every feature occurs.
  auto path = Make(*space_, EncodingKind::kPath);
  std::vector<int> count(path->dimension(), 0);
  std::vector<float> code(path->dimension());
  for (int i = 0; i < Nasbench201Space::kNumArchitectures; ++i) {
    path->Encode(space_->FromIndex(i), code.data());
    for (int f = 0; f < path->dimension(); ++f) count[f] += code[f] == 1.0f;
  }
  for (int f = 0; f < 84; ++f) {
    EXPECT_EQ(count[f], f < 4 ? 3125 : f < 20 ? 1225 : 125) << f;
  }
  const int kept = Make(*space_, EncodingKind::kTruncatedPath)->dimension();
  const int least_kept = *std::min_element(count.begin(), count.begin() + kept);
  const int most_dropped = *std::max_element(count.begin() + kept, count.end());
  EXPECT_GT(least_kept, most_dropped);
}

TEST_F(Nb201EncodingTest, TruncatedIsAPrefixOfTheFullEncoding) {
  auto path = Make(*space_, EncodingKind::kPath);
  auto truncated = Make(*space_, EncodingKind::kTruncatedPath, 30);
  Rng rng(1);
  for (int i = 0; i < 100; ++i) {
    const Architecture arch = space_->Sample(rng);
    std::vector<float> full = EncodeVector(*path, arch);
    full.resize(30);
    EXPECT_EQ(EncodeVector(*truncated, arch), full);
  }
}

TEST_F(Nb201EncodingTest, OneHotDistanceIsTwiceTheEditDistance) {
  auto one_hot = Make(*space_, EncodingKind::kOneHot);
  const Architecture a({1, 2, 3, 4, 0, 1});
  const Architecture b({1, 2, 0, 4, 3, 1});
  EXPECT_EQ(GeneEditDistance(a, b), 2);
  EXPECT_EQ(SquaredDistance(EncodeVector(*one_hot, a), EncodeVector(*one_hot, b)),
            4.0);
  EXPECT_THAT(OnFeatures(*one_hot, a),
              ElementsAre("gene0=1", "gene1=2", "gene2=3", "gene3=4",
                          "gene4=0", "gene5=1"));
}

TEST_F(Nb201EncodingTest, PathDistanceCountsDifferingPaths) {
  // All-skip has 3 path features; the first mixed cell above has 2 others.
  auto path = Make(*space_, EncodingKind::kPath);
  EXPECT_EQ(SquaredDistance(EncodeVector(*path, Architecture({1, 1, 1, 1, 1, 1})),
                            EncodeVector(*path, Architecture({3, 0, 1, 4, 2, 0}))),
            5.0);
}

TEST_F(Nb201EncodingTest, RejectsBadTruncation) {
  for (int bad : {-1, 85}) {
    auto encoder = MakeEncoder(*space_, EncodingKind::kTruncatedPath, bad);
    ASSERT_FALSE(encoder.ok()) << bad;
    EXPECT_NE(encoder.status().message().find("1 to 84"), std::string::npos)
        << encoder.status();
  }
  auto encoder = MakeEncoder(*space_, EncodingKind::kPath, 10);
  ASSERT_FALSE(encoder.ok());
  EXPECT_NE(encoder.status().message().find("truncated_path only"),
            std::string::npos);
}

// --- NAS-Bench-101 ---------------------------------------------------------

// PRUNED: these tests are about canonical cells. Under the study's
// neighbourhood (the default at 7 vertices) states are raw specs and
// Canonicalize keeps them as they are, so the adjacency encoding sees the
// raw numbering and dangling vertices, as the study's code did.
std::unique_ptr<Nasbench101Space> Nb101(int max_vertices = 7) {
  Nasbench101SpaceParams params;
  params.set_max_vertices(max_vertices);
  params.set_neighborhood(Nasbench101SpaceParams::PRUNED);
  return *Nasbench101Space::New(params);
}

nasbench101::Cell MakeCell(int num_vertices,
                           const std::vector<std::pair<int, int>>& edges,
                           const std::vector<int>& interior_ops) {
  nasbench101::Cell cell;
  cell.num_vertices = num_vertices;
  for (const auto& [from, to] : edges) cell.SetEdge(from, to, true);
  for (int v = 1; v < num_vertices - 1; ++v) cell.ops[v] = interior_ops[v - 1];
  return cell;
}

TEST(Nb101EncodingTest, Dimensions) {
  // Paths through 0..5 op vertices with 3 ops: 3^0 + ... + 3^5.
  EXPECT_EQ(Make(*Nb101(), EncodingKind::kPath)->dimension(), 364);
  EXPECT_EQ(Make(*Nb101(), EncodingKind::kTruncatedPath)->dimension(), 40);
  EXPECT_EQ(Make(*Nb101(), EncodingKind::kAdjacency)->dimension(), 21 + 15);
  EXPECT_EQ(Make(*Nb101(), EncodingKind::kOneHot)->dimension(), 21 * 2 + 15);
  EXPECT_EQ(Make(*Nb101(5), EncodingKind::kPath)->dimension(), 1 + 3 + 9 + 27);
  EXPECT_EQ(Make(*Nb101(4), EncodingKind::kPath)->dimension(), 1 + 3 + 9);
}

TEST(Nb101EncodingTest, HandCountedPaths) {
  auto space = Nb101();
  auto path = Make(*space, EncodingKind::kPath);
  // input -> conv3x3 -> output, input -> maxpool -> output, input -> output.
  auto diamond = space->Parse(
      "adj=0111000100010000 ops=input|conv3x3-bn-relu|maxpool3x3|output");
  ASSERT_TRUE(diamond.ok()) << diamond.status();
  EXPECT_THAT(OnFeatures(*path, *diamond),
              UnorderedElementsAre("input>output",
                                   "input>conv3x3-bn-relu>output",
                                   "input>maxpool3x3>output"));
  // A chain of five ops: one path, longer than the truncation keeps.
  auto chain = space->Parse(
      "adj=0100000001000000010000000100000001000000010000000 "
      "ops=input|conv1x1-bn-relu|conv3x3-bn-relu|maxpool3x3|conv3x3-bn-relu|"
      "conv1x1-bn-relu|output");
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_THAT(OnFeatures(*path, *chain),
              ElementsAre("input>conv1x1-bn-relu>conv3x3-bn-relu>maxpool3x3>"
                          "conv3x3-bn-relu>conv1x1-bn-relu>output"));
  EXPECT_THAT(OnFeatures(*Make(*space, EncodingKind::kTruncatedPath), *chain),
              IsEmpty());
}

TEST(Nb101EncodingTest, IsomorphicCellsEncodeIdentically) {
  auto space = Nb101();
  // Interior vertices 1 (conv3x3) and 2 (conv1x1) both feed vertex 3
  // (maxpool); vertex 1 also feeds the output. The second cell swaps the
  // numbering of vertices 1 and 2.
  const nasbench101::Cell a =
      MakeCell(5, {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}, {1, 4}}, {0, 1, 2});
  const nasbench101::Cell b =
      MakeCell(5, {{0, 2}, {0, 1}, {2, 3}, {1, 3}, {3, 4}, {2, 4}}, {1, 0, 2});
  const Architecture raw_a = space->ToArchitecture(a);
  const Architecture raw_b = space->ToArchitecture(b);
  ASSERT_TRUE(space->Validate(raw_a).ok());
  ASSERT_TRUE(space->Validate(raw_b).ok());
  ASSERT_NE(raw_a, raw_b);
  ASSERT_EQ(space->Canonicalize(raw_a), space->Canonicalize(raw_b));

  // Paths do not depend on the numbering, even of raw specs.
  auto path = Make(*space, EncodingKind::kPath);
  EXPECT_EQ(EncodeVector(*path, raw_a), EncodeVector(*path, raw_b));
  EXPECT_THAT(OnFeatures(*path, raw_a),
              UnorderedElementsAre("input>conv3x3-bn-relu>output",
                                   "input>conv3x3-bn-relu>maxpool3x3>output",
                                   "input>conv1x1-bn-relu>maxpool3x3>output"));
  // The adjacency encoding does, so it is defined on canonical forms.
  auto adjacency = Make(*space, EncodingKind::kAdjacency);
  EXPECT_NE(EncodeVector(*adjacency, raw_a), EncodeVector(*adjacency, raw_b));
  EXPECT_EQ(EncodeVector(*adjacency, space->Canonicalize(raw_a)),
            EncodeVector(*adjacency, space->Canonicalize(raw_b)));
}

TEST(Nb101EncodingTest, PrunedVerticesDoNotCount) {
  auto space = Nb101();
  // Vertex 2 (maxpool) hangs off the input and reaches nothing.
  const nasbench101::Cell dangling =
      MakeCell(4, {{0, 1}, {0, 2}, {1, 3}}, {0, 2});
  const Architecture raw = space->ToArchitecture(dangling);
  ASSERT_TRUE(space->Validate(raw).ok());
  EXPECT_THAT(OnFeatures(*Make(*space, EncodingKind::kPath), raw),
              ElementsAre("input>conv3x3-bn-relu>output"));
  // Canonical: input, conv3x3, output at vertex 6; one-hot op only for the
  // used vertex 1.
  EXPECT_THAT(
      OnFeatures(*Make(*space, EncodingKind::kAdjacency),
                 space->Canonicalize(raw)),
      ElementsAre("edge0-1", "edge1-6", "vertex1=conv3x3-bn-relu"));
}

TEST(Nb101EncodingTest, TruncationKeepsTheMostFrequentPathsOnSamples) {
  // Under the space's sampling, each kept feature (at most 3 ops) is more
  // frequent than each dropped one (4 or 5 ops).
  auto space = Nb101();
  auto path = Make(*space, EncodingKind::kPath);
  std::vector<int> count(path->dimension(), 0);
  std::vector<float> code(path->dimension());
  Rng rng(2);
  for (int i = 0; i < 20000; ++i) {
    path->Encode(space->Sample(rng), code.data());
    for (int f = 0; f < path->dimension(); ++f) count[f] += code[f] == 1.0f;
  }
  const int least_kept = *std::min_element(count.begin(), count.begin() + 40);
  const int most_dropped = *std::max_element(count.begin() + 40, count.end());
  EXPECT_GT(least_kept, most_dropped);
}

// --- DARTS -----------------------------------------------------------------

constexpr char kChainNormal[] =
    "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_5x5', 1), "
    "('skip_connect', 0), ('dil_conv_3x3', 2), ('avg_pool_3x3', 1), "
    "('max_pool_3x3', 3), ('skip_connect', 0), ('sep_conv_3x3', 4)], "
    "normal_concat=[2, 3, 4, 5], "
    "reduce=[('skip_connect', 0), ('skip_connect', 1), ('skip_connect', 0), "
    "('skip_connect', 1), ('skip_connect', 0), ('skip_connect', 1), "
    "('skip_connect', 0), ('skip_connect', 1)], reduce_concat=[2, 3, 4, 5])";

TEST(DartsEncodingTest, Dimensions) {
  auto space = *DartsSpace::New();
  // Per cell and input, paths of 1..4 ops of 7.
  EXPECT_EQ(Make(*space, EncodingKind::kPath)->dimension(),
            4 * (7 + 49 + 343 + 2401));
  EXPECT_EQ(Make(*space, EncodingKind::kTruncatedPath)->dimension(),
            4 * (7 + 49));
  // Per cell 2 + 3 + 4 + 5 possible edges, 7 ops each.
  EXPECT_EQ(Make(*space, EncodingKind::kAdjacency)->dimension(), 2 * 14 * 7);
}

TEST(DartsEncodingTest, HandCountedPaths) {
  auto space = *DartsSpace::New();
  auto arch = space->Parse(kChainNormal);
  ASSERT_TRUE(arch.ok()) << arch.status();
  // Normal cell: node 2 <- (c_{k-2} sep3, c_{k-1} sep5); node 3 <-
  // (c_{k-2} skip, node 2 dil3); node 4 <- (c_{k-1} avg, node 3 max);
  // node 5 <- (c_{k-2} skip, node 4 sep3). Every node feeds the output.
  // Reduce cell: every node takes both inputs through skips.
  const std::string n0 = "normal:c_{k-2}>", n1 = "normal:c_{k-1}>";
  EXPECT_THAT(
      OnFeatures(*Make(*space, EncodingKind::kPath), *arch),
      UnorderedElementsAre(
          n0 + "sep_conv_3x3", n0 + "skip_connect",
          n0 + "sep_conv_3x3>dil_conv_3x3", n0 + "skip_connect>max_pool_3x3",
          n0 + "sep_conv_3x3>dil_conv_3x3>max_pool_3x3",
          n0 + "skip_connect>max_pool_3x3>sep_conv_3x3",
          n0 + "sep_conv_3x3>dil_conv_3x3>max_pool_3x3>sep_conv_3x3",
          n1 + "sep_conv_5x5", n1 + "avg_pool_3x3",
          n1 + "sep_conv_5x5>dil_conv_3x3", n1 + "avg_pool_3x3>sep_conv_3x3",
          n1 + "sep_conv_5x5>dil_conv_3x3>max_pool_3x3",
          n1 + "sep_conv_5x5>dil_conv_3x3>max_pool_3x3>sep_conv_3x3",
          "reduce:c_{k-2}>skip_connect", "reduce:c_{k-1}>skip_connect"));
  EXPECT_THAT(
      OnFeatures(*Make(*space, EncodingKind::kTruncatedPath), *arch),
      UnorderedElementsAre(
          n0 + "sep_conv_3x3", n0 + "skip_connect", n1 + "sep_conv_5x5",
          n1 + "avg_pool_3x3", "reduce:c_{k-2}>skip_connect",
          "reduce:c_{k-1}>skip_connect", n0 + "sep_conv_3x3>dil_conv_3x3",
          n0 + "skip_connect>max_pool_3x3", n1 + "sep_conv_5x5>dil_conv_3x3",
          n1 + "avg_pool_3x3>sep_conv_3x3"));
}

TEST(DartsEncodingTest, AdjacencyIgnoresTheOrderOfANodesInputs) {
  auto space = *DartsSpace::New();
  const Architecture canonical = *space->Parse(kChainNormal);
  Architecture swapped = canonical;
  // Swap the two (input, op) pairs of the normal cell's node 3.
  for (int g = 0; g < 2; ++g) {
    std::swap(swapped[DartsSpace::InputGene(0, 1, 0) + g],
              swapped[DartsSpace::InputGene(0, 1, 1) + g]);
  }
  ASSERT_NE(swapped, canonical);
  ASSERT_TRUE(space->Validate(swapped).ok());
  auto adjacency = Make(*space, EncodingKind::kAdjacency);
  EXPECT_EQ(EncodeVector(*adjacency, swapped),
            EncodeVector(*adjacency, canonical));
  const std::vector<std::string> on = OnFeatures(*adjacency, canonical);
  EXPECT_EQ(on.size(), 16u);  // One per (input, op) pair.
  EXPECT_EQ(on[0], "normal:0->2=sep_conv_3x3");
  auto path = Make(*space, EncodingKind::kPath);
  EXPECT_EQ(EncodeVector(*path, swapped), EncodeVector(*path, canonical));
}

// --- Any space -------------------------------------------------------------

TEST(GenericEncodingTest, OneHotWorksOnAnySpaceAndOthersSayWhy) {
  TinySpace tiny(/*num_genes=*/2, /*values=*/3);
  auto one_hot = Make(tiny, EncodingKind::kOneHot);
  EXPECT_EQ(one_hot->dimension(), 6);
  EXPECT_EQ(EncodeVector(*one_hot, Architecture({2, 0})),
            std::vector<float>({0, 0, 1, 1, 0, 0}));
  EXPECT_TRUE(HasEncoding(tiny, EncodingKind::kOneHot));
  for (EncodingKind kind : {EncodingKind::kPath, EncodingKind::kTruncatedPath,
                            EncodingKind::kAdjacency}) {
    EXPECT_FALSE(HasEncoding(tiny, kind));
    auto encoder = MakeEncoder(tiny, kind);
    ASSERT_FALSE(encoder.ok());
    EXPECT_NE(encoder.status().message().find("'tiny'; it has: one_hot"),
              std::string::npos)
        << encoder.status();
  }
}

}  // namespace
}  // namespace nas
