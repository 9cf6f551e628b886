// `nas tabulate` through the real binary on the NAS-Bench-201 table (fast):
// every architecture, each row equal to the objective's own evaluation;
// shards that concatenate to the unsharded table; thread counts and reruns
// that change nothing; seeded samples; output directories it must refuse.

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/test_data.h"
#include "gtest/gtest.h"
#include "harness/config.h"
#include "harness/tabulate.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

using cli_testing::Nas;
using cli_testing::Result;
using cli_testing::Slurp;
using cli_testing::Spit;
using cli_testing::TempDir;

std::string Nb201Config(int architectures) {
  const std::string path =
      absl::StrCat(TempDir(), "/nb201_", architectures, ".textproto");
  Spit(path, absl::StrCat(R"(
name: "tabulate test" seed: 7 num_seeds: 1
budget { queries: )", architectures, R"( }
benchmark {
  name: "c10"
  space { name: "nasbench201" }
  objective {
    name: "nasbench201"
    params { [type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "cifar10-valid" } }
  }
}
algorithm { plugin: "random_search" }
)"));
  return path;
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

TEST(Tabulate, EveryArchitectureEqualsTheObjective) {
  const std::string config = Nb201Config(15625);
  const std::string dir = TempDir() + "/all";
  const Result r = Nas(absl::StrCat("tabulate ", config, " --output_dir ", dir,
                                    " --threads 2"));
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::vector<std::string> lines = Lines(Slurp(dir + "/c10.csv"));
  ASSERT_EQ(lines.size(), 15626u);
  EXPECT_EQ(lines[0], kTableHeader);

  LoadOptions options;
  options.data_dir = TestDataDir();
  absl::StatusOr<LoadedExperiment> loaded = LoadExperiment(config, options);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const SearchSpace& space = *loaded->benchmarks[0].space;
  const Objective& objective = *loaded->benchmarks[0].objective;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> f = absl::StrSplit(lines[i], ',');
    ASSERT_EQ(f.size(), 5u) << lines[i];
    absl::StatusOr<Architecture> arch = space.Parse(f[0]);
    ASSERT_TRUE(arch.ok()) << f[0];
    // Index order, canonical strings.
    ASSERT_EQ(space.ToIndex(*arch), static_cast<int64_t>(i - 1)) << f[0];
    ASSERT_EQ(space.ToString(*arch), f[0]);
    const Evaluation e = objective.Evaluate(*arch, 0, nullptr);
    double valid, test, cost, epochs;
    ASSERT_TRUE(absl::SimpleAtod(f[1], &epochs) &&
                absl::SimpleAtod(f[2], &valid) &&
                absl::SimpleAtod(f[3], &test) && absl::SimpleAtod(f[4], &cost));
    EXPECT_EQ(epochs, objective.fidelities()[0].epochs);
    // Exact: the numbers are printed in shortest round-trip form.
    ASSERT_EQ(valid, e.valid_error) << lines[i];
    ASSERT_EQ(test, e.test_error) << lines[i];
    ASSERT_EQ(cost, e.cost_seconds) << lines[i];
  }
  const std::string manifest = Slurp(dir + "/manifest.json");
  EXPECT_TRUE(absl::StrContains(manifest, kTableManifestSchema)) << manifest;
  EXPECT_TRUE(absl::StrContains(manifest, "\"rows\": 15625")) << manifest;
  EXPECT_TRUE(absl::StrContains(manifest, "sha256")) << manifest;

  // One thread, and three shards concatenated in order: the same bytes.
  const Result one = Nas(absl::StrCat("tabulate ", config, " --output_dir ",
                                      TempDir(), "/one --threads 1"));
  ASSERT_EQ(one.exit_code, 0) << one.stderr_text;
  EXPECT_EQ(Slurp(TempDir() + "/one/c10.csv"), Slurp(dir + "/c10.csv"));
  std::string joined;
  for (int i = 0; i < 3; ++i) {
    const std::string shard = absl::StrCat(TempDir(), "/shard", i);
    const Result s = Nas(absl::StrCat("tabulate ", config, " --output_dir ",
                                      shard, " --shard ", i, "/3"));
    ASSERT_EQ(s.exit_code, 0) << s.stderr_text;
    const std::string table = Slurp(shard + "/c10.csv");
    ASSERT_TRUE(absl::StartsWith(table, absl::StrCat(kTableHeader, "\n")));
    joined += i == 0 ? table : table.substr(std::string(kTableHeader).size() + 1);
  }
  EXPECT_EQ(joined, Slurp(dir + "/c10.csv"));
}

// The promise of tabulate: its table is a benchmark. Served back through
// the generic table objective, it gives the same trajectories (cell files)
// and the same leaderboard numbers as the objective it was tabulated from.
TEST(Tabulate, TheTableServesTheGenericObjectiveWithIdenticalResults) {
  const std::string config = Nb201Config(15625);
  const std::string tables = TempDir() + "/served";
  const Result t = Nas(absl::StrCat("tabulate ", config, " --output_dir ",
                                    tables));
  ASSERT_EQ(t.exit_code, 0) << t.stderr_text;
  auto experiment = [](const std::string& objective) {
    return absl::StrCat(R"(
name: "served" seed: 3 num_seeds: 8
budget { queries: 100 }
benchmark { name: "c10" space { name: "nasbench201" } )", objective, R"( }
algorithm { plugin: "local_search" }
algorithm { plugin: "random_search" }
)");
  };
  const std::string direct = TempDir() + "/direct.textproto";
  Spit(direct, experiment(R"(objective { name: "nasbench201"
    params { [type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "cifar10-valid" } } })"));
  const std::string served = TempDir() + "/served.textproto";
  Spit(served, experiment(R"(objective { name: "table"
    params { [type.googleapis.com/nas.TableObjectiveParams] {
      table: "c10.csv" architecture: "{architecture}" fidelity_column: "fidelity"
      valid { column: "valid_error" kind: ERROR_PERCENT }
      test { column: "test_error" kind: ERROR_PERCENT }
      cost { column: "cost_seconds" } } } })"));
  const Result a = Nas(absl::StrCat("run ", direct, " --output_dir ",
                                    TempDir(), "/run_direct"));
  ASSERT_EQ(a.exit_code, 0) << a.stderr_text;
  const Result b = Nas(absl::StrCat("run ", served, " --output_dir ", TempDir(),
                                    "/run_served --data_dir ", tables));
  ASSERT_EQ(b.exit_code, 0) << b.stderr_text;
  const auto served_cells = cli_testing::CellFiles(TempDir() + "/run_served");
  EXPECT_EQ(served_cells.size(), 16u);
  EXPECT_TRUE(served_cells ==
              cli_testing::CellFiles(TempDir() + "/run_direct"));
  EXPECT_EQ(Slurp(TempDir() + "/run_served/summary.csv"),
            Slurp(TempDir() + "/run_direct/summary.csv"));
}

TEST(Tabulate, SeededSampleIsDistinctSortedAndRepeatable) {
  const std::string config = Nb201Config(40);
  const Result a = Nas(absl::StrCat("tabulate ", config, " --output_dir ",
                                    TempDir(), "/sample_a"));
  ASSERT_EQ(a.exit_code, 0) << a.stderr_text;
  const Result b = Nas(absl::StrCat("tabulate ", config, " --output_dir ",
                                    TempDir(), "/sample_b --threads 3"));
  ASSERT_EQ(b.exit_code, 0) << b.stderr_text;
  const std::string table = Slurp(TempDir() + "/sample_a/c10.csv");
  EXPECT_EQ(table, Slurp(TempDir() + "/sample_b/c10.csv"));
  const std::vector<std::string> lines = Lines(table);
  ASSERT_EQ(lines.size(), 41u);
  LoadOptions options;
  options.data_dir = TestDataDir();
  absl::StatusOr<LoadedExperiment> loaded = LoadExperiment(config, options);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const SearchSpace& space = *loaded->benchmarks[0].space;
  int64_t previous = -1;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string arch = lines[i].substr(0, lines[i].find(','));
    const int64_t index = space.ToIndex(*space.Parse(arch));
    EXPECT_GT(index, previous) << "not sorted or repeated: " << arch;
    previous = index;
  }
}

TEST(Tabulate, RefusesOutputItMustNotTouch) {
  const std::string config = Nb201Config(5);
  const std::string dir = TempDir() + "/refuse";
  ASSERT_EQ(Nas(absl::StrCat("tabulate ", config, " --output_dir ", dir))
                .exit_code,
            0);
  const std::string before = Slurp(dir + "/c10.csv");
  // Again without --overwrite: refused, nothing changed.
  const Result again =
      Nas(absl::StrCat("tabulate ", config, " --output_dir ", dir));
  EXPECT_NE(again.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(again.stderr_text, "--overwrite"))
      << again.stderr_text;
  EXPECT_EQ(Slurp(dir + "/c10.csv"), before);
  EXPECT_EQ(Nas(absl::StrCat("tabulate ", config, " --output_dir ", dir,
                             " --overwrite"))
                .exit_code,
            0);
  EXPECT_EQ(Slurp(dir + "/c10.csv"), before);

  // A user's file of the same name, and a `nas run` directory: refused even
  // with --overwrite.
  const std::string user = TempDir() + "/user";
  Spit(user + "/c10.csv", "my own table\n");
  const Result mine = Nas(absl::StrCat("tabulate ", config, " --output_dir ",
                                       user, " --overwrite"));
  EXPECT_NE(mine.exit_code, 0);
  EXPECT_EQ(Slurp(user + "/c10.csv"), "my own table\n");
  const std::string run = TempDir() + "/run";
  ASSERT_EQ(Nas(absl::StrCat("run ", config, " --output_dir ", run)).exit_code,
            0);
  const Result over_run = Nas(absl::StrCat("tabulate ", config,
                                           " --output_dir ", run,
                                           " --overwrite"));
  EXPECT_NE(over_run.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(over_run.stderr_text, "did not write"))
      << over_run.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(run + "/c10.csv"));

  // Bad flags and configs: refused before anything is written.
  const std::string fresh = TempDir() + "/never";
  EXPECT_NE(Nas(absl::StrCat("tabulate ", config, " --output_dir ", fresh,
                             " --shard 3/3"))
                .exit_code,
            0);
  EXPECT_NE(Nas(absl::StrCat("tabulate ", TempDir(),
                             "/missing.textproto --output_dir ", fresh))
                .exit_code,
            0);
  EXPECT_FALSE(std::filesystem::exists(fresh));
}

}  // namespace
}  // namespace nas
