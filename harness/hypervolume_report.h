#ifndef NASBENCH_HARNESS_HYPERVOLUME_REPORT_H_
#define NASBENCH_HARNESS_HYPERVOLUME_REPORT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/pareto.h"
#include "harness/experiment.pb.h"
#include "harness/results.pb.h"
#include "harness/runner.h"
#include "harness/stats/comparisons.h"
#include "harness/stats/stats.h"

namespace nas {

// The fronts of the first `queries` queries of a stored cell (those at
// the full fidelity; a cell that stopped earlier counts what it has).
struct CellFronts {
  // Query indices (0-based) of the queries no other dominates by
  // validation error and the metrics, in query order.
  std::vector<int> members;
  std::vector<ObjectiveVector> valid_points;  // Of the members.
  // The same architectures scored by their test errors: the test side of
  // the front the searcher would report (as the single-objective
  // leaderboard reports the test error of the best-validation
  // architecture).
  std::vector<ObjectiveVector> test_points;
};

// FailedPrecondition when the cell file lacks a metric of `info` (a cell
// written by a nas that stored no metric columns).
absl::StatusOr<CellFronts> FrontsOf(const CellResult& cell,
                                    const MultiObjectiveInfo& info,
                                    int64_t queries);

// The two hypervolumes reported: of the validation front, and of the
// same architectures by test error (CellFronts::test_points).
enum class FrontSide { kValid = 0, kTest = 1 };

// One (benchmark, side, algorithm, checkpoint) entry over the seeds whose
// cells finished without error.
struct HypervolumeRow {
  int benchmark = 0;
  FrontSide side = FrontSide::kValid;
  int algorithm = 0;
  int64_t queries = 0;
  int missing_seeds = 0;
  int failed_seeds = 0;
  // Hypervolume divided by the exact front's (raw without an exact front).
  SampleSummary hypervolume;  // n == 0: no seed has a value.
  // Paired Wilcoxon test against the reference algorithm, Holm-adjusted
  // over every benchmark and algorithm of this side and checkpoint.
  PairedComparison versus_reference;
  // Rank within the benchmark by mean hypervolume (1 = largest).
  double rank = 0;
};

struct HypervolumeReports {
  std::vector<HypervolumeRow> rows;
  // Average over benchmarks of each algorithm's rank at the last
  // checkpoint: [side][algorithm] (NaN without results).
  std::vector<std::vector<double>> average_rank;
  std::string csv;  // hypervolume.csv
  std::string md;   // hypervolume.md
  // plots/<name>.svg
  std::vector<std::pair<std::string, std::string>> plots;
};

// Empty reports (no rows, empty files) when no benchmark of the manifest
// has multiobjective info. Deterministic: the same inputs give the same
// bytes.
absl::StatusOr<HypervolumeReports> BuildHypervolumeReports(
    const Experiment& config, const Manifest& manifest,
    const std::vector<CellResult>& cells);

}  // namespace nas

#endif  // NASBENCH_HARNESS_HYPERVOLUME_REPORT_H_
