#ifndef NASBENCH_HARNESS_REPORT_H_
#define NASBENCH_HARNESS_REPORT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/experiment.pb.h"
#include "harness/results.pb.h"
#include "harness/runner.h"
#include "harness/stats/stats.h"
#include "harness/store.h"

namespace nas {

// One (benchmark, algorithm, checkpoint) entry, summarised over the seeds
// whose cells finished without error.
struct LeaderboardRow {
  int benchmark = 0;
  int algorithm = 0;
  int64_t queries = 0;
  int missing_seeds = 0;  // Not run yet (shards, filters, interrupted runs).
  int failed_seeds = 0;
  SampleSummary test_error;  // n == 0 when no seed has a value.
  // Bootstrap 95% interval of the mean (last checkpoint only; else NaN).
  double boot_low = 0, boot_high = 0;
  double q1 = 0, q3 = 0;
  double mean_valid_error = 0;
  // Mean over seeds of the area under the best-so-far curve up to here.
  double anytime_area = 0;
  // Median queries until the incumbent is within target_gap_percent of the
  // optimum (-1: more than half the seeds never got there, or no optimum),
  // and the fraction of seeds that got there.
  int64_t median_queries_to_target = -1;
  double fraction_reached_target = 0;
  // Paired Wilcoxon signed-rank test against the reference algorithm over
  // the common seeds (NaN for the reference itself), raw and Holm-adjusted
  // over every comparison at this checkpoint.
  double p_value = 0;
  double p_holm = 0;
  double mean_difference_to_reference = 0;
};

struct AverageRank {
  int algorithm = 0;
  double rank = 0;        // Mean over benchmarks of the within-benchmark rank.
  int benchmarks = 0;     // Benchmarks where it has results.
  std::vector<double> per_benchmark;  // NaN where absent.
};

// Everything a report is built from: the stored experiment, what the
// manifest says about its benchmarks, and the finished cells.
struct ReportInput {
  Experiment config;
  Manifest manifest;
  std::vector<CellResult> cells;
};

struct Reports {
  std::vector<LeaderboardRow> rows;
  std::vector<AverageRank> ranks;
  std::string summary_csv;
  std::string summary_json;
  std::string leaderboard_md;
  std::string report_html;
  // plots/<name>.svg
  std::vector<std::pair<std::string, std::string>> plots;
  // Cells of the experiment, those stored, and those stored as failed.
  int total_cells = 0;
  int finished_cells = 0;
  int failed_cells = 0;
};

Reports BuildReports(const ReportInput& input);

// Decimals the leaderboard tables give errors whose 95% interval has this
// half-width: the fewest d with 10^-d <= half_width / 2, so rounding moves
// a value by at most a quarter of the half-width (2 for 0.02 <= h < 0.2,
// 3 for 0.002 <= h < 0.02, ...), between 0 and 4; 4 without an interval
// (NaN, 0). summary.csv and summary.json keep full precision.
int TableDecimals(double ci_half_width);

// Reads an output directory (config, manifest, cells), rebuilds every
// report and the manifest's results fingerprint, and writes them there.
// Used by `nas run` at the end, `nas report` and `nas merge`.
// `preloaded`: cells this process has just written (may be nullptr).
absl::StatusOr<Reports> WriteReports(const std::string& dir,
                                     PreloadedCells* preloaded = nullptr);

}  // namespace nas

#endif  // NASBENCH_HARNESS_REPORT_H_
