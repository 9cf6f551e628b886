#include "objectives/nasbench201/nasbench201.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"
#include "spaces/test_data.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const SearchSpace> Space() {
  return std::shared_ptr<const SearchSpace>(*Nasbench201Space::New());
}

absl::StatusOr<std::unique_ptr<Nasbench201Objective>> Load(
    const std::string& dataset, const std::string& data_dir = TestDataDir(),
    const std::string& table = "") {
  Nasbench201ObjectiveParams params;
  params.set_dataset(dataset);
  if (!table.empty()) params.set_table(table);
  return Nasbench201Objective::New(Space(), params, {data_dir});
}

// Published optima (README of the data, and the NAS-Bench-201 paper).
TEST(Nasbench201ObjectiveTest, OptimaMatchThePublishedTable) {
  struct Case {
    std::string dataset;
    double best_valid_acc, best_test_acc;
  };
  for (const Case& c : {Case{"cifar10-valid", 91.607, 91.523},
                        Case{"cifar100", 73.493, 73.513},
                        Case{"ImageNet16-120", 46.733, 47.311}}) {
    auto objective = Load(c.dataset);
    ASSERT_TRUE(objective.ok()) << objective.status();
    const KnownOptimum opt = *(*objective)->known_optimum();
    EXPECT_NEAR(100 - opt.best_valid_error, c.best_valid_acc, 5e-4)
        << c.dataset;
    EXPECT_NEAR(100 - opt.best_test_error, c.best_test_acc, 5e-4)
        << c.dataset;
  }
}

TEST(Nasbench201ObjectiveTest, BestValidationArchitectureOfCifar100) {
  auto objective = Load("cifar100");
  ASSERT_TRUE(objective.ok()) << objective.status();
  const SearchSpace& space = (*objective)->space();
  // Per the data README, cifar100's best validation and best test accuracy
  // belong to this cell.
  auto arch = space.Parse(
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|"
      "nor_conv_3x3~1|nor_conv_3x3~2|");
  ASSERT_TRUE(arch.ok());
  const Evaluation e = (*objective)->Evaluate(*arch, 0, nullptr);
  EXPECT_NEAR(100 - e.valid_error, 73.493, 5e-4);
  EXPECT_NEAR(100 - e.test_error, 73.513, 5e-4);
}

TEST(Nasbench201ObjectiveTest, LooksUpRowOneExactly) {
  auto objective = Load("cifar10-valid");
  ASSERT_TRUE(objective.ok());
  const Architecture arch = (*objective)->space().FromIndex(1);
  const Evaluation e = (*objective)->Evaluate(arch, 0, nullptr);
  EXPECT_DOUBLE_EQ(e.valid_error, 100 - 90.76933332438152);
  EXPECT_DOUBLE_EQ(e.test_error, 100 - 90.51333333333332);
}

TEST(Nasbench201ObjectiveTest, IsRegistered) {
  auto entry = GlobalObjectiveRegistry().Find("nasbench201");
  ASSERT_TRUE(entry.ok());
  Nasbench201ObjectiveParams params;
  params.set_dataset("ImageNet16-120");
  auto objective = (*entry)->factory(Space(), &params, {TestDataDir()});
  ASSERT_TRUE(objective.ok()) << objective.status();
  EXPECT_EQ((*objective)->fidelities().size(), 1u);
}

TEST(Nasbench201ObjectiveTest, UnknownDatasetListsTheKnownOnes) {
  auto objective = Load("cifar1000");
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("cifar10-valid, cifar100, ImageNet16-120"));
}

TEST(Nasbench201ObjectiveTest, MissingFileSaysPathAndWhereToGetIt) {
  auto objective = Load("cifar100", "/nonexistent/data");
  ASSERT_FALSE(objective.ok());
  EXPECT_TRUE(absl::IsNotFound(objective.status()));
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("/nonexistent/data/nasbench201/"
                        "nb201_v1_1_200ep_seedavg.csv"));
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("README.txt"));
}

// Copies the real table with `edit` applied to its lines, into TEST_TMPDIR.
std::string EditedTable(const std::string& name,
                        void (*edit)(std::vector<std::string>*)) {
  std::ifstream in(TestDataDir() +
                   "/nasbench201/nb201_v1_1_200ep_seedavg.csv");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  edit(&lines);
  const std::string dir = std::getenv("TEST_TMPDIR");
  std::ofstream out(dir + "/" + name);
  for (const std::string& line : lines) out << line << "\n";
  return name;
}

TEST(Nasbench201ObjectiveTest, MalformedRowNamesFileAndLine) {
  const std::string table =
      EditedTable("bad_number.csv", [](std::vector<std::string>* lines) {
        std::string& line = (*lines)[101];  // Data row 100, line 102.
        const size_t last_comma = line.rfind(',');
        line = line.substr(0, last_comma) + ",forty";
      });
  auto objective = Load("ImageNet16-120", std::getenv("TEST_TMPDIR"), table);
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("bad_number.csv:102: column 'imagenet16_test_acc': "
                        "'forty' is not a finite number"));
}

TEST(Nasbench201ObjectiveTest, MissingArchitectureIsNamed) {
  const std::string table =
      EditedTable("short.csv", [](std::vector<std::string>* lines) {
        lines->erase(lines->begin() + 6);  // Data row 5 (index 5).
      });
  auto objective = Load("cifar100", std::getenv("TEST_TMPDIR"), table);
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("(index 5) is missing"));
}

TEST(Nasbench201ObjectiveTest, BadArchStringNamesFileAndLine) {
  const std::string table =
      EditedTable("bad_arch.csv", [](std::vector<std::string>* lines) {
        std::string& line = (*lines)[3];
        line.replace(line.find("~0|"), 3, "~7|");
      });
  auto objective = Load("cifar100", std::getenv("TEST_TMPDIR"), table);
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("bad_arch.csv:4: bad NAS-Bench-201 architecture"));
}

}  // namespace
}  // namespace nas
