#ifndef NASBENCH_HARNESS_REPORT_H_
#define NASBENCH_HARNESS_REPORT_H_

#include <string>
#include <vector>

#include "harness/config.h"
#include "harness/runner.h"
#include "harness/stats/stats.h"

namespace nas {

// One leaderboard entry: an algorithm on a benchmark at a checkpoint,
// summarised over the seeds whose cells succeeded.
struct LeaderboardRow {
  std::string benchmark;
  std::string algorithm;
  int64_t queries = 0;
  int failed_seeds = 0;
  SampleSummary test_error;  // n == 0 when every seed failed.
  double mean_valid_error = 0;
};

// Rows in config order: benchmark, algorithm, checkpoint. `results` holds
// one CellResult per cell of the experiment (any order).
std::vector<LeaderboardRow> Aggregate(const LoadedExperiment& experiment,
                                      const std::vector<CellResult>& results);

// Tidy CSV, one row per LeaderboardRow; header:
// benchmark,algorithm,queries,seeds,mean_test_error,ci95_low,ci95_high,
// std_test_error,median_test_error,mean_valid_error,failed_seeds
std::string SummaryCsv(const std::vector<LeaderboardRow>& rows);

// Markdown: one table per benchmark, algorithms ranked by mean test error at
// the last checkpoint, with the 95% interval and the other checkpoints.
std::string LeaderboardMarkdown(const LoadedExperiment& experiment,
                                const std::vector<LeaderboardRow>& rows);

// One cell's trajectory: every query in order with the incumbent's errors.
std::string CellCsv(const LoadedExperiment& experiment,
                    const CellResult& result);

// Where CellCsv goes below the output directory:
// cells/<benchmark>/<algorithm>/seed_<k>.csv
std::string CellPath(const LoadedExperiment& experiment, const CellId& id);

}  // namespace nas

#endif  // NASBENCH_HARNESS_REPORT_H_
