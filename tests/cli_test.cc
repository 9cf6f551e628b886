// End-to-end tests of the `nas` binary: the quickstart as a user runs it,
// reproducibility across runs and thread counts, and bad input leaving no
// output behind.

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using cli_testing::CellFiles;
using cli_testing::Nas;
using cli_testing::Result;
using cli_testing::Slurp;
using cli_testing::TempDir;
using cli_testing::Tree;

std::string Config(const std::string& name, const std::string& text) {
  const std::string path = absl::StrCat(TempDir(), "/", name);
  std::ofstream(path) << text;
  return path;
}

constexpr char kQuickstart[] = "configs/quickstart.textproto";

TEST(CliTest, QuickstartMatchesThePublishedStudy) {
  const std::string dir = TempDir() + "/quickstart";
  const Result r = Nas(absl::StrCat("run ", kQuickstart, " --output_dir ", dir));
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_THAT(r.stdout_text, HasSubstr("| 1 | local_search |"));

  // Mean test error at 300 queries, from summary.csv.
  std::map<std::string, std::vector<double>> at_300;
  std::istringstream csv(Slurp(dir + "/summary.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line.rfind("benchmark,algorithm,queries,seeds,mean_test_error,"
                       "ci95_low,ci95_high",
                       0),
            0u);
  while (std::getline(csv, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, ',');) f.push_back(field);
    if (f[2] != "300") continue;
    EXPECT_EQ(f[3], "100");  // Seeds.
    at_300[f[0] + "/" + f[1]] = {std::stod(f[4]), std::stod(f[5]),
                                 std::stod(f[6])};
  }
  ASSERT_EQ(at_300.size(), 6u);
  // White et al. report about 26.5% (CIFAR-100) and 53.6% (ImageNet16-120).
  EXPECT_NEAR(at_300["cifar100/local_search"][0], 26.5, 0.3);
  EXPECT_NEAR(at_300["ImageNet16-120/local_search"][0], 53.6, 0.3);
  for (const char* b : {"cifar10-valid", "cifar100", "ImageNet16-120"}) {
    EXPECT_LT(at_300[absl::StrCat(b, "/local_search")][0],
              at_300[absl::StrCat(b, "/random_search")][0])
        << b;
  }
  // Non-overlapping 95% intervals on CIFAR-100.
  EXPECT_LT(at_300["cifar100/local_search"][2],
            at_300["cifar100/random_search"][1]);
  // Per-cell trajectories: 3 benchmarks x 2 algorithms x 100 seeds.
  EXPECT_EQ(CellFiles(dir).size(), 600u);
}

// The quickstart run once, uninterrupted, on 2 threads: the reference the
// other runs must reproduce byte for byte.
const std::map<std::string, std::string>& ReferenceRun() {
  static const auto* tree = [] {
    const std::string dir = TempDir() + "/reference";
    const Result r =
        Nas(absl::StrCat("run ", kQuickstart, " --threads 2 --output_dir ", dir));
    EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
    return new std::map<std::string, std::string>(Tree(dir));
  }();
  return *tree;
}

TEST(CliTest, ByteIdenticalAcrossRunsAndThreadCounts) {
  const auto& reference = ReferenceRun();
  // The store of 600 cells, config, manifest, summary.csv/json, leaderboard,
  // report.html and 4 plots.
  EXPECT_EQ(reference.size(), 11u);
  for (const char* threads : {"1", "2"}) {
    const std::string dir = absl::StrCat(TempDir(), "/repro_", threads);
    ASSERT_EQ(Nas(absl::StrCat("run ", kQuickstart, " --threads ", threads,
                               " --output_dir ", dir))
                  .exit_code,
              0);
    EXPECT_TRUE(Tree(dir) == reference) << threads << " thread(s) differ";
  }
}

TEST(CliTest, KilledRunResumesToIdenticalOutput) {
  const std::string dir = TempDir() + "/killed";
  const Result killed =
      Nas(absl::StrCat("run ", kQuickstart, " --threads 2 --output_dir ", dir),
          "NAS_TEST_KILL_AFTER_CELLS=250 ");
  EXPECT_NE(killed.exit_code, 0);  // 128 + SIGKILL from the shell.
  EXPECT_FALSE(fs::exists(dir + "/summary.csv"));
  // Each cell is stored as it finishes: only the cells in flight are lost.
  const size_t finished = CellFiles(dir).size();
  EXPECT_GE(finished, 249u);
  EXPECT_LT(finished, 600u);

  const Result resumed = Nas(
      absl::StrCat("run ", kQuickstart, " --resume --threads 2 --output_dir ",
                   dir));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.stderr_text;
  EXPECT_THAT(resumed.stderr_text, HasSubstr("already finished"));
  EXPECT_TRUE(Tree(dir) == ReferenceRun())
      << "a resumed run differs from an uninterrupted one";
}

TEST(CliTest, ResumeRefusesADifferentConfig) {
  const std::string dir = TempDir() + "/resume_other";
  ASSERT_EQ(Nas(absl::StrCat("run ", kQuickstart, " --output_dir ", dir,
                             " --filter 'cifar100/.*'"))
                .exit_code,
            0);
  const std::string other = Config(
      "other.textproto",
      "num_seeds: 2 budget { queries: 10 } benchmark { name: \"c100\" "
      "space { name: \"nasbench201\" } objective { name: \"nasbench201\" } "
      "} algorithm { plugin: \"random_search\" }");
  const Result r =
      Nas(absl::StrCat("run ", other, " --resume --output_dir ", dir));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.stderr_text, HasSubstr("holds a different experiment"));
}

TEST(CliTest, ShardedRunsMergeToTheUnshardedOutput) {
  std::string shard_dirs;
  for (int i = 0; i < 3; ++i) {
    const std::string dir = absl::StrCat(TempDir(), "/shard", i);
    const Result r = Nas(absl::StrCat("run ", kQuickstart, " --shard ", i,
                                      "/3 --output_dir ", dir));
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    EXPECT_FALSE(fs::exists(dir + "/summary.csv"));
    EXPECT_EQ(CellFiles(dir).size(), 200u);
    absl::StrAppend(&shard_dirs, " ", dir);
  }
  const std::string merged = TempDir() + "/merged";
  const Result r = Nas(absl::StrCat("merge ", merged, shard_dirs));
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_TRUE(Tree(merged) == ReferenceRun())
      << "merged shards differ from the unsharded run";
}

TEST(CliTest, ReportRebuildsTheSameFilesFromStoredCells) {
  const std::string dir = TempDir() + "/report_again";
  ASSERT_EQ(Nas(absl::StrCat("run ", kQuickstart, " --output_dir ", dir))
                .exit_code,
            0);
  fs::remove(dir + "/summary.csv");
  fs::remove_all(dir + "/plots");
  const Result r = Nas(absl::StrCat("report ", dir));
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_THAT(r.stdout_text, HasSubstr("# Leaderboard"));
  EXPECT_TRUE(Tree(dir) == ReferenceRun());
}

TEST(CliTest, AFilteredRunRanksOnlyWhatRan) {
  const std::string dir = TempDir() + "/filtered";
  const Result r = Nas(absl::StrCat("run ", kQuickstart, " --output_dir ", dir,
                                    " --filter 'cifar100/local_search'"));
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_THAT(r.stdout_text, HasSubstr("| 1 | local_search | 26.500 |"));
  EXPECT_THAT(r.stdout_text, HasSubstr("| not run | random_search | - |"));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("| 2 | random_search")));
}

TEST(CliTest, HelpListsEachCommandsFlagsAndVersionNamesTheBuild) {
  const Result help = Nas("run --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--output_dir DIR", "--threads N", "--data_dir D",
                           "--resume", "--overwrite", "--filter RE2",
                           "--shard I/N"}) {
    EXPECT_THAT(help.stdout_text, HasSubstr(absl::StrCat("\n  ", flag, " ")))
        << flag;
  }
  EXPECT_THAT(Nas("merge --help").stdout_text, HasSubstr("  --overwrite "));
  const Result version = Nas("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.stdout_text, HasSubstr("nasbench 0.3.0\nbuild: opt"));
  EXPECT_THAT(version.stdout_text, HasSubstr("\ncommit: "));
  EXPECT_THAT(version.stdout_text, Not(HasSubstr("NDEBUG")));
}

TEST(CliTest, EachCommandHasItsOwnHelp) {
  for (const char* command :
       {"run", "report", "merge", "list", "describe", "landscape"}) {
    const Result r = Nas(absl::StrCat(command, " --help"));
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_THAT(r.stdout_text, HasSubstr(absl::StrCat("nas ", command)));
  }
}

TEST(CliTest, RefusesToOverwriteResultsUnlessAsked) {
  const std::string dir = TempDir() + "/twice";
  const std::string config = Config("small.textproto", R"pb(
    num_seeds: 2
    budget { queries: 10 }
    benchmark {
      name: "c100"
      space { name: "nasbench201" }
      objective { name: "nasbench201" }
    }
    algorithm { plugin: "random_search" }
  )pb");
  ASSERT_EQ(Nas(absl::StrCat("run ", config, " --output_dir ", dir)).exit_code,
            0);
  const std::string before = Slurp(dir + "/summary.csv");
  const Result again = Nas(absl::StrCat("run ", config, " --output_dir ", dir));
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.stderr_text, HasSubstr("already holds results"));
  EXPECT_THAT(again.stderr_text, HasSubstr("--resume"));
  EXPECT_EQ(Slurp(dir + "/summary.csv"), before);
  EXPECT_EQ(Nas(absl::StrCat("run ", config, " --overwrite --output_dir ", dir))
                .exit_code,
            0);
}

// Each bad input: a clear message, a failing exit code, no output directory.
TEST(CliTest, BadInputLeavesNoPartialOutput) {
  struct Case {
    std::string name, config, flags, message;
  };
  const std::string good_benchmark = R"pb(
    benchmark {
      name: "c100"
      space { name: "nasbench201" }
      objective { name: "nasbench201" }
    })pb";
  const std::vector<Case> cases = {
      {"unknown_plugin",
       absl::StrCat("num_seeds: 2 budget { queries: 10 }", good_benchmark,
                    " algorithm { plugin: \"hill_climbing\" }"),
       "", "unknown algorithm 'hill_climbing'; registered algorithms: "},
      {"misspelt_field",
       absl::StrCat("num_seed: 2\nbudget { queries: 10 }", good_benchmark,
                    " algorithm { plugin: \"random_search\" }"),
       "", "misspelt_field.textproto:1:"},
      {"ill_typed_field",
       absl::StrCat("num_seeds: 2\nbudget { queries: \"ten\" }",
                    good_benchmark, " algorithm { plugin: \"random_search\" }"),
       "", "ill_typed_field.textproto:2:"},
      {"missing_data",
       absl::StrCat("num_seeds: 2 budget { queries: 10 }", good_benchmark,
                    " algorithm { plugin: \"random_search\" }"),
       "--data_dir=/nowhere", "/nowhere/nasbench201/nb201_v1_1_200ep_seedavg.csv"},
      {"budget_over_space",
       absl::StrCat("num_seeds: 2 budget { queries: 16000 }", good_benchmark,
                    " algorithm { plugin: \"random_search\" }"),
       "", "exceeds the 15625 architectures"},
      {"zero_seeds",
       absl::StrCat("num_seeds: 0 budget { queries: 10 }", good_benchmark,
                    " algorithm { plugin: \"random_search\" }"),
       "", "num_seeds is 0"},
      {"negative_seeds",
       absl::StrCat("num_seeds: -3 budget { queries: 10 }", good_benchmark,
                    " algorithm { plugin: \"random_search\" }"),
       "", "num_seeds is -3"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string dir = absl::StrCat(TempDir(), "/bad_", c.name);
    const std::string config =
        Config(absl::StrCat(c.name, ".textproto"), c.config);
    // A later --data_dir flag overrides the one Nas() puts first.
    const Result r = Nas(absl::StrCat("run ", config, " --output_dir ", dir,
                                      " ", c.flags));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_THAT(r.stderr_text, HasSubstr(c.message));
    EXPECT_FALSE(fs::exists(dir)) << "partial output left in " << dir;
  }
}

TEST(CliTest, ListShowsEveryPluginKind) {
  const Result r = Nas("list");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.stdout_text, HasSubstr("search spaces:"));
  EXPECT_THAT(r.stdout_text, HasSubstr("local_search"));
}

}  // namespace
}  // namespace nas
