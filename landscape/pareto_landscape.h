#ifndef NASBENCH_LANDSCAPE_PARETO_LANDSCAPE_H_
#define NASBENCH_LANDSCAPE_PARETO_LANDSCAPE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/pareto.h"
#include "landscape/graph.h"
#include "landscape/landscape.pb.h"
#include "landscape/pareto_landscape.pb.h"
#include "objectives/objective.h"

namespace nas {

// Exact multi-objective landscape statistics of an enumerated space, one
// objective vector per vertex (all minimised):
//
// - Pareto local optima: vertices v such that no u in N(v) dominates v
//   (Paquete, Chiarandini & Stützle 2004). Pareto local search stops only
//   at sets of them.
// - The true front F (no vertex dominates its members), its connected
//   components under neighbour moves, and reachability within it: R(m),
//   the members reached from m by moves v -> u (u in N(v)) with every step
//   on F. Why R(m) is the share reachable by Pareto local search: once
//   PLS's archive holds m, it explores m's neighbours; a neighbour on F is
//   dominated by nothing, so it enters (unless a member has the same
//   vector) and is never evicted, and is explored in turn. So, given the
//   budget, PLS collects at least R(m), exactly so when F's vectors are
//   distinct (front_vectors == front_size); a front member outside R(m)
//   needs another entry point (a restart or a dominated detour).
//   Exact and cheap: O(|F| * moves within F) on top of the front.
ParetoLandscape AnalyzeParetoLandscape(
    const NeighbourGraph& graph, const std::vector<ObjectiveVector>& points);

// The validation error and visible metrics of every vertex (noise as
// EvaluateAll's: deterministic, or one draw per vertex from stream 0).
std::vector<ObjectiveVector> EvaluateAllObjectives(const Objective& objective,
                                                   const NeighbourGraph& graph,
                                                   int threads);

// For `nas landscape`: when the objective shows visible metrics, fills
// landscape->pareto from every vertex's objectives; otherwise does nothing.
// InvalidArgument naming the architecture when a value is not finite.
absl::Status AddParetoLandscape(const Objective& objective,
                                const NeighbourGraph& graph, int threads,
                                const SearchSpace& space,
                                BenchmarkLandscape* landscape);

// The report's Markdown section for `landscape`, empty without one.
std::string ParetoLandscapeMarkdown(const BenchmarkLandscape& landscape);

}  // namespace nas

#endif  // NASBENCH_LANDSCAPE_PARETO_LANDSCAPE_H_
