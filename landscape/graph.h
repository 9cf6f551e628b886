#ifndef NASBENCH_LANDSCAPE_GRAPH_H_
#define NASBENCH_LANDSCAPE_GRAPH_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "core/architecture.h"
#include "objectives/objective.h"
#include "spaces/search_space.h"

namespace nas {

// The neighbourhood graph of a finite search space: vertices 0 .. n-1, one
// per architecture, and for each vertex its neighbours (the space's
// Neighbors(), in the space's order) as vertex numbers, in compressed rows.
//
// How vertices are numbered:
//   - indexable spaces (NAS-Bench-201): the space's own index, ToIndex();
//   - spaces that declare an enumerator (SearchSpace::enumerator(), e.g.
//     NAS-Bench-101's 423,624 classes): its list, sorted by canonical genes;
//     neighbours are mapped back through a hash map from canonical genes
//     to vertex (equal canonical genes <=> isomorphic cells, so the map is
//     exact; no module hash is computed), keyed by the genes as one
//     mixed-radix number when the gene combinations fit 63 bits;
//   - any other space whose gene combinations number at most 2^24: every
//     combination is generated, the valid canonical ones kept (sorted by
//     genes) and neighbours mapped through the same kind of hash map.
// Spaces beyond that (DARTS: ~1.08e18) cannot be enumerated; the landscape
// tools then fall back to sampling (see sampling.h).
struct NeighbourGraph {
  // Empty for hand-made graphs (tests).
  std::vector<Architecture> architectures;
  std::vector<int64_t> offsets{0};  // Row starts; size n + 1.
  std::vector<int32_t> targets;     // Neighbour vertex numbers.
  // Position of each vertex in canonical-gene order (Architecture's <): the
  // tie-break of local search (see exact.h). The identity for hand-made
  // graphs.
  std::vector<int32_t> tie_rank;
  // "space index", "the space's own enumeration", "gene enumeration" or
  // "hand-made".
  std::string numbering;

  int64_t size() const { return static_cast<int64_t>(offsets.size()) - 1; }
  int64_t num_edges() const { return static_cast<int64_t>(targets.size()); }
  absl::Span<const int32_t> Neighbors(int64_t v) const {
    return absl::MakeConstSpan(targets).subspan(offsets[v],
                                                offsets[v + 1] - offsets[v]);
  }
  int Degree(int64_t v) const {
    return static_cast<int>(offsets[v + 1] - offsets[v]);
  }
  double MeanDegree() const;
  int MinDegree() const;
  int MaxDegree() const;
  // True when u in N(v) <=> v in N(u) for all pairs (with multiplicity).
  // `reversed`: Reversed() of this graph, when the caller has it.
  bool IsSymmetric(const NeighbourGraph* reversed = nullptr) const;
  // The same vertices with every edge turned round: row v lists, in vertex
  // order, the vertices that have v as a neighbour. Only offsets and
  // targets are filled.
  NeighbourGraph Reversed() const;
};

// A graph from explicit adjacency lists (vertex numbers in range, no self
// loops): for tests and hand-made examples.
NeighbourGraph GraphFromAdjacency(
    const std::vector<std::vector<int>>& adjacency);

// OK when BuildNeighbourGraph can enumerate `space`; otherwise
// FailedPrecondition saying why and what is possible instead.
absl::Status CheckEnumerable(const SearchSpace& space);

// Enumerates `space` and computes every vertex's neighbours, on `threads`
// threads (the result does not depend on the count). FailedPrecondition for
// spaces that cannot be enumerated (see CheckEnumerable); Internal if a
// neighbour is missing from the enumeration (a bug in the space).
absl::StatusOr<NeighbourGraph> BuildNeighbourGraph(const SearchSpace& space,
                                                   int threads = 1);

// The full-fidelity validation error of every vertex. Deterministic
// objectives are evaluated without noise; noisy ones get one draw per
// architecture from a stream derived from `noise_seed` and the vertex, so
// the result is reproducible. `graph.architectures` must be filled.
std::vector<double> EvaluateAll(const Objective& objective,
                                const NeighbourGraph& graph, int threads = 1,
                                uint64_t noise_seed = 0);

// Runs body(begin, end) over [0, n) split into `threads` contiguous chunks
// (in parallel when threads > 1). For loops whose iterations write only
// their own slots.
void ParallelFor(int64_t n, int threads,
                 const std::function<void(int64_t, int64_t)>& body);

}  // namespace nas

#endif  // NASBENCH_LANDSCAPE_GRAPH_H_
