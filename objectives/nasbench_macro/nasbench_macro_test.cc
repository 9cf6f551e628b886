#include "objectives/nasbench_macro/nasbench_macro.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"
#include "spaces/nasbench_macro/nasbench_macro.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

constexpr char kTable[] = "nas-bench-macro/nas-bench-macro_cifar10.csv";

std::shared_ptr<const SearchSpace> Space() {
  return std::shared_ptr<const SearchSpace>(*NasbenchMacroSpace::New());
}

absl::StatusOr<std::unique_ptr<NasbenchMacroObjective>> Load(
    bool noisy = false, const std::string& data_dir = TestDataDir(),
    const std::string& table = "") {
  NasbenchMacroObjectiveParams params;
  params.set_noisy(noisy);
  if (!table.empty()) params.set_table(table);
  return NasbenchMacroObjective::New(Space(), params, {data_dir});
}

Architecture Arch(const std::string& text) {
  return *(*NasbenchMacroSpace::New())->Parse(text);
}

// The README's figures: best mean 93.127 (a tie), worst 45.363.
TEST(NasbenchMacroObjectiveTest, OptimumAndWorstMatchThePublishedTable) {
  auto objective = Load();
  ASSERT_TRUE(objective.ok()) << objective.status();
  const KnownOptimum opt = *(*objective)->known_optimum();
  EXPECT_NEAR(100 - opt.best_valid_error, 93.127, 5e-4);
  EXPECT_EQ(opt.best_test_error, opt.best_valid_error);
  EXPECT_EQ(opt.test_error_of_best_valid, opt.best_valid_error);
  std::set<std::string> best;
  double worst_error = 0;
  std::string worst;
  const SearchSpace& space = (*objective)->space();
  for (int i = 0; i < 6561; ++i) {
    const Architecture arch = space.FromIndex(i);
    const Evaluation e = (*objective)->Evaluate(arch, 0, nullptr);
    EXPECT_EQ(e.valid_error, e.test_error);
    EXPECT_EQ(e.cost_seconds, 0);
    if (e.valid_error == opt.best_valid_error) best.insert(space.ToString(arch));
    if (e.valid_error > worst_error) {
      worst_error = e.valid_error;
      worst = space.ToString(arch);
    }
  }
  EXPECT_EQ(best, (std::set<std::string>{"22212202", "22212220"}));
  EXPECT_EQ(worst, "00000000");
  EXPECT_NEAR(100 - worst_error, 45.363, 5e-4);
}

TEST(NasbenchMacroObjectiveTest, LooksUpRowTwoExactly) {
  auto objective = Load();
  ASSERT_TRUE(objective.ok());
  EXPECT_FALSE((*objective)->is_noisy());
  const Evaluation e = (*objective)->Evaluate(Arch("00000001"), 0, nullptr);
  EXPECT_DOUBLE_EQ(e.valid_error, 100 - 64.22333017985027);
  EXPECT_DOUBLE_EQ(e.test_error, 100 - 64.22333017985027);
  ASSERT_EQ((*objective)->fidelities().size(), 1u);
  EXPECT_EQ((*objective)->fidelities()[0].epochs, 50);
  EXPECT_EQ((*objective)->data_files(),
            std::vector<std::string>{
                "nas-bench-macro/nas-bench-macro_cifar10.csv"});
}

TEST(NasbenchMacroObjectiveTest, NoisyQueriesDrawEachRunAndKeepTheMeanAsTest) {
  auto objective = Load(/*noisy=*/true);
  ASSERT_TRUE(objective.ok());
  EXPECT_TRUE((*objective)->is_noisy());
  const std::set<double> runs = {100 - 64.33999633789062,
                                 100 - 64.20999908447266,
                                 100 - 64.1199951171875};
  std::set<double> seen;
  Rng noise(11);
  std::vector<double> first_draws;
  for (int i = 0; i < 300; ++i) {
    const Evaluation e = (*objective)->Evaluate(Arch("00000001"), 0, &noise);
    ASSERT_TRUE(runs.count(e.valid_error)) << e.valid_error;
    EXPECT_DOUBLE_EQ(e.test_error, 100 - 64.22333017985027);
    seen.insert(e.valid_error);
    if (i < 20) first_draws.push_back(e.valid_error);
  }
  EXPECT_EQ(seen, runs);
  // Same stream, same draws.
  Rng again(11);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ((*objective)->Evaluate(Arch("00000001"), 0, &again).valid_error,
              first_draws[i]);
  }
  // The optimum stays the mean's.
  EXPECT_NEAR(100 - (*objective)->known_optimum()->best_valid_error, 93.127,
              5e-4);
}

TEST(NasbenchMacroObjectiveTest, IsRegisteredAndRefusesOtherSpaces) {
  auto entry = GlobalObjectiveRegistry().Find("nasbench_macro");
  ASSERT_TRUE(entry.ok());
  auto objective = (*entry)->factory(Space(), nullptr, {TestDataDir()});
  ASSERT_TRUE(objective.ok()) << objective.status();
  auto wrong = (*entry)->factory(
      std::shared_ptr<const SearchSpace>(*Nasbench201Space::New()), nullptr,
      {TestDataDir()});
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(std::string(wrong.status().message()),
              HasSubstr("scores the 'nasbench_macro' search space, not "
                        "'nasbench201'"));
}

TEST(NasbenchMacroObjectiveTest, MissingFileSaysPathAndWhereToGetIt) {
  auto objective = Load(false, "/nonexistent/data");
  ASSERT_FALSE(objective.ok());
  EXPECT_TRUE(absl::IsNotFound(objective.status()));
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("/nonexistent/data/nas-bench-macro/"
                        "nas-bench-macro_cifar10.csv"));
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("README.txt"));
}

// Copies the real table with `edit` applied to its lines, into TEST_TMPDIR.
std::string EditedTable(const std::string& name,
                        void (*edit)(std::vector<std::string>*)) {
  return EditedTableCopy(kTable, name, edit);
}

std::string LoadError(const std::string& table) {
  auto objective = Load(false, std::getenv("TEST_TMPDIR"), table);
  if (objective.ok()) return "(loaded)";
  return std::string(objective.status().message());
}

TEST(NasbenchMacroObjectiveTest, BadNumberNamesFileLineAndColumn) {
  const std::string table =
      EditedTable("bad_number.csv", [](std::vector<std::string>* lines) {
        // Line 11 is 00000100: arch,run1,run2,... -> run2 = "x".
        std::string& line = (*lines)[10];
        const size_t first = line.find(',');
        const size_t second = line.find(',', first + 1);
        const size_t third = line.find(',', second + 1);
        line = line.substr(0, second + 1) + "x" + line.substr(third);
      });
  EXPECT_THAT(LoadError(table),
              HasSubstr("bad_number.csv:11: column 'test_acc_run2': 'x' is "
                        "not a finite number"));
}

TEST(NasbenchMacroObjectiveTest, MissingArchitectureIsNamed) {
  const std::string table =
      EditedTable("short.csv", [](std::vector<std::string>* lines) {
        lines->erase(lines->begin() + 6);  // Data row 5: 00000012.
      });
  EXPECT_THAT(LoadError(table),
              HasSubstr("short.csv: architecture 00000012 (index 5) is "
                        "missing; the table has 6560 rows of the 6561"));
}

TEST(NasbenchMacroObjectiveTest, BadArchStringNamesFileAndLine) {
  const std::string table =
      EditedTable("bad_arch.csv", [](std::vector<std::string>* lines) {
        (*lines)[3][5] = '3';  // 00000002 -> 00000302.
      });
  EXPECT_THAT(LoadError(table),
              HasSubstr("bad_arch.csv:4: bad NAS-Bench-Macro architecture "
                        "'00000302': character 5 (layer 5)"));
}

TEST(NasbenchMacroObjectiveTest, DuplicateArchitectureNamesFileAndLine) {
  const std::string table =
      EditedTable("duplicate.csv", [](std::vector<std::string>* lines) {
        (*lines)[3].replace(0, 8, "00000001");  // Line 4 repeats line 3.
      });
  EXPECT_THAT(LoadError(table),
              HasSubstr("duplicate.csv:4: architecture 00000001 appears a "
                        "second time"));
}

TEST(NasbenchMacroObjectiveTest, InconsistentMeanNamesFileAndLine) {
  const std::string table =
      EditedTable("bad_mean.csv", [](std::vector<std::string>* lines) {
        std::string& line = (*lines)[2];  // 00000001, mean 64.2233...
        line.replace(line.find("64.22333017985027"), 17, "64.32333017985027");
      });
  EXPECT_THAT(LoadError(table),
              HasSubstr("bad_mean.csv:3: mean_acc 64.3233 is not the mean of "
                        "test_acc_run1..3"));
}

TEST(NasbenchMacroObjectiveTest, FractionInsteadOfPercentIsRefused) {
  const std::string table =
      EditedTable("percent.csv", [](std::vector<std::string>* lines) {
        (*lines)[2] = "00000001,164.34,64.21,64.12,97.5567,0,791594,14115328";
      });
  EXPECT_THAT(LoadError(table),
              HasSubstr("percent.csv:3: test_acc_run1 164.34 is outside "
                        "[0, 100]"));
}

}  // namespace
}  // namespace nas
