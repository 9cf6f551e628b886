// The local-search study's neighbourhood on raw NAS-Bench-101 specs, and the
// space's STUDY / STUDY_ON_CELLS options built from it.

#include "spaces/nasbench101/nasbench101_study.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/nasbench101/nasbench101.h"
#include "spaces/nasbench101/nasbench101_test_util.h"
#include "tests/conformance.h"

namespace nas {
namespace {

namespace cf = ::nas::conformance;
using nasbench101::Cell;
using nasbench101::EdgeOnPath;
using nasbench101::StudyNeighbours;
using nasbench101::VerticesOnPaths;
using Params = Nasbench101SpaceParams;

constexpr uint8_t kConv3 = 0, kConv1 = 1, kPool = 2;

std::unique_ptr<Nasbench101Space> MakeSpace(int max_vertices,
                                            Params::Neighborhood neighborhood,
                                            int max_edges = 9) {
  return MakeNasbench101Space(max_vertices, max_edges, neighborhood);
}

// A raw 7-vertex spec: upward edges, and the ops of vertices 1..5.
Cell RawSpec(std::vector<std::pair<int, int>> edges,
             std::array<uint8_t, 5> interior_ops) {
  Cell cell;
  cell.num_vertices = 7;
  for (auto [from, to] : edges) cell.SetEdge(from, to, true);
  for (int v = 1; v <= 5; ++v) cell.ops[v] = interior_ops[v - 1];
  return cell;
}

// The hand-made spec most tests use:
//   0 -> 1 -> 6 is the only input-output path;
//   0 -> 2: vertex 2 hangs off the input (reachable, reaches nothing);
//   3 -> 6: vertex 3 feeds the output but nothing feeds it;
//   vertices 4 and 5 have no edges.
Cell Dangling() {
  return RawSpec({{0, 1}, {1, 6}, {0, 2}, {3, 6}},
                 {kConv3, kConv1, kPool, kConv3, kConv3});
}

// What differs between two raw specs of one size, as text for messages.
std::string Diff(const Cell& a, const Cell& b) {
  std::string out;
  for (int v = 0; v < a.num_vertices; ++v) {
    if (v > 0 && v < a.num_vertices - 1 && a.ops[v] != b.ops[v]) {
      absl::StrAppend(&out, "op", v, " ");
    }
    for (int w = v + 1; w < a.num_vertices; ++w) {
      if (a.HasEdge(v, w) != b.HasEdge(v, w)) {
        absl::StrAppend(&out, "edge", v, "-", w, " ");
      }
    }
  }
  return out;
}

TEST(PathsTest, OnlyInputOutputPathVerticesAndEdges) {
  const Cell raw = Dangling();
  EXPECT_EQ(VerticesOnPaths(raw), (1u << 0) | (1u << 1) | (1u << 6));
  EXPECT_TRUE(EdgeOnPath(raw, 0, 1));
  EXPECT_TRUE(EdgeOnPath(raw, 1, 6));
  EXPECT_FALSE(EdgeOnPath(raw, 0, 2));  // 2 does not reach the output
  EXPECT_FALSE(EdgeOnPath(raw, 3, 6));  // nothing reaches 3
  // Absent edges that would lie on a path once added.
  EXPECT_TRUE(EdgeOnPath(raw, 2, 3));
  EXPECT_TRUE(EdgeOnPath(raw, 0, 6));
  EXPECT_FALSE(EdgeOnPath(raw, 4, 5));
  Cell cut = raw;
  cut.SetEdge(1, 6, false);
  EXPECT_EQ(VerticesOnPaths(cut), 0u);
}

TEST(StudyNeighboursTest, HandCountedOnDanglingSpec) {
  // Op changes: only vertex 1 is an interior vertex on the path: 2.
  // Toggles: `from` reachable from the input {0, 1, 2}, `to` reaching the
  // output {0, 1, 3, 6}, from < to:
  //   0->1 and 1->6 removed: the output is cut off, invalid;
  //   0->3, 0->6, 1->3, 2->3, 2->6 added: valid, 5.
  // Vertices 4 and 5 never take part; 0->2 and 3->6 are never removed.
  const Cell raw = Dangling();
  const std::vector<Cell> neighbours = StudyNeighbours(raw, 9);
  std::vector<std::string> moves;
  for (const Cell& n : neighbours) moves.push_back(Diff(raw, n));
  EXPECT_THAT(moves,
              ::testing::ElementsAre("op1 ", "op1 ", "edge0-3 ", "edge0-6 ",
                                     "edge1-3 ", "edge2-3 ", "edge2-6 "));
  // The pruned cell is input -> conv3x3 -> output (3 vertices); adding 2->3
  // brings both dangling vertices in: the pruned cell grows to 5 vertices.
  EXPECT_EQ(nasbench101::Prune(raw)->num_vertices, 3);
  EXPECT_EQ(nasbench101::Prune(neighbours[5])->num_vertices, 5);
  // The pruned neighbourhood of that 3-vertex cell has 3 members and no
  // larger cell.
  auto pruned_space = MakeSpace(7, Params::PRUNED);
  auto study_space = MakeSpace(7, Params::STUDY);
  const Architecture arch = study_space->ToArchitecture(raw);
  std::vector<Architecture> pruned_neighbours;
  pruned_space->Neighbors(pruned_space->Canonicalize(arch), &pruned_neighbours);
  EXPECT_EQ(pruned_neighbours.size(), 3);
  for (const Architecture& n : pruned_neighbours) {
    EXPECT_LE(pruned_space->PrunedCell(n).num_vertices, 3);
  }
  std::vector<Architecture> study_neighbours;
  study_space->Neighbors(arch, &study_neighbours);
  ASSERT_EQ(study_neighbours.size(), 7);  // all seven prune differently
  for (size_t i = 0; i < neighbours.size(); ++i) {
    EXPECT_EQ(study_neighbours[i], study_space->ToArchitecture(neighbours[i]));
  }
}

TEST(StudyNeighboursTest, EdgeLimitCountsAfterPruning) {
  // 0->1->6 plus nine edges among vertices 2..5 and the output, which
  // nothing feeds: 11 raw edges, 2 after pruning, so the spec is valid.
  const Cell raw = RawSpec({{0, 1},
                            {1, 6},
                            {2, 3},
                            {2, 4},
                            {2, 5},
                            {3, 4},
                            {3, 5},
                            {4, 5},
                            {3, 6},
                            {4, 6},
                            {5, 6}},
                           {kConv3, kConv3, kConv3, kConv3, kConv3});
  ASSERT_EQ(raw.NumEdges(), 11);
  ASSERT_EQ(nasbench101::Prune(raw)->NumEdges(), 2);
  auto moves = [&](int max_edges) {
    std::vector<std::string> out;
    for (const Cell& n : StudyNeighbours(raw, max_edges)) {
      out.push_back(Diff(raw, n));
    }
    return out;
  };
  // Adding 0->2 or 1->2 attaches 2..5: 2 + 1 + 9 = 12 edges after pruning.
  // Adding 0->3 attaches 3..5: 2 + 1 + 6 = 9; 0->4: 2 + 1 + 3 = 6.
  EXPECT_THAT(moves(9), ::testing::ElementsAre(
                            "op1 ", "op1 ", "edge0-3 ", "edge0-4 ", "edge0-5 ",
                            "edge0-6 ", "edge1-3 ", "edge1-4 ", "edge1-5 "));
  EXPECT_THAT(moves(12), ::testing::Contains("edge0-2 "));
  EXPECT_THAT(moves(12), ::testing::Contains("edge1-2 "));
  EXPECT_THAT(moves(8), ::testing::Not(::testing::Contains("edge0-3 ")));
}

TEST(StudyNeighboursTest, IsomorphicResultsAreOneNeighbourOfTheSpace) {
  // Adding 0->3 or 2->6 to Dangling() with equal ops on vertices 1, 2 and 3
  // gives two raw specs that both prune to a diamond of two conv3x3 arms.
  const Cell raw = RawSpec({{0, 1}, {1, 6}, {0, 2}, {3, 6}},
                           {kConv3, kConv3, kConv3, kPool, kPool});
  EXPECT_EQ(StudyNeighbours(raw, 9).size(), 7);
  auto space = MakeSpace(7, Params::STUDY);
  std::vector<Architecture> neighbours;
  space->Neighbors(space->ToArchitecture(raw), &neighbours);
  ASSERT_EQ(neighbours.size(), 6);
  absl::flat_hash_set<uint64_t> hashes;
  for (const Architecture& n : neighbours) hashes.insert(space->Hash(n));
  EXPECT_EQ(hashes.size(), 6);
  // The first in the study's order (0->3) is the one kept.
  Cell first = raw;
  first.SetEdge(0, 3, true);
  EXPECT_EQ(neighbours[2], space->ToArchitecture(first));
}

// Properties over many sampled raw specs, for 7 and 5 vertices.
class StudyPropertiesTest : public ::testing::TestWithParam<int> {};

TEST_P(StudyPropertiesTest, MovesAreTheStudysAndSymmetric) {
  const int max_vertices = GetParam();
  auto space = MakeSpace(max_vertices, Params::STUDY);
  Rng rng(17);
  int grew = 0;
  for (int i = 0; i < 400; ++i) {
    const Architecture arch = space->Sample(rng);
    ASSERT_TRUE(space->Validate(arch).ok());
    Cell raw;
    raw.num_vertices = max_vertices;
    // The genes as the raw spec (ToArchitecture's inverse on a full frame).
    for (int from = 0, gene = 0; from < max_vertices; ++from) {
      for (int to = from + 1; to < max_vertices; ++to, ++gene) {
        if (arch[gene]) raw.SetEdge(from, to, true);
      }
    }
    for (int v = 1; v < max_vertices - 1; ++v) {
      raw.ops[v] = arch[space->num_edge_genes() + v - 1];
    }
    ASSERT_EQ(space->ToArchitecture(raw), arch);
    const int pruned_size = nasbench101::Prune(raw)->num_vertices;
    const uint32_t on_path = VerticesOnPaths(raw);
    for (const Cell& n : StudyNeighbours(raw, 9)) {
      SCOPED_TRACE(nasbench101::CellToString(n));
      int changed_ops = 0, changed_edges = 0;
      for (int v = 1; v < max_vertices - 1; ++v) {
        if (n.ops[v] != raw.ops[v]) {
          ++changed_ops;
          EXPECT_TRUE((on_path >> v) & 1) << "op changed off every path";
        }
      }
      for (int from = 0; from < max_vertices; ++from) {
        for (int to = from + 1; to < max_vertices; ++to) {
          if (n.HasEdge(from, to) == raw.HasEdge(from, to)) continue;
          ++changed_edges;
          EXPECT_TRUE(EdgeOnPath(raw, from, to));
        }
      }
      EXPECT_EQ(changed_ops + changed_edges, 1);
      absl::StatusOr<Cell> pruned = nasbench101::Prune(n);
      ASSERT_TRUE(pruned.ok());
      EXPECT_LE(pruned->NumEdges(), 9);
      EXPECT_NE(nasbench101::Canonical(*pruned),
                nasbench101::Canonical(*nasbench101::Prune(raw)));
      grew += pruned->num_vertices > pruned_size;
      // Symmetric: the move back is a study move of the neighbour.
      const std::vector<Cell> back = StudyNeighbours(n, 9);
      EXPECT_NE(std::find(back.begin(), back.end(), raw), back.end());
    }
  }
  EXPECT_GT(grew, 0) << "no neighbour's pruned cell was larger";
}

TEST_P(StudyPropertiesTest, ConformsUnderEveryNeighbourhood) {
  for (Params::Neighborhood neighborhood :
       {Params::STUDY, Params::PRUNED, Params::STUDY_ON_CELLS}) {
    SCOPED_TRACE(Params::Neighborhood_Name(neighborhood));
    auto space = MakeSpace(GetParam(), neighborhood);
    EXPECT_TRUE(cf::NameIs(*space, "nasbench101"));
    EXPECT_TRUE(cf::SamplesAreValidAndCanonical(*space));
    EXPECT_TRUE(cf::TextRoundTrips(*space));
    // Raw 5-vertex draws are often the bare input -> output cell, which has
    // no pruned neighbour (the conformance suite allows as many).
    EXPECT_TRUE(cf::NeighboursAreDistinctValidCanonicalAndStable(
        *space, /*samples=*/50, /*max_isolated=*/GetParam() == 5 ? 15 : 5));
    EXPECT_TRUE(cf::GarbageTextIsAnError(*space));
    EXPECT_TRUE(cf::SameSeedSameSamples(*space));
  }
}

INSTANTIATE_TEST_SUITE_P(Vertices, StudyPropertiesTest,
                         ::testing::Values(5, 7));

TEST(SpaceOptionTest, DefaultIsTheStudysOnlyForSevenVertices) {
  Params params;
  EXPECT_EQ((*Nasbench101Space::New(params))->neighborhood(), Params::STUDY);
  params.set_max_vertices(5);
  EXPECT_EQ((*Nasbench101Space::New(params))->neighborhood(), Params::PRUNED);
  params.set_max_vertices(4);
  EXPECT_EQ((*Nasbench101Space::New(params))->neighborhood(), Params::PRUNED);
}

TEST(SpaceOptionTest, StudyStatesAreRawSpecsEvaluatedThroughThePrunedCell) {
  auto study = MakeSpace(7, Params::STUDY);
  auto pruned = MakeSpace(7, Params::PRUNED);
  const Architecture raw = study->ToArchitecture(Dangling());
  ASSERT_TRUE(study->Validate(raw).ok());
  EXPECT_EQ(study->Canonicalize(raw), raw);  // dangling parts kept
  EXPECT_NE(pruned->Canonicalize(raw), raw);
  EXPECT_EQ(study->Hash(raw), pruned->Hash(pruned->Canonicalize(raw)));
  EXPECT_EQ(study->ModuleHash(raw), pruned->ModuleHash(raw));
  EXPECT_EQ(study->Size(), pruned->Size());
  // The whole 7-vertex matrix is written and read back.
  EXPECT_EQ(study->ToString(raw),
            "adj=0110000000000100000000000001000000000000000000000 "
            "ops=input|conv3x3-bn-relu|conv1x1-bn-relu|maxpool3x3|"
            "conv3x3-bn-relu|conv3x3-bn-relu|output");
  EXPECT_EQ(*study->Parse(study->ToString(raw)), raw);
  // A smaller matrix (a table row) is placed in the frame as written.
  EXPECT_EQ(*study->Parse("adj=010001000 ops=input|conv3x3-bn-relu|output"),
            study->ToArchitecture(RawSpec({{0, 1}, {1, 6}}, {0, 0, 0, 0, 0})));
  // No enumerator: raw states outnumber the cells it would list.
  EXPECT_EQ(study->enumerator(), nullptr);
  EXPECT_NE(MakeSpace(7, Params::STUDY_ON_CELLS)->enumerator(), nullptr);
}

TEST(SpaceOptionTest, StudyOnCellsProjectsTheStudyMovesOfTheCanonicalSpec) {
  auto on_cells = MakeSpace(5, Params::STUDY_ON_CELLS);
  auto study = MakeSpace(5, Params::STUDY);
  auto pruned = MakeSpace(5, Params::PRUNED);
  int fewer = 0;
  for (const Architecture& cell : nasbench101::EnumerateAll(5, 9)) {
    std::vector<Architecture> projected, raw, pruned_neighbours;
    on_cells->Neighbors(cell, &projected);
    study->Neighbors(cell, &raw);
    // Same classes, in the same order (both keep the first of a class).
    ASSERT_EQ(projected.size(), raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      EXPECT_EQ(projected[i], on_cells->Canonicalize(raw[i]));
    }
    // The canonical spec has no dangling vertex, so nothing can grow, and
    // an edge can only be added upwards in canonical order: a subset of the
    // pruned neighbourhood.
    pruned->Neighbors(cell, &pruned_neighbours);
    const absl::flat_hash_set<Architecture> pruned_set(
        pruned_neighbours.begin(), pruned_neighbours.end());
    for (const Architecture& n : projected) {
      EXPECT_TRUE(pruned_set.contains(n)) << on_cells->ToString(n);
    }
    fewer += projected.size() < pruned_neighbours.size();
  }
  EXPECT_GT(fewer, 0);
}

}  // namespace
}  // namespace nas
