#ifndef NASBENCH_SPACES_ENCODINGS_ENCODINGS_H_
#define NASBENCH_SPACES_ENCODINGS_ENCODINGS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "spaces/architecture.h"
#include "spaces/search_space.h"

namespace nas {

// Architecture encodings for predictor-based NAS (White et al., "BANANAS",
// AAAI 2021, and "A Study on Encodings for Neural Architecture Search",
// NeurIPS 2020). Every encoding is a fixed-length 0/1 vector.
//
// kPath: one feature per possible input-to-output path, labelled by the
//   sequence of ops along it; a feature is 1 when the cell has at least one
//   such path. Isomorphic cells have identical path encodings.
//   - nasbench201: paths from node 0 to node 3 over the cell's edges
//     (0-3, 0-1-3, 0-2-3, 0-1-2-3); a 'none' edge cuts every path through
//     it, so labels use the 4 other ops: 4 + 4^2 + 4^3 = 84 features.
//     (naszilla keeps 'none' as a label, 5 + 25 + 125 = 155; a path through
//     'none' carries nothing, so here it simply does not exist.)
//   - nasbench101: paths from the input through op vertices to the output,
//     0 to max_vertices - 2 ops, 3 ops: 3^0 + ... + 3^5 = 364 features for
//     7 vertices (the paper's count); 40 for 5 vertices, 13 for 4.
//   - darts: per cell (normal, reduce) and cell input (c_{k-2}, c_{k-1}),
//     paths from the input through intermediate nodes; every intermediate
//     node feeds the concatenated output, so every path that starts at an
//     input ends at the output. 1 to 4 ops of 7: 4 * (7 + 49 + 343 + 2401) =
//     11,200 features.
//   Features are ordered by path length (number of ops), then (darts) by
//   cell and input, then by the op sequence read as a base-|ops| number,
//   first op most significant.
//
// kTruncatedPath: the first k features of the path encoding. Shorter paths
//   are more likely under uniform sampling, so these are the k most likely
//   paths: exactly so on nasbench201 (a length-1 feature is present with
//   probability 1/5, a length-2 one with 1 - (24/25)^2 = 0.078, a length-3
//   one with 1/125; checked exhaustively in the test). Defaults: every path
//   of at most 2 ops on nasbench201 (20), of at most 3 ops on nasbench101
//   (40: naszilla's cutoff, which is the same set), of at most 2 ops on
//   darts (4 * (7 + 49) = 224; naszilla's cutoff of 100 takes a prefix of its
//   normal-cell/first-input block only, which would ignore the reduction
//   cell).
//
// kAdjacency: the graph and its ops, one-hot.
//   - nasbench201: the cell's graph is fixed, so this is the one-hot op of
//     each of the 6 edges (30 features; same as kOneHot). Squared distance
//     is twice the edit distance (number of edges whose op differs).
//   - nasbench101: the 21 upper-triangular adjacency bits of the canonical
//     7x7 matrix, then a one-hot op (3 features) per interior vertex, all
//     zero for vertices pruned away (36 features for 7 vertices).
//   - darts: per cell, for every possible edge (input j -> node k, j < k+2:
//     14 edges), one feature per op, set when the edge exists with that op
//     (2 * 14 * 7 = 196 features). Independent of the order of a node's two
//     inputs.
//
// kOneHot: one-hot of every gene, from gene_cardinalities(): defined on every
//   space (the fallback for spaces without a graph encoding).
enum class EncodingKind { kPath, kTruncatedPath, kAdjacency, kOneHot };

absl::string_view EncodingKindName(EncodingKind kind);

class Encoder {
 public:
  Encoder() = default;
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;
  virtual ~Encoder() = default;

  // Number of features.
  virtual int dimension() const = 0;

  // Writes dimension() values, each 0 or 1, to out[0 .. dimension()).
  // `arch` must be valid. Path encodings accept any valid form (they are
  // invariant under isomorphism); the others encode the genes as given, so
  // pass canonical architectures (every architecture a space hands out is).
  // Thread-safe.
  virtual void Encode(const Architecture& arch, float* out) const = 0;

  // A readable name of feature `i`, e.g. "nor_conv_3x3>skip_connect" for a
  // nasbench201 path (the ops from the cell input to its output).
  virtual std::string FeatureName(int i) const = 0;
};

// The encoder of `kind` for `space` (dispatch on space.name()).
// `truncated_features` applies to kTruncatedPath only: 0 for the space's
// default, else 1 .. the full path dimension. InvalidArgument for a kind
// the space does not define (listing the kinds it does) or a bad
// truncation. The encoder keeps a reference to `space`, which must outlive
// it.
absl::StatusOr<std::unique_ptr<Encoder>> MakeEncoder(
    const SearchSpace& space, EncodingKind kind, int truncated_features = 0);

// True when MakeEncoder(space, kind) succeeds with the default truncation.
bool HasEncoding(const SearchSpace& space, EncodingKind kind);

// Distances for distance-based kernels. For 0/1 encodings the squared
// Euclidean distance is the number of differing features: the path
// distance of the encodings paper for path encodings, and (up to the factor
// 2 of one-hot codes) the edit distance for adjacency/one-hot encodings.
double SquaredDistance(absl::Span<const float> a, absl::Span<const float> b);

// Number of genes that differ: the edit distance on nasbench201 (edges
// whose op differs) and on any space whose genes are independent choices.
// Both architectures must have the same number of genes.
int GeneEditDistance(const Architecture& a, const Architecture& b);

}  // namespace nas

#endif  // NASBENCH_SPACES_ENCODINGS_ENCODINGS_H_
