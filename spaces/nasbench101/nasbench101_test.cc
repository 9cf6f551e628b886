#include "spaces/nasbench101/nasbench101.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "objectives/common/csv_table.h"
#include "spaces/nasbench101/nasbench101_test_util.h"

namespace nas {
namespace {

using nasbench101::Canonical;
using nasbench101::Cell;
using nasbench101::CellToString;
using nasbench101::CheckPruned;
using nasbench101::ModuleHash;
using nasbench101::ParseCell;
using nasbench101::Prune;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;

// The pruned neighbourhood unless asked otherwise: most tests here are about
// pruned canonical cells (nasbench101_study_test.cc has the study's).
std::unique_ptr<Nasbench101Space> MakeSpace(
    int max_vertices, int max_edges,
    Nasbench101SpaceParams::Neighborhood neighborhood =
        Nasbench101SpaceParams::PRUNED) {
  return MakeNasbench101Space(max_vertices, max_edges, neighborhood);
}

Cell MustParseCell(absl::string_view text) {
  absl::StatusOr<Cell> cell = ParseCell(text);
  EXPECT_TRUE(cell.ok()) << text << ": " << cell.status();
  return cell.ok() ? *cell : Cell();
}

// The text form of an n-vertex cell with the given edges (any direction) and
// interior ops, written out by hand-checkable parts.
std::string CellText(int n, std::vector<std::pair<int, int>> edges,
                     std::vector<absl::string_view> interior_ops) {
  std::string adj(n * n, '0');
  for (auto [from, to] : edges) adj[from * n + to] = '1';
  std::string ops = "input";
  for (absl::string_view op : interior_ops) absl::StrAppend(&ops, "|", op);
  return absl::StrCat("adj=", adj, " ops=", ops, "|output");
}

constexpr absl::string_view kConv3 = "conv3x3-bn-relu";
constexpr absl::string_view kConv1 = "conv1x1-bn-relu";
constexpr absl::string_view kPool = "maxpool3x3";

// The cell of nasbench's api.py docstring (an Inception-like module), and the
// isomorphic form the dataset stores for it (printed in the same docstring).
constexpr absl::string_view kInceptionAsWritten =
    "adj=0111010000000100000010000100000000100000010000000 "
    "ops=input|conv1x1-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|"
    "conv3x3-bn-relu|maxpool3x3|output";
constexpr absl::string_view kInceptionAsStored =
    "adj=0111100000000100000010000001000001000000010000000 "
    "ops=input|conv3x3-bn-relu|conv1x1-bn-relu|maxpool3x3|"
    "conv3x3-bn-relu|conv3x3-bn-relu|output";

// ---------------------------------------------------------------------------
// Module hash against published data: every row of both EC-NAS-Bench files.

struct EcNasFile {
  const char* name;
  int max_vertices;
  int num_archs;
};

constexpr EcNasFile kEcNasFiles[] = {
    {"ecnas_4V9E_4epochs_runs.csv", 4, 91},
    {"ecnas_5V9E_4epochs_runs.csv", 5, 2532},
};

std::string EcNasPath(const EcNasFile& file) {
  return absl::StrCat(TestDataDir(), "/ec-nas-bench/", file.name);
}

TEST(ModuleHashTest, MatchesEveryEcNasBenchRow) {
  for (const EcNasFile& file : kEcNasFiles) {
    SCOPED_TRACE(file.name);
    auto table = CsvTable::Read(EcNasPath(file), "");
    ASSERT_TRUE(table.ok()) << table.status();
    auto hash_column = table->Column("module_hash");
    auto vertices_column = table->Column("num_vertices");
    auto adjacency_column = table->Column("adjacency_rowmajor");
    auto ops_column = table->Column("ops");
    ASSERT_TRUE(hash_column.ok() && vertices_column.ok() &&
                adjacency_column.ok() && ops_column.ok());
    auto space = MakeSpace(file.max_vertices, 9);
    ASSERT_NE(space, nullptr);
    ASSERT_GT(table->num_rows(), 0);
    absl::flat_hash_set<Architecture> archs;
    for (int row = 0; row < table->num_rows(); ++row) {
      SCOPED_TRACE(table->Where(row));
      const std::string text =
          absl::StrCat("adj=", table->Cell(row, *adjacency_column),
                       " ops=", table->Cell(row, *ops_column));
      const std::string expected(table->Cell(row, *hash_column));
      absl::StatusOr<Cell> cell = ParseCell(text);
      ASSERT_TRUE(cell.ok()) << cell.status();
      EXPECT_EQ(std::to_string(cell->num_vertices),
                table->Cell(row, *vertices_column));
      // Tables store pruned cells; the hash of the cell as written must match.
      EXPECT_TRUE(CheckPruned(*cell).ok()) << CheckPruned(*cell);
      EXPECT_EQ(ModuleHash(*cell), expected);
      // Through the space: Parse canonicalises, which must not change it.
      absl::StatusOr<Architecture> arch = space->Parse(text);
      ASSERT_TRUE(arch.ok()) << arch.status();
      EXPECT_EQ(space->ModuleHash(*arch), expected);
      EXPECT_EQ(space->Hash(*arch),
                *nasbench101::ModuleHashPrefix(expected));
      archs.insert(*arch);
    }
    // Rows repeat architectures (the 4V file has 3 training repeats); the
    // distinct ones are the whole sub-space.
    EXPECT_EQ(archs.size(), file.num_archs);
  }
}

// The first row of ecnas_4V9E_4epochs_runs.csv, spelled out.
TEST(ModuleHashTest, KnownValue) {
  const Cell cell = MustParseCell(
      "adj=0110001000010000 ops=input|maxpool3x3|maxpool3x3|output");
  EXPECT_EQ(ModuleHash(cell), "001a6fcc8b38cbc515be788a86bdc804");
  auto space = MakeSpace(4, 9);
  auto arch = space->Parse(CellToString(cell));
  ASSERT_TRUE(arch.ok());
  EXPECT_EQ(space->Hash(*arch), 0x001a6fcc8b38cbc5ULL);
}

TEST(ModuleHashTest, PrefixReadsSixteenHexDigits) {
  EXPECT_EQ(*nasbench101::ModuleHashPrefix("001a6fcc8b38cbc515be788a86bdc804"),
            0x001a6fcc8b38cbc5ULL);
  EXPECT_EQ(*nasbench101::ModuleHashPrefix("FFFFFFFFFFFFFFFF"), ~0ULL);
  EXPECT_THAT(nasbench101::ModuleHashPrefix("001a6fcc8b38cbc").status().message(),
              HasSubstr("shorter than 16"));
  EXPECT_THAT(nasbench101::ModuleHashPrefix("001a6fcc8b38cbcg55").status().message(),
              HasSubstr("character 16 'g'"));
}

// Every reordering of the interior vertices (including ones that make the
// matrix non-upper-triangular) is the same graph: same hash, same canonical
// cell.
TEST(ModuleHashTest, InvariantUnderVertexPermutation) {
  const Cell cell = MustParseCell(kInceptionAsWritten);
  const std::string hash = ModuleHash(cell);
  const Cell canonical = Canonical(cell);
  std::array<int, 7> position = {0, 1, 2, 3, 4, 5, 6};
  int permutations = 0;
  do {
    Cell moved;
    moved.num_vertices = 7;
    for (int v = 0; v < 7; ++v) {
      moved.ops[position[v]] = cell.ops[v];
      for (int w = 0; w < 7; ++w) {
        if (cell.HasEdge(v, w)) moved.SetEdge(position[v], position[w], true);
      }
    }
    EXPECT_EQ(ModuleHash(moved), hash);
    EXPECT_EQ(Canonical(moved), canonical);
    ++permutations;
  } while (std::next_permutation(position.begin() + 1, position.begin() + 6));
  EXPECT_EQ(permutations, 120);
}

TEST(ModuleHashTest, PublishedIsomorphicPairIsOneArchitecture) {
  auto space = MakeSpace(7, 9);
  auto written = space->Parse(kInceptionAsWritten);
  auto stored = space->Parse(kInceptionAsStored);
  ASSERT_TRUE(written.ok() && stored.ok());
  EXPECT_EQ(*written, *stored);
  EXPECT_EQ(ModuleHash(MustParseCell(kInceptionAsWritten)),
            ModuleHash(MustParseCell(kInceptionAsStored)));
}

TEST(ModuleHashTest, DiffersForNonIsomorphicCells) {
  // Same vertices, same ops, same degrees: only the order along the chain
  // differs.
  const Cell conv_then_pool = MustParseCell(
      "adj=0100001000010000 ops=input|conv3x3-bn-relu|maxpool3x3|output");
  const Cell pool_then_conv = MustParseCell(
      "adj=0100001000010000 ops=input|maxpool3x3|conv3x3-bn-relu|output");
  EXPECT_NE(ModuleHash(conv_then_pool), ModuleHash(pool_then_conv));
  EXPECT_NE(Canonical(conv_then_pool), Canonical(pool_then_conv));
  // Same ops, one extra edge.
  const Cell with_skip = MustParseCell(
      "adj=0101001000010000 ops=input|conv3x3-bn-relu|maxpool3x3|output");
  EXPECT_NE(ModuleHash(conv_then_pool), ModuleHash(with_skip));
}

// ---------------------------------------------------------------------------
// Pruning

TEST(PruneTest, DanglingVerticesAreDropped) {
  // 0->1->4 is the only path; vertex 2 has no way to the output, vertex 3 no
  // way from the input.
  const Cell raw = MustParseCell(
      CellText(5, {{0, 1}, {1, 4}, {0, 2}, {3, 4}}, {kConv1, kPool, kConv3}));
  EXPECT_THAT(CheckPruned(raw).message(),
              HasSubstr("vertex 2 is not on any input-to-output path"));
  absl::StatusOr<Cell> pruned = Prune(raw);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(CellToString(*pruned),
            "adj=010001000 ops=input|conv1x1-bn-relu|output");
  EXPECT_TRUE(CheckPruned(*pruned).ok());
  // Spaces hash and print the pruned cell (nasbench hashes after _prune).
  auto space = MakeSpace(5, 9);
  auto arch = space->Parse(CellToString(raw));
  ASSERT_TRUE(arch.ok()) << arch.status();
  EXPECT_EQ(space->ModuleHash(*arch), ModuleHash(*pruned));
  EXPECT_EQ(space->ToString(*arch),
            "adj=010001000 ops=input|conv1x1-bn-relu|output");
}

TEST(PruneTest, KeepsEdgesBetweenKeptVertices) {
  // Vertex 2 hangs off vertex 1; 0->1, 1->3, 0->3 remain.
  const Cell raw = MustParseCell(
      CellText(4, {{0, 1}, {1, 2}, {1, 3}, {0, 3}}, {kPool, kConv3}));
  absl::StatusOr<Cell> pruned = Prune(raw);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned,
            MustParseCell(CellText(3, {{0, 1}, {1, 2}, {0, 2}}, {kPool})));
}

TEST(PruneTest, DisconnectedOutputIsInvalid) {
  const Cell raw = MustParseCell(CellText(4, {{0, 1}, {2, 3}}, {kPool, kPool}));
  EXPECT_THAT(Prune(raw).status().message(),
              HasSubstr("output (vertex 3) is not reachable from input"));
  EXPECT_THAT(CheckPruned(raw).message(), HasSubstr("not reachable"));
}

// ---------------------------------------------------------------------------
// Parameters, genes, validity

TEST(SpaceTest, IsRegisteredByName) {
  auto entry = GlobalSearchSpaceRegistry().Find("nasbench101");
  ASSERT_TRUE(entry.ok()) << entry.status();
  auto made = (*entry)->factory(nullptr);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ((*made)->name(), "nasbench101");
  EXPECT_EQ((*made)->gene_cardinalities().size(), 21 + 5);
  Nasbench101SpaceParams params;
  params.set_max_vertices(5);
  auto five = (*entry)->factory(&params);
  ASSERT_TRUE(five.ok()) << five.status();
  EXPECT_EQ((*five)->Size(), 2532);
  EXPECT_FALSE((*five)->IsIndexable());
}

TEST(SpaceTest, RejectsBadParameters) {
  Nasbench101SpaceParams params;
  params.set_max_vertices(8);
  EXPECT_THAT(Nasbench101Space::New(params).status().message(),
              HasSubstr("max_vertices is 8; set it to 2..7"));
  params.set_max_vertices(1);
  EXPECT_THAT(Nasbench101Space::New(params).status().message(),
              HasSubstr("max_vertices is 1"));
  params.set_max_vertices(7);
  params.set_max_edges(0);
  EXPECT_THAT(Nasbench101Space::New(params).status().message(),
              HasSubstr("max_edges is 0; set it to 1..21"));
  params.set_max_edges(22);
  EXPECT_THAT(Nasbench101Space::New(params).status().message(),
              HasSubstr("max_edges is 22"));
}

TEST(SpaceTest, GeneLayoutIsTheNasbenchMatrixThenOps) {
  auto space = MakeSpace(7, 9);
  // input -> conv1x1 -> output: edge 0->1 is gene 0, edge 1->6 is gene 10
  // (row 0 has genes 0..5, row 1 genes 6..10), vertex 1's op is gene 21.
  Architecture expected(26);
  expected[0] = 1;
  expected[10] = 1;
  expected[21] = 1;
  auto arch = space->Parse("adj=010001000 ops=input|conv1x1-bn-relu|output");
  ASSERT_TRUE(arch.ok()) << arch.status();
  EXPECT_EQ(*arch, expected);
  EXPECT_TRUE(space->Validate(expected).ok());
  EXPECT_EQ(space->Canonicalize(expected), expected);
}

TEST(ValidateTest, NamesWhatIsWrong) {
  auto space = MakeSpace(4, 9);  // 6 edge genes, then 2 op genes
  EXPECT_THAT(space->gene_cardinalities(),
              ElementsAre(2, 2, 2, 2, 2, 2, 3, 3));
  EXPECT_TRUE(space->Validate(Architecture({0, 0, 1, 0, 0, 0, 0, 0})).ok());
  EXPECT_THAT(space->Validate(Architecture({0, 0, 1})).message(),
              HasSubstr("has 3 genes"));
  EXPECT_THAT(
      space->Validate(Architecture({0, 0, 1, 0, 2, 0, 0, 0})).message(),
      HasSubstr("gene 4 (edge 1->3) is 2; edge genes are 0 or 1"));
  EXPECT_THAT(
      space->Validate(Architecture({0, 0, 1, 0, 0, 0, 0, 3})).message(),
      HasSubstr("gene 7 (op of vertex 2) is 3"));
  EXPECT_THAT(
      space->Validate(Architecture({1, 1, 0, 0, 0, 0, 0, 0})).message(),
      HasSubstr("output (vertex 3) is not reachable from input"));
  // Dangling edges are pruned, not rejected (nasbench's semantics): 0->1 and
  // 0->2 lead nowhere, and the cell is input -> output.
  const Architecture dangling({1, 1, 1, 0, 0, 0, 2, 2});
  EXPECT_TRUE(space->Validate(dangling).ok());
  EXPECT_EQ(space->Canonicalize(dangling),
            Architecture({0, 0, 1, 0, 0, 0, 0, 0}));
}

TEST(ValidateTest, LimitsApplyAfterPruning) {
  auto space = MakeSpace(7, 9);
  // A chain 0->1->...->6 plus 0->2, 0->3, 0->4, 0->5: ten edges, all used.
  const std::string ten_edges =
      CellText(7,
               {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {0, 2},
                {0, 3}, {0, 4}, {0, 5}},
               {kConv3, kConv3, kConv1, kPool, kConv3});
  EXPECT_THAT(space->Parse(ten_edges).status().message(),
              HasSubstr("10 edges, at most 9 allowed"));
  EXPECT_THAT(space->Validate(space->ToArchitecture(MustParseCell(ten_edges)))
                  .message(),
              HasSubstr("10 edges, at most 9 allowed"));
  // Eleven edges as written, nine after vertex 5 (no way out) is pruned.
  const std::string eleven_raw =
      CellText(7,
               {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 6}, {0, 2}, {0, 3},
                {0, 4}, {1, 3}, {4, 5}, {0, 5}},
               {kConv3, kConv3, kConv1, kPool, kConv3});
  auto arch = space->Parse(eleven_raw);
  ASSERT_TRUE(arch.ok()) << arch.status();
  EXPECT_EQ(space->PrunedCell(*arch).num_vertices, 6);
  EXPECT_EQ(space->PrunedCell(*arch).NumEdges(), 9);
  EXPECT_TRUE(space->Validate(space->ToArchitecture(MustParseCell(eleven_raw)))
                  .ok());

  auto four = MakeSpace(4, 9);
  const std::string five_chain = CellText(
      5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}}, {kConv3, kConv3, kConv3});
  EXPECT_THAT(four->Parse(five_chain).status().message(),
              HasSubstr("5 vertices after pruning, at most 4 allowed"));
  // Five vertices as written, four after pruning: fits.
  const std::string five_prunes_to_four = CellText(
      5, {{0, 1}, {1, 2}, {2, 4}, {0, 3}}, {kConv3, kConv3, kPool});
  EXPECT_TRUE(four->Parse(five_prunes_to_four).ok());
}

TEST(ParseTest, NamesTheOffendingPart) {
  auto space = MakeSpace(7, 9);
  auto message = [&](absl::string_view text) {
    return std::string(space->Parse(text).status().message());
  };
  EXPECT_TRUE(space->Parse("adj=0100 ops=input|output").ok());
  EXPECT_TRUE(space->Parse("  adj=0100   ops=input|output\n").ok());
  EXPECT_THAT(message("adj=0100"), HasSubstr("expected 'adj="));
  EXPECT_THAT(message("ops=input|output adj=0100"), HasSubstr("expected"));
  EXPECT_THAT(message("adj=010 ops=input|output"),
              HasSubstr("adj has 3 digits"));
  EXPECT_THAT(message("adj=0120 ops=input|output"),
              HasSubstr("adj digit 3 (row 1, column 0) is '2'"));
  EXPECT_THAT(message("adj=1100 ops=input|output"),
              HasSubstr("edge 0->0 is on the diagonal"));
  EXPECT_THAT(message(CellText(4, {{0, 1}, {1, 3}, {3, 1}}, {kConv3, kPool})),
              HasSubstr("edge 3->1 is below the diagonal"));
  EXPECT_THAT(message("adj=0100 ops=input|maxpool3x3|output"),
              HasSubstr("ops names 3 vertices but adj is 2x2"));
  EXPECT_THAT(message("adj=010001000 ops=input|conv5x5|output"),
              HasSubstr("ops[1] is 'conv5x5'; interior vertices take one of "
                        "conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3"));
  EXPECT_THAT(message("adj=010001000 ops=output|maxpool3x3|input"),
              HasSubstr("ops[0] is 'output'; the first vertex must be 'input'"));
  EXPECT_THAT(message("adj=010001000 ops=input|maxpool3x3|maxpool3x3"),
              HasSubstr("ops[2] is 'maxpool3x3'; the last vertex must be "
                        "'output'"));
  EXPECT_THAT(message("adj=010000000 ops=input|maxpool3x3|output"),
              HasSubstr("not reachable from input"));
  // Every message quotes the text.
  EXPECT_THAT(message("adj=010 ops=input|output"),
              HasSubstr("'adj=010 ops=input|output'"));
}

// ---------------------------------------------------------------------------
// Canonical form, text round trip, enumeration

TEST(EnumerationTest, SubSpaceSizesMatchHandCountsAndPublishedCounts) {
  // 4 vertices by edge limit, counted by hand: 1 (2 vertices) + 6 (3
  // vertices: a chain or a chain with skip, 3 ops each), + 9 chains of 4;
  // with 4 edges + 27 (chain plus one skip, 3 ways) + 6 (the diamond, ops
  // up to swapping its arms); with 5 edges + 27 + 6; with 6 edges + 9.
  EXPECT_EQ(nasbench101::CountCells(4, 3), 16);
  EXPECT_EQ(nasbench101::CountCells(4, 4), 49);
  EXPECT_EQ(nasbench101::CountCells(4, 5), 82);
  EXPECT_EQ(nasbench101::CountCells(4, 6), 91);
  // EC-NAS-Bench's 4V9E and 5V9E.
  EXPECT_EQ(nasbench101::CountCells(4, 9), 91);
  EXPECT_EQ(nasbench101::CountCells(5, 9), 2532);
  EXPECT_EQ(MakeSpace(4, 9)->Size(), 91);
  EXPECT_EQ(MakeSpace(5, 9)->Size(), 2532);
  EXPECT_EQ(nasbench101::CountCells(2, 1), 1);
  EXPECT_EQ(nasbench101::CountCells(3, 9), 7);
}

TEST(EnumerationTest, FullSpaceHasThePublishedSize) {
  EXPECT_EQ(nasbench101::CountCells(7, 9), 423624);
  EXPECT_EQ(MakeSpace(7, 9)->Size(), 423624);
}

// The enumeration's cells are exactly EC-NAS-Bench's: same module hashes,
// no two alike, and the vertex counts of the table.
TEST(EnumerationTest, MatchesEcNasBenchHashes) {
  for (const EcNasFile& file : kEcNasFiles) {
    SCOPED_TRACE(file.name);
    auto table = CsvTable::Read(EcNasPath(file), "");
    ASSERT_TRUE(table.ok()) << table.status();
    const int hash_column = *table->Column("module_hash");
    std::set<std::string> published;
    for (int row = 0; row < table->num_rows(); ++row) {
      published.insert(std::string(table->Cell(row, hash_column)));
    }
    std::set<std::string> enumerated;
    std::map<int, int> by_vertices;
    nasbench101::ForEachCanonicalCell(file.max_vertices, 9, [&](const Cell& c) {
      enumerated.insert(ModuleHash(c));
      ++by_vertices[c.num_vertices];
    });
    EXPECT_EQ(enumerated.size(), file.num_archs);
    EXPECT_EQ(enumerated, published);
    EXPECT_EQ(by_vertices[2], 1);
    EXPECT_EQ(by_vertices[3], 6);
    EXPECT_EQ(by_vertices[4], 84);
    if (file.max_vertices == 5) {
      EXPECT_EQ(by_vertices[5], 2441);
    }
  }
}

TEST(EnumerationTest, ModuleHashesOfAllFollowTheEnumerationOnAnyThreads) {
  std::vector<std::string> expected;
  nasbench101::ForEachCanonicalCell(
      5, 9, [&](const Cell& c) { expected.push_back(ModuleHash(c)); });
  ASSERT_EQ(expected.size(), 2532);
  for (int threads : {1, 2, 3}) {
    EXPECT_EQ(nasbench101::ModuleHashesOfAll(5, 9, threads), expected)
        << threads << " threads";
  }
}

TEST(CanonicalTest, EveryFiveVertexArchitectureRoundTrips) {
  auto space = MakeSpace(5, 9);
  const std::vector<Architecture> all = nasbench101::EnumerateAll(5, 9);
  ASSERT_EQ(all.size(), 2532);
  absl::flat_hash_set<uint64_t> hashes;
  Rng rng(7);
  for (const Architecture& arch : all) {
    SCOPED_TRACE(arch.DebugString());
    ASSERT_TRUE(space->Validate(arch).ok()) << space->Validate(arch);
    EXPECT_EQ(space->Canonicalize(arch), arch);
    auto parsed = space->Parse(space->ToString(arch));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, arch);
    hashes.insert(space->Hash(arch));
    // A random relabelling of the interior vertices canonicalises back.
    const Cell cell = space->PrunedCell(arch);
    std::vector<int> position(cell.num_vertices);
    for (int v = 0; v < cell.num_vertices; ++v) position[v] = v;
    std::vector<int> interior(position.begin() + 1, position.end() - 1);
    rng.Shuffle(&interior);
    std::copy(interior.begin(), interior.end(), position.begin() + 1);
    Cell moved;
    moved.num_vertices = cell.num_vertices;
    for (int v = 0; v < cell.num_vertices; ++v) {
      if (v != 0 && v != cell.num_vertices - 1) {
        moved.ops[position[v]] = cell.ops[v];
      }
      for (int w = 0; w < cell.num_vertices; ++w) {
        if (cell.HasEdge(v, w)) moved.SetEdge(position[v], position[w], true);
      }
    }
    EXPECT_EQ(Canonical(moved), cell);
  }
  EXPECT_EQ(hashes.size(), 2532);
}

TEST(CanonicalTest, SevenVertexSamplesRoundTrip) {
  auto space = MakeSpace(7, 9);
  Rng rng(11);
  for (int i = 0; i < 300; ++i) {
    const Architecture arch = space->Sample(rng);
    ASSERT_TRUE(space->Validate(arch).ok());
    EXPECT_EQ(space->Canonicalize(arch), arch);
    auto parsed = space->Parse(space->ToString(arch));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, arch);
  }
}

// ---------------------------------------------------------------------------
// Neighbourhood

std::vector<std::string> Strings(const SearchSpace& space,
                                 const std::vector<Architecture>& archs) {
  std::vector<std::string> out;
  for (const Architecture& a : archs) out.push_back(space.ToString(a));
  return out;
}

TEST(NeighborsTest, ChainOfOneConv) {
  auto space = MakeSpace(7, 9);
  auto arch = space->Parse("adj=010001000 ops=input|conv3x3-bn-relu|output");
  ASSERT_TRUE(arch.ok());
  std::vector<Architecture> neighbors;
  space->Neighbors(*arch, &neighbors);
  // Removing either edge disconnects; the one edge to add is the skip.
  EXPECT_THAT(Strings(*space, neighbors),
              ElementsAre("adj=010001000 ops=input|conv1x1-bn-relu|output",
                          "adj=010001000 ops=input|maxpool3x3|output",
                          "adj=011001000 ops=input|conv3x3-bn-relu|output"));
}

TEST(NeighborsTest, DiamondByHand) {
  // input -> conv3x3 -> output and input -> maxpool -> output.
  const std::string diamond =
      CellText(4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}}, {kConv3, kPool});
  const std::vector<std::string> by_hand = {
      // Ops: {conv1x1, pool}, {pool, pool}, {conv3x3, conv3x3}, {conv3x3,
      // conv1x1}.
      CellText(4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}}, {kConv1, kPool}),
      CellText(4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}}, {kPool, kPool}),
      CellText(4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}}, {kConv3, kConv3}),
      CellText(4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}}, {kConv3, kConv1}),
      // Removing either edge of an arm prunes the arm.
      CellText(3, {{0, 1}, {1, 2}}, {kPool}),
      CellText(3, {{0, 1}, {1, 2}}, {kConv3}),
      // Adding input -> output, conv -> pool, or pool -> conv.
      CellText(4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {0, 3}}, {kConv3, kPool}),
      CellText(4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {1, 2}}, {kConv3, kPool}),
      CellText(4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {1, 2}}, {kPool, kConv3}),
  };
  for (int max_edges : {9, 4}) {
    SCOPED_TRACE(max_edges);
    auto space = MakeSpace(7, max_edges);
    auto arch = space->Parse(diamond);
    ASSERT_TRUE(arch.ok());
    std::vector<Architecture> expected;
    // With max_edges 4 no edge can be added.
    const int count = max_edges == 9 ? 9 : 6;
    for (int i = 0; i < count; ++i) {
      auto parsed = space->Parse(by_hand[i]);
      ASSERT_TRUE(parsed.ok()) << by_hand[i];
      expected.push_back(*parsed);
    }
    std::vector<Architecture> neighbors;
    space->Neighbors(*arch, &neighbors);
    EXPECT_THAT(neighbors, UnorderedElementsAreArray(expected));
  }
}

TEST(NeighborsTest, InputOutputCellHasNone) {
  auto space = MakeSpace(7, 9);
  auto arch = space->Parse("adj=0100 ops=input|output");
  ASSERT_TRUE(arch.ok());
  std::vector<Architecture> neighbors = {*arch};
  space->Neighbors(*arch, &neighbors);
  EXPECT_TRUE(neighbors.empty());
  Rng rng(3);
  EXPECT_EQ(space->Mutate(*arch, rng), *arch);
}

TEST(NeighborsTest, ContractOnSampledCells) {
  auto space = MakeSpace(7, 9);
  Rng rng(5);
  for (int i = 0; i < 200; ++i) {
    const Architecture arch = space->Sample(rng);
    std::vector<Architecture> neighbors;
    space->Neighbors(arch, &neighbors);
    std::vector<Architecture> again;
    space->Neighbors(arch, &again);
    EXPECT_EQ(neighbors, again);  // a fixed order
    absl::flat_hash_set<Architecture> distinct(neighbors.begin(),
                                               neighbors.end());
    EXPECT_EQ(distinct.size(), neighbors.size());
    EXPECT_FALSE(distinct.contains(arch));
    for (const Architecture& n : neighbors) {
      ASSERT_TRUE(space->Validate(n).ok()) << space->Validate(n);
      EXPECT_EQ(space->Canonicalize(n), n);
      EXPECT_NE(space->Hash(n), space->Hash(arch));
    }
    const Architecture mutated = space->Mutate(arch, rng);
    if (!neighbors.empty()) {
      EXPECT_TRUE(distinct.contains(mutated));
    }
  }
}

// ---------------------------------------------------------------------------
// Sampling

TEST(SampleTest, IsNasbenchRawSpecSamplingNotUniformOverClasses) {
  // With 3 vertices the raw spec has edge bits 0->1, 0->2, 1->2 and one op.
  // It is valid with probability 5/8: 0->2 alone decides in 4/8 of draws, of
  // which 3/8 leave vertex 1 dangling. Given validity: input -> output with
  // probability 3/5, each of the 6 three-vertex classes 1/15.
  auto space = MakeSpace(3, 9);
  Rng rng(2024);
  std::map<std::string, int> counts;
  constexpr int kSamples = 30000;
  for (int i = 0; i < kSamples; ++i) ++counts[space->ToString(space->Sample(rng))];
  ASSERT_EQ(counts.size(), 7);
  // Within 5 standard deviations (85 and 43).
  EXPECT_NEAR(counts["adj=0100 ops=input|output"], kSamples * 3 / 5, 425);
  for (const auto& [text, count] : counts) {
    if (text == "adj=0100 ops=input|output") continue;
    EXPECT_NEAR(count, kSamples / 15, 215) << text;
  }
  Rng same_a(9), same_b(9);
  EXPECT_EQ(MakeSpace(7, 9)->Sample(same_a), MakeSpace(7, 9)->Sample(same_b));
}

}  // namespace
}  // namespace nas
