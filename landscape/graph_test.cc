#include "landscape/graph.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/darts/darts.h"
#include "spaces/nasbench101/nasbench101.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

// A small non-indexable space with a symmetry: three genes in 0..2 whose
// order does not matter (canonical form: sorted), so 10 classes (multisets
// of size 3 from 3 values). Neighbours: change one gene, re-sort.
class MultisetSpace : public SearchSpace {
 public:
  std::string name() const override { return "multiset"; }
  absl::Span<const int> gene_cardinalities() const override { return cards_; }
  absl::uint128 Size() const override { return 10; }
  absl::Status Validate(const Architecture& arch) const override {
    if (arch.size() != 3) return absl::InvalidArgumentError("3 genes");
    for (int g = 0; g < 3; ++g) {
      if (arch[g] > 2) return absl::InvalidArgumentError("gene > 2");
    }
    return absl::OkStatus();
  }
  Architecture Canonicalize(const Architecture& arch) const override {
    std::vector<uint8_t> genes(arch.genes().begin(), arch.genes().end());
    std::sort(genes.begin(), genes.end());
    return Architecture(genes);
  }
  Architecture Sample(Rng& rng) const override {
    return Canonicalize(Architecture{static_cast<int>(rng.UniformInt(3)),
                                     static_cast<int>(rng.UniformInt(3)),
                                     static_cast<int>(rng.UniformInt(3))});
  }
  void Neighbors(const Architecture& arch,
                 std::vector<Architecture>* out) const override {
    out->clear();
    for (int g = 0; g < 3; ++g) {
      for (int v = 0; v < 3; ++v) {
        if (v == arch[g]) continue;
        Architecture n = arch;
        n[g] = static_cast<uint8_t>(v);
        n = Canonicalize(n);
        if (std::find(out->begin(), out->end(), n) == out->end()) out->push_back(n);
      }
    }
  }
  std::string ToString(const Architecture& arch) const override {
    return arch.DebugString();
  }
  absl::StatusOr<Architecture> Parse(absl::string_view) const override {
    return absl::UnimplementedError("not needed");
  }

 private:
  std::vector<int> cards_ = {3, 3, 3};
};

TEST(GraphTest, GeneEnumerationOfASmallSymmetricSpace) {
  const MultisetSpace space;
  ASSERT_TRUE(CheckEnumerable(space).ok());
  auto graph = BuildNeighbourGraph(space);
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ(graph->numbering, "gene enumeration");
  ASSERT_EQ(graph->size(), 10);
  // Sorted by genes: [0,0,0], [0,0,1], [0,0,2], [0,1,1], ...
  EXPECT_EQ(graph->architectures[0], (Architecture{0, 0, 0}));
  EXPECT_EQ(graph->architectures[1], (Architecture{0, 0, 1}));
  EXPECT_EQ(graph->architectures[9], (Architecture{2, 2, 2}));
  // [0,0,0] -> [0,0,1], [0,0,2] (all three genes give the same classes).
  EXPECT_THAT(graph->Neighbors(0), ::testing::ElementsAre(1, 2));
  // [0,1,2]: change any one gene: [0,1,1]? no -- {1,1,2},{2,1,2},{0,0,2},
  // {0,2,2},{0,1,0},{0,1,1}: six distinct classes.
  const auto it = std::find(graph->architectures.begin(),
                            graph->architectures.end(), Architecture{0, 1, 2});
  const int64_t v = it - graph->architectures.begin();
  EXPECT_EQ(graph->Degree(v), 6);
  EXPECT_TRUE(graph->IsSymmetric());
  std::vector<int32_t> ranks = graph->tie_rank;
  std::sort(ranks.begin(), ranks.end());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(ranks[i], i);
}

TEST(GraphTest, Nasbench201IsTheRegular24NeighbourHammingGraph) {
  auto space = *Nasbench201Space::New();
  auto graph = BuildNeighbourGraph(*space, 2);
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(graph->numbering, "space index");
  EXPECT_EQ(graph->size(), 15625);
  EXPECT_EQ(graph->num_edges(), 15625 * 24);
  EXPECT_EQ(graph->MinDegree(), 24);
  EXPECT_EQ(graph->MaxDegree(), 24);
  EXPECT_TRUE(graph->IsSymmetric());
  // Vertex i is official index i; its neighbours differ in one edge.
  for (int64_t v : {0, 1, 7777, 15624}) {
    EXPECT_EQ(space->ToIndex(graph->architectures[v]), v);
    for (int32_t u : graph->Neighbors(v)) {
      int differing = 0;
      for (int g = 0; g < 6; ++g) {
        differing += graph->architectures[v][g] != graph->architectures[u][g];
      }
      EXPECT_EQ(differing, 1);
    }
  }
  // The tie rank orders by genes: the all-"none" cell comes first.
  const int64_t none = space->ToIndex(Architecture{0, 0, 0, 0, 0, 0});
  EXPECT_EQ(graph->tie_rank[none], 0);
  // Threads do not change the result.
  auto single = BuildNeighbourGraph(*space, 1);
  EXPECT_EQ(single->targets, graph->targets);
}

// The EC-NAS-Bench sub-space with at most 5 vertices (2,532 classes) goes
// through the same NAS-Bench-101 path as the full space.
TEST(GraphTest, Nasbench101SubspaceByEnumeration) {
  Nasbench101SpaceParams params;
  params.set_max_vertices(5);
  auto space = *Nasbench101Space::New(params);
  auto graph = BuildNeighbourGraph(*space);
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ(graph->numbering, "the space's own enumeration");
  EXPECT_EQ(graph->size(), 2532);
  EXPECT_TRUE(std::is_sorted(graph->architectures.begin(),
                             graph->architectures.end()));
  // Every neighbour list is the space's own, mapped to vertices.
  std::vector<Architecture> neighbors;
  for (int64_t v = 0; v < graph->size(); v += 97) {
    space->Neighbors(graph->architectures[v], &neighbors);
    ASSERT_EQ(graph->Degree(v), static_cast<int>(neighbors.size()));
    for (size_t i = 0; i < neighbors.size(); ++i) {
      EXPECT_EQ(graph->architectures[graph->Neighbors(v)[i]], neighbors[i]);
    }
  }
  // The bare input -> output cell has no neighbours.
  EXPECT_EQ(graph->MinDegree(), 0);
  EXPECT_FALSE(graph->IsSymmetric());
}

TEST(GraphTest, DartsCannotBeEnumeratedAndTheErrorSaysWhatIsPossible) {
  auto space = *DartsSpace::New();
  const absl::Status s = CheckEnumerable(*space);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("'darts'"));
  EXPECT_THAT(s.message(), HasSubstr("cannot be computed exactly"));
  EXPECT_THAT(s.message(), HasSubstr("simulated local-search climbs"));
  EXPECT_EQ(BuildNeighbourGraph(*space).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace nas
