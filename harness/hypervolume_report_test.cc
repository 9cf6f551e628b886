// Hypervolume reports on hand-made cells whose values can be checked by
// hand: which queries enter a front, the hypervolumes, the leaderboard's
// statistics and ranks.

#include "harness/hypervolume_report.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Two objectives: error and "params"; reference (4, 4) from the config,
// no exact front (raw hypervolumes); full fidelity 1.
MultiObjectiveInfo Info() {
  MultiObjectiveInfo info;
  MultiObjectiveInfo::Metric* metric = info.add_metric();
  metric->set_name("params");
  metric->set_unit("count");
  info.set_full_fidelity(1);
  info.add_valid_reference(4);
  info.add_valid_reference(4);
  info.add_test_reference(4);
  info.add_test_reference(4);
  info.set_reference_source("config");
  return info;
}

// queries: (fidelity, valid error, test error, params); a second metric
// column the report must skip.
CellResult Cell(int algorithm, int seed,
                const std::vector<std::vector<double>>& queries) {
  CellResult cell;
  cell.id = {0, algorithm, seed};
  cell.metric_names = {"flops", "params"};
  for (const std::vector<double>& q : queries) {
    QueryRecord record;
    record.fidelity = static_cast<int>(q[0]);
    record.evaluation.valid_error = q[1];
    record.evaluation.test_error = q[2];
    record.evaluation.metrics = {100, q[3]};
    cell.records.push_back(record);
    cell.incumbent_valid_error.push_back(q[1]);
    cell.incumbent_test_error.push_back(q[2]);
  }
  return cell;
}

TEST(HypervolumeReportTest, FrontsSkipLowFidelityAndLaterQueries) {
  const CellResult cell = Cell(0, 0,
                               {{1, 1, 2, 3},
                                {0, 0, 0, 0},  // Low fidelity.
                                {1, 3, 3, 1},
                                {1, 2, 1, 3},  // Dominated by query 0.
                                {1, 0.5, 0.5, 0.5}});
  const CellFronts four = *FrontsOf(cell, Info(), 4);
  EXPECT_THAT(four.members, ElementsAre(0, 2));
  EXPECT_THAT(four.valid_points[1], ElementsAre(3, 1));
  EXPECT_THAT(four.test_points[0], ElementsAre(2, 3));  // Test error, params.
  EXPECT_THAT(FrontsOf(cell, Info(), 5)->members, ElementsAre(4));
  CellResult without = cell;
  without.metric_names = {"flops", "latency"};
  EXPECT_THAT(std::string(FrontsOf(without, Info(), 4).status().message()),
              HasSubstr("no column for metric 'params'"));
}

TEST(HypervolumeReportTest, LeaderboardOfHandComputedVolumes) {
  Experiment config;
  config.set_num_seeds(2);
  config.add_benchmark()->set_name("b");
  config.add_algorithm()->set_label("ref");
  config.add_algorithm()->set_label("other");
  config.set_reference_algorithm("ref");
  config.add_checkpoint(1);
  config.add_checkpoint(2);
  Manifest manifest;
  BenchmarkInfo* info = manifest.add_benchmark();
  info->set_name("b");
  *info->mutable_multiobjective() = Info();
  // Against (4, 4): the point (1, 3) dominates 3 * 1 = 3; with (3, 1)
  // added, 3 + 1 * 2 = 5; (2, 2) alone 4; (1, 1) alone 9.
  const std::vector<CellResult> cells = {
      Cell(0, 0, {{1, 1, 1, 3}, {1, 3, 3, 1}}),
      Cell(0, 1, {{1, 2, 2, 2}, {1, 2, 2, 2}}),
      Cell(1, 0, {{1, 1, 1, 1}, {1, 3, 3, 3}}),
      Cell(1, 1, {{1, 2, 2, 2}, {1, 1, 1, 1}}),
  };
  const HypervolumeReports r =
      *BuildHypervolumeReports(config, manifest, cells);
  // 2 sides x 2 algorithms x 2 checkpoints.
  ASSERT_EQ(r.rows.size(), 8u);
  const HypervolumeRow& ref_last = r.rows[1];  // valid, ref, 2 queries.
  EXPECT_EQ(ref_last.queries, 2);
  EXPECT_DOUBLE_EQ(ref_last.hypervolume.mean, (5.0 + 4.0) / 2);
  const HypervolumeRow& other_first = r.rows[2];  // valid, other, 1 query.
  EXPECT_EQ(other_first.queries, 1);
  EXPECT_DOUBLE_EQ(other_first.hypervolume.mean, (9.0 + 4.0) / 2);
  EXPECT_DOUBLE_EQ(other_first.versus_reference.mean_difference,
                   (9.0 + 4.0) / 2 - (3.0 + 4.0) / 2);
  EXPECT_EQ(other_first.rank, 1);
  EXPECT_EQ(r.rows[0].rank, 2);
  EXPECT_TRUE(std::isnan(r.rows[0].versus_reference.p_value));
  EXPECT_EQ(r.average_rank[0][1], 1);
  const std::vector<std::string> lines =
      absl::StrSplit(r.csv, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[2],
            "b,valid,ref,2,2,false,4.5,-1.8531,10.8531,4.5,nan,nan,"
            "nan,2,0,0");
  EXPECT_THAT(r.md, HasSubstr("Reference point (config): (4, 4)"));
  ASSERT_EQ(r.plots.size(), 1u);
  EXPECT_EQ(r.plots[0].first, "b_pareto");
}

TEST(HypervolumeReportTest, NothingWithoutAMultiobjectiveBlock) {
  Experiment config;
  config.set_num_seeds(1);
  config.add_benchmark()->set_name("b");
  config.add_algorithm()->set_label("a");
  Manifest manifest;
  manifest.add_benchmark()->set_name("b");
  const HypervolumeReports r = *BuildHypervolumeReports(config, manifest, {});
  EXPECT_TRUE(r.rows.empty());
  EXPECT_TRUE(r.csv.empty());
  EXPECT_TRUE(r.md.empty());
}

}  // namespace
}  // namespace nas
