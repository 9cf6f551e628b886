// What a reader of leaderboard.md, report.html and plots/ sees (issue 19):
// truthful titles, full range with a labelled zoom, log regret, markers and
// dashes per algorithm, ranks without lines across benchmarks, decimals
// derived from the intervals, "to target" spelt out.
#include "harness/report.h"

#include <cmath>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(TableDecimalsTest, FollowsTheIntervalHalfWidth) {
  // 10^-d <= h/2: 2 decimals for h in [0.02, 0.2), 3 for [0.002, 0.02).
  EXPECT_EQ(TableDecimals(0.02), 2);
  EXPECT_EQ(TableDecimals(0.05), 2);
  EXPECT_EQ(TableDecimals(0.19), 2);
  EXPECT_EQ(TableDecimals(0.2), 1);
  EXPECT_EQ(TableDecimals(1.5), 1);
  EXPECT_EQ(TableDecimals(2), 0);
  EXPECT_EQ(TableDecimals(30), 0);
  EXPECT_EQ(TableDecimals(0.01), 3);
  EXPECT_EQ(TableDecimals(0.0199), 3);
  EXPECT_EQ(TableDecimals(1e-6), 4);  // Never more than summary's 4.
  EXPECT_EQ(TableDecimals(NAN), 4);   // No interval: nothing to derive from.
  EXPECT_EQ(TableDecimals(0), 4);
}

// Two benchmarks with known optima, three algorithms, four seeds, 40
// queries. "same_a" and "same_b" produce identical curves; "slow" is worse
// and reaches the target on one seed in four.
ReportInput SmallInput(const std::string& report_options = "") {
  ReportInput input;
  Experiment& c = input.config;
  const bool parsed = google::protobuf::TextFormat::ParseFromString(
      absl::StrCat(R"pb(
        name: "small"
        num_seeds: 4
        budget { queries: 40 }
        checkpoint: [ 20, 40 ]
        benchmark { name: "b0" }
        benchmark { name: "b1" }
        algorithm { plugin: "x" label: "same_a" }
        algorithm { plugin: "x" label: "same_b" }
        algorithm { plugin: "x" label: "slow" }
        reference_algorithm: "same_a"
        target_gap_percent: 1
      )pb", report_options),
      &c);
  EXPECT_TRUE(parsed);
  for (int b = 0; b < 2; ++b) {
    BenchmarkInfo* info = input.manifest.add_benchmark();
    info->set_name(c.benchmark(b).name());
    info->set_error_unit("error (%)");
    info->set_has_optimum(true);
    info->set_best_valid_error(8.0);
    info->set_test_error_of_best_valid(8.5);
    info->set_best_test_error(8.25);
  }
  for (int b = 0; b < 2; ++b) {
    for (int a = 0; a < 3; ++a) {
      for (int s = 0; s < 4; ++s) {
        CellResult cell;
        cell.id = CellId{b, a, s};
        for (int q = 1; q <= 40; ++q) {
          // From about 38.5% down to 8.52% after 40 queries (plus a
          // per-seed offset); the slow algorithm stays 1.5 points higher
          // except on seed 0.
          double e = 8.5 + 30.0 / (q * q) + 0.02 * s + 0.05 * b;
          if (a == 2 && s != 0) e += 1.5;
          cell.incumbent_test_error.push_back(e);
          cell.incumbent_valid_error.push_back(e - 0.5);
        }
        input.cells.push_back(cell);
      }
    }
  }
  return input;
}

std::string Plot(const Reports& r, const std::string& name) {
  for (const auto& [n, svg] : r.plots) {
    if (n == name) return svg;
  }
  ADD_FAILURE() << "no plot " << name;
  return "";
}

TEST(ReportTest, CurveTitlesSayWhatIsPlotted) {
  const Reports r = BuildReports(SmallInput());
  const std::string svg = Plot(r, "b0_queries");
  EXPECT_THAT(svg, HasSubstr(
      "b0: test regret of the best-validation architecture so far"));
  EXPECT_THAT(svg, Not(HasSubstr("best-so-far test error")));
  EXPECT_THAT(r.leaderboard_md, Not(HasSubstr("best-so-far test error")));
  EXPECT_THAT(svg, HasSubstr("minus 8.25, the best test error"));
}

TEST(ReportTest, RegretIsOnALogAxisByDefault) {
  const std::string svg = Plot(BuildReports(SmallInput()), "b0_queries");
  EXPECT_THAT(svg, HasSubstr("test regret, log scale"));
  // Regret runs from 30.25 down to 0.27: decade ticks 1 and 10.
  EXPECT_THAT(svg, HasSubstr(">10</text>"));
  EXPECT_THAT(svg, HasSubstr(">1</text>"));
}

TEST(ReportTest, FullRangeAndALabelledZoom) {
  const std::string svg = Plot(BuildReports(SmallInput()), "b0_queries");
  EXPECT_THAT(svg, HasSubstr(">full range</text>"));
  EXPECT_THAT(svg, HasSubstr("zoom: queries 4 to 40 (dashed box at left)"));
  EXPECT_THAT(svg, HasSubstr(">zoomed at right</text>"));
  // Nothing is left out of the log axis.
  EXPECT_THAT(svg, Not(HasSubstr("not drawn")));
  // Unique clip ids per panel and per plot (plots share one HTML page).
  EXPECT_THAT(svg, HasSubstr("id=\"b0_queries-frame\""));
  EXPECT_THAT(svg, HasSubstr("id=\"b0_queries-frame1\""));
}

TEST(ReportTest, ConfigSelectsTestErrorLinearAndNoZoom) {
  const Reports r = BuildReports(SmallInput(
      "report { y_axis: TEST_ERROR zoom_from: 0 log_x: true }"));
  const std::string svg = Plot(r, "b0_queries");
  EXPECT_THAT(svg, HasSubstr(
      "b0: test error of the best-validation architecture so far"));
  EXPECT_THAT(svg, HasSubstr(">test error (%)</text>"));
  EXPECT_THAT(svg, HasSubstr(">queries, log scale</text>"));
  EXPECT_THAT(svg, Not(HasSubstr("zoom")));
  EXPECT_THAT(svg, Not(HasSubstr("regret")));
}

TEST(ReportTest, EveryAlgorithmHasItsOwnMarkerAndDash) {
  const std::string svg = Plot(BuildReports(SmallInput()), "b0_queries");
  // same_a: solid with circles; same_b: dashed "7,3" with crosses; slow:
  // dotted "2,2" with squares.
  EXPECT_THAT(svg, HasSubstr("<circle"));
  EXPECT_THAT(svg, HasSubstr("stroke-dasharray=\"7,3\""));
  EXPECT_THAT(svg, HasSubstr("stroke-dasharray=\"2,2\""));
  EXPECT_THAT(svg, HasSubstr("<rect x="));
}

TEST(ReportTest, RankChartHasNoLinesAcrossBenchmarks) {
  const Reports r = BuildReports(SmallInput());
  const std::string svg = Plot(r, "ranks");
  // Lines between points are stroke-width 2 paths; a dot chart has none
  // (whiskers are 1.2, legend entries are markers only).
  EXPECT_THAT(svg, Not(HasSubstr("stroke-width=\"2\"")));
  EXPECT_THAT(svg, HasSubstr(">average</text>"));
  EXPECT_THAT(svg, HasSubstr("95% bootstrap"));
  EXPECT_THAT(svg, HasSubstr("stroke-width=\"1.2\""));  // Whiskers.
  EXPECT_THAT(r.leaderboard_md, HasSubstr("| 95% bootstrap |"));
}

TEST(ReportTest, TablesShowDecimalsTheIntervalsSupportAndExplainTarget) {
  const Reports r = BuildReports(SmallInput());
  // b0 at 40 queries: same_a's errors 8.51875 + 0, 0.02, 0.04, 0.06: mean
  // 8.54875, half-width 3.182 * 0.02582 / 2 = 0.0411 -> 2 decimals.
  EXPECT_THAT(r.leaderboard_md,
              HasSubstr("| 1 | same_a | 8.55 | [8.51, 8.59] |"));
  // slow: only seed 0 gets within 1% of 8.5 (8.585): no median.
  EXPECT_THAT(r.leaderboard_md, HasSubstr("not reached (25% of seeds did)"));
  EXPECT_THAT(r.leaderboard_md, Not(HasSubstr("- (")));
  EXPECT_THAT(r.report_html, HasSubstr("white-space:nowrap"));
  // summary.csv keeps its 4 decimals.
  EXPECT_THAT(r.summary_csv, HasSubstr("\nb0,same_a,40,4,8.54"));
}

TEST(ReportTest, Deterministic) {
  const Reports a = BuildReports(SmallInput());
  const Reports b = BuildReports(SmallInput());
  EXPECT_EQ(a.report_html, b.report_html);
  EXPECT_EQ(a.leaderboard_md, b.leaderboard_md);
}

}  // namespace
}  // namespace nas
