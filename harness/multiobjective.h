#ifndef NASBENCH_HARNESS_MULTIOBJECTIVE_H_
#define NASBENCH_HARNESS_MULTIOBJECTIVE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "core/pareto.h"
#include "harness/experiment.pb.h"
#include "harness/results.pb.h"
#include "objectives/objective.h"

namespace nas {

// Checks a benchmark's `multiobjective` block against its objective and
// computes what the hypervolume reports need: the metrics' units and
// senses, the reference points and, for a space that can be enumerated
// (indexable, or with an enumerator, at most kMaxFrontSpaceSize
// architectures) and a noise-free objective, the exact validation and test
// fronts. InvalidArgument, saying how to fix it, for an unknown, hidden or
// repeated metric, a count other than one or two, a reference point of the
// wrong length or not beyond the exact front, or a reference point to
// derive where there is no exact front.
absl::StatusOr<MultiObjectiveInfo> DescribeMultiObjective(
    const MultiObjectiveSpec& spec, const Objective& objective);

inline constexpr int64_t kMaxFrontSpaceSize = 2'000'000;

// The objective vector of one evaluation: `error`, then the metrics at
// `positions` of `metrics`.
ObjectiveVector MultiObjectivePoint(double error,
                                    const std::vector<double>& metrics,
                                    const std::vector<int>& positions);

// Hypervolume of `points` against `reference`, divided by that of the
// exact front (`front_volume`) when it is known (> 0).
double NormalisedHypervolume(
    const std::vector<ObjectiveVector>& points,
    const google::protobuf::RepeatedField<double>& reference,
    double front_volume);

}  // namespace nas

#endif  // NASBENCH_HARNESS_MULTIOBJECTIVE_H_
