// The hypervolume reports through the real `nas` binary on the real
// EC-NAS-Bench 5-vertex table (validation error vs energy): their columns,
// their byte-reproducibility across thread counts and `nas report`, and the
// config errors a bad metric gives before any cell runs.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

namespace ct = ::nas::cli_testing;
using ::testing::HasSubstr;
using ::testing::Not;

// `algorithm_params` goes into pareto_local_search's params block;
// `multiobjective` is the benchmark's block.
std::string Config(const std::string& multiobjective,
                   const std::string& algorithm_params = "") {
  return absl::StrCat(R"(
name: "mo report test"
num_seeds: 6
budget { queries: 60 }
checkpoint: [20, 60]
benchmark {
  name: "ecnas5v"
  space {
    name: "nasbench101"
    params { [type.googleapis.com/nas.Nasbench101SpaceParams] { max_vertices: 5 } }
  }
  objective {
    name: "ecnas"
    params { [type.googleapis.com/nas.EcnasObjectiveParams] { vertices: 5 } }
  }
  )",
                      multiobjective, R"(
}
algorithm { plugin: "mo_random_search" }
algorithm {
  plugin: "pareto_local_search"
  params { [type.googleapis.com/nas.ParetoLocalSearchParams] { )",
                      algorithm_params, R"( } }
}
)");
}

std::string WriteConfig(const std::string& name, const std::string& text) {
  const std::string path = absl::StrCat(ct::TempDir(), "/", name);
  ct::Spit(path, text);
  return path;
}

TEST(MultiobjectiveReportTest, LeaderboardColumnsAndRows) {
  const std::string config = WriteConfig(
      "columns.textproto", Config("multiobjective { metric: \"energy\" }"));
  const std::string out = absl::StrCat(ct::TempDir(), "/columns_out");
  const ct::Result run =
      ct::Nas(absl::StrCat("run ", config, " --output_dir ", out));
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const std::string csv = ct::Slurp(out + "/hypervolume.csv");
  std::vector<std::string> lines = absl::StrSplit(csv, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(),
            1u + 2 * 2 * 2);  // Header; sides x algorithms x checkpoints.
  EXPECT_EQ(lines[0],
            "benchmark,side,algorithm,queries,seeds,hypervolume_normalised,"
            "mean_hypervolume,ci95_low,ci95_high,median_hypervolume,"
            "mean_difference_to_reference,p_value,p_holm,rank,failed_seeds,"
            "missing_seeds");
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> f = absl::StrSplit(lines[i], ',');
    ASSERT_EQ(f.size(), 16u) << lines[i];
    EXPECT_EQ(f[0], "ecnas5v");
    EXPECT_EQ(f[4], "6");
    EXPECT_EQ(f[5], "true");  // The 5-vertex space is enumerated.
    const double mean = std::stod(f[6]), low = std::stod(f[7]),
                 high = std::stod(f[8]);
    // Fractions of the exact front's hypervolume, inside their interval.
    EXPECT_GT(mean, 0.5) << lines[i];
    EXPECT_LE(mean, 1.0) << lines[i];
    EXPECT_LE(low, mean);
    EXPECT_GE(high, mean);
    // The reference (mo_random_search) has no test against itself.
    if (f[2] == "mo_random_search") {
      EXPECT_EQ(f[11], "nan");
    } else {
      EXPECT_NE(f[11], "nan");
      EXPECT_GE(std::stod(f[12]), std::stod(f[11]));  // Holm only raises p.
    }
  }
  EXPECT_THAT(ct::Slurp(out + "/leaderboard.md"),
              HasSubstr("see hypervolume.md and hypervolume.csv"));
  const std::string md = ct::Slurp(out + "/hypervolume.md");
  EXPECT_THAT(md, HasSubstr("## ecnas5v"));
  EXPECT_THAT(md, HasSubstr("Reference point (derived from the exact fronts): "
                            "(50.9936, 68.2109)"));
  EXPECT_THAT(md, HasSubstr("Exact front: 14 architectures"));
  EXPECT_THAT(md, HasSubstr("### test side"));
  const std::string svg = ct::Slurp(out + "/plots/ecnas5v_pareto.svg");
  EXPECT_THAT(svg, HasSubstr("exact front"));
  EXPECT_THAT(svg, HasSubstr("pareto_local_search (seed "));
  // The cells carry the metric for reports to recompute from.
  EXPECT_THAT(ct::Nas(absl::StrCat("export ", out)).stdout_text,
              HasSubstr(",incumbent_test_error,metric_energy\n"));
}

TEST(MultiobjectiveReportTest, ByteIdenticalAcrossThreadsAndReport) {
  const std::string config = WriteConfig(
      "bytes.textproto",
      Config(
          "multiobjective { metric: \"energy\" reference_point: [60, 70] }"));
  const std::string one = absl::StrCat(ct::TempDir(), "/bytes_1");
  const std::string two = absl::StrCat(ct::TempDir(), "/bytes_2");
  ASSERT_EQ(
      ct::Nas(absl::StrCat("run ", config, " --threads 1 --output_dir ", one))
          .exit_code,
      0);
  ASSERT_EQ(
      ct::Nas(absl::StrCat("run ", config, " --threads 2 --output_dir ", two))
          .exit_code,
      0);
  const std::map<std::string, std::string> first = ct::Tree(one);
  ASSERT_TRUE(first.count("hypervolume.csv"));
  EXPECT_THAT(first.at("hypervolume.md"),
              HasSubstr("Reference point (config): (60, 70)"));
  EXPECT_EQ(first, ct::Tree(two));
  // `nas report` rebuilds the reports from the cells alone.
  for (const char* report :
       {"hypervolume.csv", "hypervolume.md", "plots/ecnas5v_pareto.svg"}) {
    std::filesystem::remove(absl::StrCat(two, "/", report));
  }
  ASSERT_EQ(ct::Nas(absl::StrCat("report ", two)).exit_code, 0);
  EXPECT_EQ(first, ct::Tree(two));
}

TEST(MultiobjectiveReportTest, BadMetricsFailAtConfigLoadNamingTheChoices) {
  struct Case {
    std::string multiobjective, algorithm_params, message;
  };
  const std::vector<Case> cases = {
      {"", "objective: \"nope\"",
       "cannot run on benchmark 'ecnas5v': objective: metric 'nope' is not "
       "one this benchmark shows; it shows: energy"},
      {"multiobjective { metric: \"nope\" }", "",
       "benchmark 'ecnas5v': multiobjective: metric 'nope' is not one this "
       "benchmark reports; it shows: energy"},
      {"multiobjective { }", "", "multiobjective: 0 metrics; name one or two"},
      {"multiobjective { metric: \"energy\" reference_point: [60] }", "",
       "reference_point has 1 values but needs 2"},
      {"multiobjective { metric: \"energy\" reference_point: [1, 1] }", "",
       "is not beyond any point of the exact front"},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string config =
        WriteConfig(absl::StrCat("bad", ++n, ".textproto"),
                    Config(c.multiobjective, c.algorithm_params));
    const std::string out = absl::StrCat(ct::TempDir(), "/bad_out", n);
    const ct::Result run =
        ct::Nas(absl::StrCat("run ", config, " --output_dir ", out));
    EXPECT_NE(run.exit_code, 0) << c.message;
    EXPECT_THAT(run.stderr_text, HasSubstr(c.message));
    EXPECT_THAT(run.stderr_text, HasSubstr(config));  // The file, with line.
    // Before anything is written: no cell ran.
    EXPECT_FALSE(std::filesystem::exists(out + "/cells")) << c.message;
  }
}

TEST(MultiobjectiveReportTest, SingleObjectiveRunsWriteNoHypervolumeReport) {
  const std::string config = WriteConfig("plain.textproto", Config(""));
  const std::string out = absl::StrCat(ct::TempDir(), "/plain_out");
  ASSERT_EQ(
      ct::Nas(absl::StrCat("run ", config, " --output_dir ", out)).exit_code,
      0);
  EXPECT_FALSE(std::filesystem::exists(out + "/hypervolume.csv"));
  EXPECT_THAT(ct::Slurp(out + "/leaderboard.md"), Not(HasSubstr("ypervolume")));
  // Nor metric columns: cells stay as they were without the block.
  EXPECT_THAT(ct::Nas(absl::StrCat("export ", out)).stdout_text,
              Not(HasSubstr("metric_")));
}

}  // namespace
}  // namespace nas
