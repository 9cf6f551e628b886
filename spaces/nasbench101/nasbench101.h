#ifndef NASBENCH_SPACES_NASBENCH101_NASBENCH101_H_
#define NASBENCH_SPACES_NASBENCH101_NASBENCH101_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "spaces/nasbench101/nasbench101.pb.h"
#include "spaces/encodings/encoder.h"
#include "spaces/search_space.h"

namespace nas {
namespace nasbench101 {

// NAS-Bench-101's absolute limit; Nasbench101SpaceParams.max_vertices may be
// smaller.
inline constexpr int kMaxVertices = 7;
inline constexpr int kNumOps = 3;

// Op names by label, in nasbench's config['available_ops'] order: the labels
// its graph hash uses, and the names of the EC-NAS-Bench `ops` column.
inline constexpr std::array<absl::string_view, kNumOps> kOpNames = {
    "conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"};
inline constexpr absl::string_view kInputName = "input";
inline constexpr absl::string_view kOutputName = "output";

// Hash labels of the two fixed vertices (nasbench's ModelSpec.hash_spec).
inline constexpr int kInputLabel = -1;
inline constexpr int kOutputLabel = -2;

// A cell as a graph: vertex 0 is the input, vertex num_vertices - 1 the
// output, the vertices in between carry an op label (0..2). Edges need not
// point "upwards" (i < j) here: neighbourhood moves build cells in any vertex
// order and Canonical() sorts them out; the text form and genes demand an
// upper-triangular matrix.
struct Cell {
  int num_vertices = 2;
  // Bit j of successors[i] is set when there is an edge i -> j.
  std::array<uint8_t, kMaxVertices> successors{};
  // ops[v] for interior v; entries for the input, the output and unused
  // vertices are kept 0 so that == can compare whole arrays.
  std::array<uint8_t, kMaxVertices> ops{};

  bool HasEdge(int from, int to) const { return (successors[from] >> to) & 1; }
  void SetEdge(int from, int to, bool present);
  int NumEdges() const;
  // The label nasbench hashes: kInputLabel, kOutputLabel or the op.
  int Label(int vertex) const;

  friend bool operator==(const Cell& a, const Cell& b);
  friend bool operator!=(const Cell& a, const Cell& b) { return !(a == b); }
};

// nasbench's ModelSpec._prune: drops every vertex that is not on some
// input -> output path (and its edges), keeping the others in their order.
// InvalidArgument when the output is not reachable from the input.
absl::StatusOr<Cell> Prune(const Cell& cell);

// OK when Prune() would change nothing; otherwise names the first vertex off
// every input -> output path ("vertex 4 is not on any input-to-output path").
// Rows of published tables are stored pruned; this checks that they are.
absl::Status CheckPruned(const Cell& cell);

// The representative of `pruned`'s isomorphism class: input first, output
// last, interior vertices reordered so that the matrix is upper triangular
// and (edge bitmask, op labels) is smallest. The bitmask numbers edge (i, j),
// i < j, row-major over the upper triangle (bit 0 = 0->1, bit 1 = 0->2, ...);
// labels compare vertex 1 first. Two pruned cells are isomorphic exactly when
// their Canonical() forms are equal. `pruned` must be pruned and acyclic
// (aborts otherwise: a programming error).
Cell Canonical(const Cell& pruned);

// nasbench's graph_util.hash_module of `cell` as given (no pruning): the
// 32-hex-digit MD5 fingerprint that keys NAS-Bench-101 and EC-NAS-Bench data.
// Each vertex starts as md5(str((out_degree, in_degree, label))); then, as
// many rounds as there are vertices, becomes md5(sorted in-neighbour hashes
// joined + "|" + sorted out-neighbour hashes joined + "|" + own hash); the
// fingerprint is md5(str(sorted(hashes))) -- Python's list repr, "['..', '..']".
// Invariant under vertex permutation. Hash pruned cells to match the data.
std::string ModuleHash(const Cell& cell);

// The first 16 hex digits of a module hash as a 64-bit number: the space's
// Hash(). Tables keyed by module hash can be indexed with it. InvalidArgument
// unless `module_hash` starts with 16 hex digits.
absl::StatusOr<uint64_t> ModuleHashPrefix(absl::string_view module_hash);

// One-line text form, in the style of EC-NAS-Bench's CSV columns: the full
// row-major matrix, then the '|'-joined vertex names, e.g.
//   "adj=011001000 ops=input|conv3x3-bn-relu|output".
std::string CellToString(const Cell& cell);

// Reads CellToString()'s form: 2..7 vertices, a square 0/1 matrix that is
// strictly upper triangular, "input" first, "output" last and known op names
// between. The cell is returned as written (not pruned). InvalidArgument
// names the offending part.
absl::StatusOr<Cell> ParseCell(absl::string_view text);

// Calls `visit` once per isomorphism class of valid cells with at most
// `max_vertices` vertices and `max_edges` edges (after pruning), with the
// class's Canonical() cell. Order: by vertex count, then edge bitmask, then
// labels. Works on canonical forms directly: for each n, every upper-
// triangular n-vertex matrix on which all vertices lie on input -> output
// paths is kept when no reordering of its interior vertices gives a smaller
// bitmask; its labellings are then kept when no automorphism of the matrix
// maps them to smaller labels. No hashing, no set of seen cells.
void ForEachCanonicalCell(int max_vertices, int max_edges,
                          const std::function<void(const Cell&)>& visit);

// The number of classes ForEachCanonicalCell visits: 423,624 for (7, 9),
// 2,532 for (5, 9), 91 for (4, 9). About 8 ms for (7, 9).
int64_t CountCells(int max_vertices, int max_edges);

// ModuleHash() of every class ForEachCanonicalCell visits, in its order, on
// `threads` threads (the result does not depend on the count): the keys of
// a whole NAS-Bench-101 table. About 2 CPU-seconds for (7, 9) where the
// processor has AVX-512 (16 MD5 lanes), shared evenly by the threads.
std::vector<std::string> ModuleHashesOfAll(int max_vertices, int max_edges,
                                           int threads = 1);

// Every architecture of the space with these parameters, one canonical
// Architecture per isomorphism class, in ForEachCanonicalCell's order.
// About 35 ms and 21 MB for the full NAS-Bench-101 space.
std::vector<Architecture> EnumerateAll(int max_vertices, int max_edges);

}  // namespace nasbench101

// The NAS-Bench-101 cell space (Ying et al., ICML 2019), and its sub-spaces
// with fewer vertices (EC-NAS-Bench's 4V9E and 5V9E).
//
// Gene layout (V = max_vertices, P = V(V-1)/2; 26 genes for V = 7): a cell
// written as nasbench's V x V matrix and op list.
//   genes[0, P)         edge bits (0/1) of the upper triangle, row-major:
//                       (0,1), (0,2), ..., (0,V-1), (1,2), ..., (V-2,V-1).
//   genes[P, P + V - 2) op (0..2, kOpNames order) of vertices 1 .. V-2.
// Vertex 0 is the input, vertex V-1 the output. Any genes in range form a
// valid architecture when, after pruning (dropping vertices off every
// input -> output path, as nasbench does), the output is reachable and at
// most max_edges edges remain. The canonical form of an n-vertex cell puts
// nasbench101::Canonical()'s vertices 0..n-2 at 0..n-2 and its output at V-1;
// vertices n-1..V-2 are unused (no edges, op 0). So equal canonical
// Architectures are exactly isomorphic cells, and algorithms that set genes
// freely (nasbench-style bit-flip mutation, one-hot encodings) produce
// ordinary raw nasbench specs that Validate() and Canonicalize() accept.
//
// Hash() is the first 16 hex digits of the nasbench module hash of the pruned
// cell (ModuleHash()), so NAS-Bench-101/EC-NAS-Bench rows can be looked up.
//
// Sample(): nasbench's uniform sampling -- each of the P edge bits is 1 with
// probability 1/2 and each of the V-2 ops uniform, redrawn until valid, then
// canonicalised (kept raw under STUDY). (Uniform over raw specs, not over the
// 423,624 classes.)
//
// Neighbors() depends on Nasbench101SpaceParams.neighborhood; the default
// is STUDY for 7 vertices and PRUNED below (EC-NAS-Bench's sub-spaces, whose
// published leaderboards used it).
//
// STUDY (NAS-Bench-101 as the local-search study searched it): a search
// state is the raw spec the genes spell, dangling vertices, their ops and
// edges carried along. Canonicalize() is the identity, Sample() returns the
// raw draw, ToString()/Parse() write and read the whole max_vertices-vertex
// matrix (Parse places a smaller matrix in the frame as ToArchitecture()
// does), and Neighbors() are nasbench101::StudyNeighbours() of the raw spec
// (op changes on input-output-path vertices, toggles of edges on
// input-output paths that stay valid), as genes, keeping the first of those
// whose pruned cells are isomorphic. Evaluation goes through the pruned cell:
// Hash() and ModuleHash() are the pruned cell's, so Hash() identifies an
// evaluation class, not a state (equal for raw specs that prune to
// isomorphic cells, which algorithms that skip seen hashes treat as one
// query, as the study did), and Size() counts those classes (423,624), the
// rows a table keyed by module hash has. There is no enumerator (states
// outnumber classes); for the exact landscape analysis use STUDY_ON_CELLS.
//
// STUDY_ON_CELLS: states are the canonical pruned cells (as PRUNED); a
// cell's neighbours are the canonical pruned cells of the study neighbours
// of the cell written in the gene frame (its canonical raw spec), first
// occurrence kept, never the cell itself. That spec has no dangling vertex,
// so no cell grows and only additions pointing upwards in canonical order
// remain: a sub-neighbourhood of PRUNED (docs/landscape.md).
//
// PRUNED, the neighbourhood on pruned cells: (1) each interior vertex's op
// changed to each other op; (2) each edge removed, then pruned (removals that
// disconnect the output are dropped); (3) each absent edge u -> v added
// between vertices of the cell, in either direction as long as the graph
// stays acyclic (so the result does not depend on which of the isomorphic
// orderings is stored) and has at most max_edges edges. Results are
// canonicalised and de-duplicated, first occurrence kept, in that order; the
// cell itself never appears. Edges are added between existing vertices only,
// so pruned-away vertices never come back and the 2-vertex cell
// (input -> output) has no neighbours. Mutate() is the default: a uniform
// random neighbour (the cell itself when there is none).
//
// Text form (PRUNED, STUDY_ON_CELLS; STUDY above): CellToString() of the
// canonical cell, e.g.
//   "adj=0110001000010000 ops=input|maxpool3x3|maxpool3x3|output".
// Parse() accepts any matrix nasbench's ModelSpec would (2..7 vertices,
// upper triangular, any vertex order, dangling vertices), prunes it and
// requires the result to fit max_vertices and max_edges.
//
// Size() is counted (CountCells) when the space is made, ~8 ms for 7
// vertices. The space is not indexable (ToIndex): too big for dense tables;
// EnumerateAll() lists it instead. Immutable and thread-safe.
class Nasbench101Space;

// This space's encodings (nasbench101_encodings.cc); `space` must outlive them.
std::unique_ptr<const SpaceEncodings> NewNasbench101SpaceEncodings(const Nasbench101Space& space);

class Nasbench101Space : public SearchSpace {
 public:
  static absl::StatusOr<std::unique_ptr<Nasbench101Space>> New(
      const Nasbench101SpaceParams& params);

  std::string name() const override { return "nasbench101"; }
  absl::Span<const int> gene_cardinalities() const override {
    return cardinalities_;
  }
  absl::uint128 Size() const override { return size_; }
  absl::Status Validate(const Architecture& arch) const override;
  Architecture Canonicalize(const Architecture& arch) const override;
  uint64_t Hash(const Architecture& arch) const override;
  Architecture Sample(Rng& rng) const override;
  void Neighbors(const Architecture& arch,
                 std::vector<Architecture>* out) const override;
  std::string ToString(const Architecture& arch) const override;
  absl::StatusOr<Architecture> Parse(absl::string_view text) const override;

  int max_vertices() const { return max_vertices_; }
  int max_edges() const { return max_edges_; }
  int num_edge_genes() const { return num_edge_genes_; }
  // The resolved neighbourhood (never NEIGHBORHOOD_DEFAULT).
  Nasbench101SpaceParams::Neighborhood neighborhood() const {
    return neighborhood_;
  }

  // nasbench's module hash (32 hex digits) of a valid architecture: the key
  // of its rows in NAS-Bench-101 and EC-NAS-Bench data.
  std::string ModuleHash(const Architecture& arch) const;

  // The pruned cell of a valid architecture (canonical when `arch` is).
  nasbench101::Cell PrunedCell(const Architecture& arch) const;

  // The genes of an upper-triangular cell of at most max_vertices vertices
  // (vertex i < n-1 at i, the output at V-1), without pruning or reordering.
  Architecture ToArchitecture(const nasbench101::Cell& cell) const;

  Enumerator enumerator() const override {
    if (neighborhood_ == Nasbench101SpaceParams::STUDY) return nullptr;
    return [this] {
      return nasbench101::EnumerateAll(max_vertices(), max_edges());
    };
  }
  const SpaceEncodings* encodings() const override {
    return encodings_.get();
  }

 private:
  Nasbench101Space(int max_vertices, int max_edges,
                   Nasbench101SpaceParams::Neighborhood neighborhood);

  // Neighbors() under STUDY and STUDY_ON_CELLS (nasbench101_study.cc).
  void StudyNeighbors(const Architecture& arch,
                      std::vector<Architecture>* out) const;

  // The genes read as a V-vertex nasbench spec (not pruned).
  nasbench101::Cell RawCell(const Architecture& arch) const;
  // Validity of a pruned cell against max_vertices/max_edges.
  absl::Status CheckLimits(const nasbench101::Cell& pruned) const;

  const int max_vertices_;
  const int max_edges_;
  const int num_edge_genes_;
  const Nasbench101SpaceParams::Neighborhood neighborhood_;
  std::vector<int> cardinalities_;
  const int64_t size_;
  // Built with the space; its encoders refer back to it.
  std::unique_ptr<const SpaceEncodings> encodings_ =
      NewNasbench101SpaceEncodings(*this);
};

}  // namespace nas

#endif  // NASBENCH_SPACES_NASBENCH101_NASBENCH101_H_
