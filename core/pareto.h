#ifndef NASBENCH_CORE_PARETO_H_
#define NASBENCH_CORE_PARETO_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace nas {

// Multi-objective primitives shared by algorithms (Pareto local search,
// NSGA-II selection), the harness's reports and the landscape analysis.
// Every objective is minimised; all points of one call have the same number
// of objectives.
using ObjectiveVector = std::vector<double>;

// True when `a` is no worse than `b` in every objective and better in one.
bool Dominates(absl::Span<const double> a, absl::Span<const double> b);

// Indices (ascending) of the points no other point dominates. Equal points
// do not dominate each other, so copies of a front point are all kept.
// O(n log n + n * front * objectives).
std::vector<int> NonDominatedIndices(
    const std::vector<ObjectiveVector>& points);

// Non-dominated sorting (Deb et al., NSGA-II, 2002): rank 0 for the
// non-dominated points, 1 for those of the rest, and so on.
std::vector<int> NonDominatedRanks(const std::vector<ObjectiveVector>& points);

// NSGA-II's crowding distance of each of `members` (indices into `points`)
// within that set: the sum over objectives of the normalised gap between a
// member's two neighbours in that objective; infinite at each objective's
// extremes. Returned in the order of `members`.
std::vector<double> CrowdingDistances(
    const std::vector<ObjectiveVector>& points,
    const std::vector<int>& members);

// The volume of the region dominated by `points` and bounded by
// `reference` (a point that is not better than the reference in every
// objective adds nothing). Exact for two and three objectives (sweeps,
// O(n log n) and O(n^2 log n)); InvalidArgument for other counts or when a
// point's length differs from the reference's.
absl::StatusOr<double> Hypervolume(const std::vector<ObjectiveVector>& points,
                                   absl::Span<const double> reference);

}  // namespace nas

#endif  // NASBENCH_CORE_PARETO_H_
