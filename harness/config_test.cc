#include "harness/config.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/output.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

// A valid config to which each test applies one mistake.
constexpr char kGoodConfig[] = R"pb(name: "t"
num_seeds: 3
budget { queries: 20 }
benchmark {
  name: "cifar100"
  space { name: "nasbench201" }
  objective {
    name: "nasbench201"
    params {
      [type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "cifar100" }
    }
  }
}
algorithm {
  plugin: "local_search"
  params { [type.googleapis.com/nas.LocalSearchParams] { num_init: 5 } }
}
algorithm { plugin: "random_search" }
)pb";

std::string Replace(std::string text, const std::string& from,
                    const std::string& to) {
  const size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

std::string WriteConfig(const std::string& text) {
  const std::string path =
      std::string(std::getenv("TEST_TMPDIR")) + "/experiment.textproto";
  std::ofstream(path) << text;
  return path;
}

absl::StatusOr<LoadedExperiment> Load(const std::string& text,
                                      const std::string& data_dir =
                                          TestDataDir()) {
  LoadOptions options;
  options.data_dir = data_dir;
  return LoadExperiment(WriteConfig(text), options);
}

std::string ErrorOf(const std::string& text) {
  auto loaded = Load(text);
  EXPECT_FALSE(loaded.ok());
  return std::string(loaded.status().message());
}

TEST(ConfigTest, GoodConfigLoadsWithDefaults) {
  auto loaded = Load(kGoodConfig);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->benchmarks.size(), 1u);
  ASSERT_EQ(loaded->algorithms.size(), 2u);
  EXPECT_EQ(loaded->algorithms[1].label, "random_search");
  ASSERT_EQ(loaded->config.checkpoint_size(), 1);
  EXPECT_EQ(loaded->config.checkpoint(0), 20);
}

TEST(ConfigTest, MisspeltFieldNamesFileLineAndField) {
  const std::string error =
      ErrorOf(Replace(kGoodConfig, "num_seeds: 3", "num_seed: 3"));
  EXPECT_THAT(error, HasSubstr("experiment.textproto:2:"));
  EXPECT_THAT(error, HasSubstr("num_seed"));
}

TEST(ConfigTest, MisspeltPluginParameterNamesLine) {
  const std::string error =
      ErrorOf(Replace(kGoodConfig, "num_init: 5", "num_inits: 5"));
  EXPECT_THAT(error, HasSubstr("experiment.textproto:16:"));
  EXPECT_THAT(error, HasSubstr("num_inits"));
}

TEST(ConfigTest, IllTypedFieldNamesLine) {
  const std::string error =
      ErrorOf(Replace(kGoodConfig, "num_seeds: 3", "num_seeds: \"three\""));
  EXPECT_THAT(error, HasSubstr("experiment.textproto:2:"));
  EXPECT_THAT(error, HasSubstr("num_seeds"));
}

TEST(ConfigTest, ZeroSeedsIsRefusedWithItsLine) {
  const std::string error =
      ErrorOf(Replace(kGoodConfig, "num_seeds: 3", "num_seeds: 0"));
  EXPECT_THAT(error, HasSubstr("experiment.textproto:2:1: num_seeds is 0"));
}

TEST(ConfigTest, NegativeSeedsIsRefused) {
  EXPECT_THAT(ErrorOf(Replace(kGoodConfig, "num_seeds: 3", "num_seeds: -4")),
              HasSubstr("num_seeds is -4; it must be from 1 to 100000"));
}

TEST(ConfigTest, MissingSeedsIsRefused) {
  EXPECT_THAT(ErrorOf(Replace(kGoodConfig, "num_seeds: 3", "")),
              HasSubstr("num_seeds is missing"));
}

TEST(ConfigTest, UnknownAlgorithmListsTheRegisteredOnes) {
  const std::string error = ErrorOf(
      Replace(kGoodConfig, "plugin: \"random_search\"", "plugin: \"bananas2\""));
  EXPECT_THAT(error, HasSubstr("unknown algorithm 'bananas2'"));
  EXPECT_THAT(error, HasSubstr("local_search"));
  EXPECT_THAT(error, HasSubstr("random_search"));
}

TEST(ConfigTest, UnknownSpaceAndObjectiveListTheRegisteredOnes) {
  EXPECT_THAT(ErrorOf(Replace(kGoodConfig, "space { name: \"nasbench201\" }",
                              "space { name: \"nb201\" }")),
              HasSubstr("unknown search space 'nb201'; registered search "
                        "spaces: "));
  EXPECT_THAT(
      ErrorOf(Replace(kGoodConfig, "    name: \"nasbench201\"\n",
                      "    name: \"nasbench-201\"\n")),
      HasSubstr("unknown objective 'nasbench-201'; registered objectives: "));
}

TEST(ConfigTest, ParametersOfTheWrongTypeAreNamed) {
  const std::string error = ErrorOf(Replace(
      kGoodConfig, "params { [type.googleapis.com/nas.LocalSearchParams] { num_init: 5 } }",
      "params { [type.googleapis.com/nas.RandomSearchParams] { } }"));
  EXPECT_THAT(error, HasSubstr("takes parameters of type nas.LocalSearchParams, "
                               "not nas.RandomSearchParams"));
}

TEST(ConfigTest, BadParameterValueIsNamed) {
  EXPECT_THAT(ErrorOf(Replace(kGoodConfig, "num_init: 5", "num_init: 0")),
              HasSubstr("algorithm 'local_search': local_search: num_init is 0"));
}

TEST(ConfigTest, BudgetLargerThanTheSpaceIsRefused) {
  const std::string error =
      ErrorOf(Replace(kGoodConfig, "queries: 20", "queries: 20000"));
  EXPECT_THAT(error, HasSubstr("budget of 20000 queries exceeds the 15625 "
                               "architectures of benchmark 'cifar100'"));
}

TEST(ConfigTest, MissingDataFileSaysPathAndWhereToGetIt) {
  auto loaded = Load(kGoodConfig, "/nonexistent/tables");
  ASSERT_FALSE(loaded.ok());
  const std::string error(loaded.status().message());
  EXPECT_THAT(error, HasSubstr("/nonexistent/tables/nasbench201/"
                               "nb201_v1_1_200ep_seedavg.csv"));
  EXPECT_THAT(error, HasSubstr("README.txt"));
  EXPECT_THAT(error, HasSubstr("--data_dir"));
}

TEST(ConfigTest, DataFilesAreHashedWhileLoading) {
  auto loaded = Load(kGoodConfig);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const std::string file = loaded->benchmarks[0].objective->data_files()[0];
  ASSERT_EQ(loaded->data_file_digests.count(file), 1u);
  const auto& digest = loaded->data_file_digests.at(file);
  ASSERT_TRUE(digest.ok()) << digest.status();
  // The same digest as the file read afresh.
  auto bytes = ReadFile(absl::StrCat(TestDataDir(), "/", file));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(digest->sha256, Sha256Hex(*bytes));
  EXPECT_EQ(digest->bytes, static_cast<int64_t>(bytes->size()));
}

// Benchmarks load in parallel, but the error reported is the first
// benchmark's, as when they loaded one after another.
TEST(ConfigTest, ParallelLoadingReportsTheFirstBenchmarksError) {
  const std::string second_benchmark = R"pb(benchmark {
                                              name: "broken_space"
                                              space { name: "no_such_space" }
                                              objective { name: "nasbench201" }
                                            }
                                            benchmark {)pb";
  const std::string config =
      Replace(Replace(kGoodConfig, "benchmark {", second_benchmark),
              "dataset: \"cifar100\"", "dataset: \"no_such_dataset\"");
  for (int threads : {1, 2, 4}) {
    LoadOptions options;
    options.data_dir = TestDataDir();
    options.threads = threads;
    auto loaded = LoadExperiment(WriteConfig(config), options);
    ASSERT_FALSE(loaded.ok());
    EXPECT_THAT(std::string(loaded.status().message()),
                HasSubstr("benchmark 'broken_space'"))
        << threads << " threads";
  }
}

TEST(ConfigTest, DuplicateLabelsAreRefused) {
  const std::string error = ErrorOf(
      Replace(kGoodConfig, "algorithm { plugin: \"random_search\" }",
              "algorithm { plugin: \"random_search\" }\n"
              "algorithm { plugin: \"random_search\" }"));
  EXPECT_THAT(error, HasSubstr("experiment.textproto:19:"));
  EXPECT_THAT(error, HasSubstr("'random_search' is used twice"));
}

TEST(ConfigTest, CheckpointsMustAscendWithinTheBudget) {
  EXPECT_THAT(ErrorOf(Replace(kGoodConfig, "budget { queries: 20 }",
                              "budget { queries: 20 }\ncheckpoint: [10, 5]")),
              HasSubstr("experiment.textproto:4:"));
  EXPECT_THAT(ErrorOf(Replace(kGoodConfig, "budget { queries: 20 }",
                              "budget { queries: 20 }\ncheckpoint: [10, 50]")),
              HasSubstr("checkpoint 50 exceeds the query budget 20"));
}

TEST(ConfigTest, MissingBudgetIsRefused) {
  EXPECT_THAT(ErrorOf(Replace(kGoodConfig, "budget { queries: 20 }", "")),
              HasSubstr("the budget is missing"));
}

TEST(ConfigTest, UnreadableConfigFileIsNamed) {
  LoadOptions options;
  auto loaded = LoadExperiment("/no/such/config.textproto", options);
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(std::string(loaded.status().message()),
              HasSubstr("/no/such/config.textproto"));
}

TEST(ConfigTest, SyntaxErrorNamesLineAndColumn) {
  const std::string error =
      ErrorOf(Replace(kGoodConfig, "budget { queries: 20 }", "budget { queries: 20"));
  EXPECT_THAT(error, HasSubstr("experiment.textproto:"));
}

}  // namespace
}  // namespace nas
