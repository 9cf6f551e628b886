#ifndef NASBENCH_LANDSCAPE_EXACT_H_
#define NASBENCH_LANDSCAPE_EXACT_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "landscape/graph.h"

namespace nas {

// Exact local-search landscape of a finite graph with losses (White, Nolen
// & Savani's LS, LS*, preimages and basins; see docs/landscape.md).
//
// One step of best-improvement local search, with THE tie rule used
// everywhere in this package (exact analysis and simulated climbs alike):
//   LS(v) = v when no neighbour has a strictly lower loss (so v is a local
//   minimum, and a plateau never moves); otherwise the neighbour with the
//   lowest loss, and among equally good neighbours the one with the
//   smallest canonical genes (NeighbourGraph::tie_rank).
// Losses strictly decrease along LS, so iterating it from any v ends at a
// local minimum LS*(v); the local minima with their basins partition the
// vertices. The global minimum (lowest loss, then smallest genes) is always
// a local minimum.
struct ExactAnalysis {
  std::vector<int32_t> ls;       // LS(v).
  std::vector<int32_t> ls_star;  // LS*(v).
  std::vector<int32_t> steps;    // Moves from v to LS*(v).
  // |LS^{-*}(v)|: the vertices whose LS path passes through v, v included.
  // For a local minimum this is its basin (the theory's preimage plus 1).
  std::vector<int64_t> tree_size;
  std::vector<int32_t> preimage;  // |LS^{-1}(v)| = |{u != v : LS(u) = v}|.
  // The local minima, best first (loss, then tie rank).
  std::vector<int32_t> minima;
  // LS^{-1}(v) as compressed rows (children of v in its LS-tree), in
  // increasing vertex number.
  std::vector<int64_t> child_offsets;
  std::vector<int32_t> children;
  // Vertices whose move was decided by the tie rule (a strictly better
  // neighbour tied with another one); 0 for continuous losses.
  int64_t tied_moves = 0;

  int64_t size() const { return static_cast<int64_t>(ls.size()); }
  int32_t global_minimum() const { return minima.front(); }
  absl::Span<const int32_t> Children(int32_t v) const {
    return absl::MakeConstSpan(children).subspan(
        child_offsets[v], child_offsets[v + 1] - child_offsets[v]);
  }
};

// O(n + edges). `loss` has one finite value per vertex.
ExactAnalysis AnalyzeExact(const NeighbourGraph& graph,
                           absl::Span<const double> loss);

// For each epsilon: the fraction of all vertices v (uniform start points)
// with x(LS*(v)) - x(global minimum) <= epsilon, x the (normalised) loss.
std::vector<double> EpsilonCurve(const ExactAnalysis& analysis,
                                 absl::Span<const double> x,
                                 absl::Span<const double> epsilons);

// The LS-tree rooted at `root` (usually a local minimum): its vertices in
// breadth-first order (root first), each with the position of its parent
// LS(v) in that list (-1 for the root) and its depth. At most `max_nodes`
// vertices are kept (the shallowest); `full_size` counts them all.
struct LsTree {
  int32_t root = 0;
  std::vector<int32_t> vertices;
  std::vector<int32_t> parent;
  std::vector<int32_t> depth;
  std::vector<int64_t> level_sizes;  // |LS^{-k}(root)|, k = 0, 1, ... (all).
  int64_t full_size = 0;
};
LsTree ExtractLsTree(const ExactAnalysis& analysis, int32_t root,
                     int64_t max_nodes);

// Autocorrelation r(k), k = 1 .. max_lag, of a random walk that starts at a
// uniformly random vertex and moves to a uniformly random neighbour each
// step (staying put where there is none): corr(f(X_0), f(X_k)), computed
// exactly with k sparse matrix-vector products. On regular symmetric graphs
// (NAS-Bench-201) the uniform start is the walk's stationary distribution,
// so this is the usual stationary autocorrelation. Lag 0 is not included.
std::vector<double> ExactWalkAutocorrelation(const NeighbourGraph& graph,
                                             absl::Span<const double> loss,
                                             int max_lag, int threads = 1);

// Fitness-distance correlation (Jones & Forrest): Pearson correlation of
// loss and the fewest neighbour moves from a vertex to `target`, over the
// vertices that can reach it (breadth-first search on reversed edges).
// `reversed`: graph.Reversed(), when the caller has it (building it costs
// as much as the search; callers analysing many losses on one graph share
// it).
struct FitnessDistance {
  double correlation = 0;
  double mean_distance = 0;
  int max_distance = 0;
  int64_t unreachable = 0;
};
FitnessDistance ComputeFitnessDistance(
    const NeighbourGraph& graph, absl::Span<const double> loss, int32_t target,
    const NeighbourGraph* reversed = nullptr);

}  // namespace nas

#endif  // NASBENCH_LANDSCAPE_EXACT_H_
