#include "objectives/nasbench201/nasbench201.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

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

// Copies the real table `source` (below nasbench201/) with `edit` applied
// to its lines, into TEST_TMPDIR.
std::string EditedCopy(const std::string& source, const std::string& name,
                       void (*edit)(std::vector<std::string>*)) {
  return EditedTableCopy("nasbench201/" + source, name, edit);
}

std::string EditedTable(const std::string& name,
                        void (*edit)(std::vector<std::string>*)) {
  return EditedCopy("nb201_v1_1_200ep_seedavg.csv", name, edit);
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

TEST(Nasbench201ObjectiveTest, AccuracyOutOfRangeNamesColumnAndFix) {
  const std::string table =
      EditedTable("percent.csv", [](std::vector<std::string>* lines) {
        std::vector<std::string> fields = absl::StrSplit((*lines)[4], ',');
        fields[9] = "150";  // cifar10valid_valid_acc of data row 3, line 5.
        (*lines)[4] = absl::StrJoin(fields, ",");
      });
  auto objective = Load("cifar10-valid", std::getenv("TEST_TMPDIR"), table);
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("percent.csv:5: column 'cifar10valid_valid_acc': "
                        "accuracy 150 is outside [0, 100]"));
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("fetch it again"));
}

TEST(Nasbench201ObjectiveTest, DuplicatedRowNamesLineAndFix) {
  const std::string table =
      EditedTable("twice.csv", [](std::vector<std::string>* lines) {
        lines->insert(lines->begin() + 11, (*lines)[10]);
      });
  auto objective = Load("cifar100", std::getenv("TEST_TMPDIR"), table);
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("twice.csv:12: architecture "));
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("appears a second time; the table is corrupted: "
                        "fetch it again"));
}

// The row -> architecture parse is shared by the datasets of one table:
// errors still come in row order (a bad value before a bad name wins), and
// every dataset reading the table reports them.
TEST(Nasbench201ObjectiveTest, SharedRowParseKeepsRowOrderOfErrors) {
  const std::string table =
      EditedTable("value_then_name.csv", [](std::vector<std::string>* lines) {
        std::vector<std::string> fields = absl::StrSplit((*lines)[4], ',');
        fields[12] = "-1";  // cifar100_valid_acc of data row 3, line 5.
        (*lines)[4] = absl::StrJoin(fields, ",");
        std::string& line = (*lines)[8];  // Data row 7, line 9.
        line.replace(line.find("~0|"), 3, "~7|");
      });
  auto cifar100 = Load("cifar100", std::getenv("TEST_TMPDIR"), table);
  ASSERT_FALSE(cifar100.ok());
  EXPECT_THAT(std::string(cifar100.status().message()),
              HasSubstr("value_then_name.csv:5: column 'cifar100_valid_acc'"));
  // cifar10-valid's columns are intact: the bad name is its first error,
  // found by the parse cifar100 made.
  for (int i = 0; i < 2; ++i) {
    auto cifar10 = Load("cifar10-valid", std::getenv("TEST_TMPDIR"), table);
    ASSERT_FALSE(cifar10.ok());
    EXPECT_THAT(
        std::string(cifar10.status().message()),
        HasSubstr("value_then_name.csv:9: bad NAS-Bench-201 architecture"));
  }
}

// Datasets loading at once share the parse (each takes rows), and a bad
// table still gives each the exact error of the first bad row.
TEST(Nasbench201ObjectiveTest, ConcurrentLoadsShareTheParseAndItsErrors) {
  const std::string twice =
      EditedTable("concurrent_twice.csv", [](std::vector<std::string>* lines) {
        lines->insert(lines->begin() + 9001, (*lines)[42]);
      });
  const std::string copy =
      EditedTable("concurrent_good.csv", [](std::vector<std::string>*) {});
  for (const std::string& table : {twice, copy}) {
    std::vector<absl::StatusOr<std::unique_ptr<Nasbench201Objective>>> loaded(
        3);
    std::vector<std::thread> threads;
    const char* datasets[] = {"cifar10-valid", "cifar100", "ImageNet16-120"};
    for (int i = 0; i < 3; ++i) {
      threads.emplace_back([&, i] {
        loaded[i] = Load(datasets[i], std::getenv("TEST_TMPDIR"), table);
      });
    }
    for (std::thread& t : threads) t.join();
    for (int i = 0; i < 3; ++i) {
      if (table == copy) {
        ASSERT_TRUE(loaded[i].ok()) << loaded[i].status();
        EXPECT_EQ((*loaded[i])->known_optimum()->best_valid_error,
                  (*Load(datasets[i]))->known_optimum()->best_valid_error);
      } else {
        ASSERT_FALSE(loaded[i].ok());
        EXPECT_THAT(std::string(loaded[i].status().message()),
                    HasSubstr("concurrent_twice.csv:9002: architecture "));
      }
    }
  }
}

// A table rewritten in place is parsed again, not served the old rows.
TEST(Nasbench201ObjectiveTest, SharedRowParseFollowsAChangedFile) {
  const std::string good =
      EditedTable("changes.csv", [](std::vector<std::string>*) {});
  ASSERT_TRUE(Load("cifar100", std::getenv("TEST_TMPDIR"), good).ok());
  const std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/", good);
  // Another size, so the cache sees a new file whatever the clock.
  EditedTable("changes.csv", [](std::vector<std::string>* lines) {
    lines->insert(lines->begin() + 11, (*lines)[10]);
  });
  auto objective = Load("cifar100", std::getenv("TEST_TMPDIR"), good);
  ASSERT_FALSE(objective.ok()) << path;
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("changes.csv:12: architecture "));
}

// ---------------------------------------------------------------------------
// The 12-epoch fidelity and training times.

// Loads with the real tables, or, when an edited copy of the 12-epoch or
// times table is given, from TEST_TMPDIR (with an unedited copy of the main
// table beside it).
absl::StatusOr<std::unique_ptr<Nasbench201Objective>> LoadWith(
    const std::string& dataset, bool multi_fidelity, bool training_times,
    const std::string& low_fidelity_table = "",
    const std::string& times_table = "") {
  Nasbench201ObjectiveParams params;
  params.set_dataset(dataset);
  params.set_multi_fidelity(multi_fidelity);
  params.set_training_times(training_times);
  std::string data_dir = TestDataDir();
  if (!low_fidelity_table.empty() || !times_table.empty()) {
    data_dir = std::getenv("TEST_TMPDIR");
    params.set_table(
        EditedTable("unedited_200ep.csv", [](std::vector<std::string>*) {}));
    if (!low_fidelity_table.empty()) {
      params.set_low_fidelity_table(low_fidelity_table);
    }
    if (!times_table.empty()) params.set_times_table(times_table);
  }
  return Nasbench201Objective::New(Space(), params, {data_dir});
}

TEST(Nasbench201ObjectiveTest, MultiFidelityPutsTwelveEpochsFirst) {
  auto objective = LoadWith("cifar100", /*multi_fidelity=*/true, false);
  ASSERT_TRUE(objective.ok()) << objective.status();
  const auto fidelities = (*objective)->fidelities();
  ASSERT_EQ(fidelities.size(), 2u);
  EXPECT_EQ(fidelities[0].name, "12 epochs");
  EXPECT_EQ(fidelities[0].epochs, 12);
  EXPECT_EQ(fidelities[1].name, "200 epochs");
  EXPECT_EQ(fidelities[1].epochs, 200);
  // The optimum stays the full fidelity's.
  EXPECT_NEAR(100 - (*objective)->known_optimum()->best_valid_error, 73.493,
              5e-4);
}

// The data README's 12-epoch maxima.
TEST(Nasbench201ObjectiveTest, TwelveEpochOptimaMatchTheReadme) {
  struct Case {
    std::string dataset;
    double best_valid_acc, best_test_acc;
  };
  for (const Case& c : {Case{"cifar10-valid", 84.892, 89.16},
                        Case{"cifar100", 61.32, 61.18},
                        Case{"ImageNet16-120", 38.667, 38.267}}) {
    SCOPED_TRACE(c.dataset);
    auto objective = LoadWith(c.dataset, /*multi_fidelity=*/true, false);
    ASSERT_TRUE(objective.ok()) << objective.status();
    double best_valid = 100, best_test = 100;
    const SearchSpace& space = (*objective)->space();
    for (int i = 0; i < 15625; ++i) {
      const Evaluation e = (*objective)->Evaluate(space.FromIndex(i), 0, nullptr);
      best_valid = std::min(best_valid, e.valid_error);
      best_test = std::min(best_test, e.test_error);
    }
    EXPECT_NEAR(100 - best_valid, c.best_valid_acc, 5e-4);
    EXPECT_NEAR(100 - best_test, c.best_test_acc, 5e-4);
  }
}

TEST(Nasbench201ObjectiveTest, TwelveEpochRowOneExactly) {
  auto objective = LoadWith("cifar10-valid", /*multi_fidelity=*/true, false);
  ASSERT_TRUE(objective.ok()) << objective.status();
  const Architecture arch = (*objective)->space().FromIndex(1);
  const Evaluation low = (*objective)->Evaluate(arch, 0, nullptr);
  EXPECT_DOUBLE_EQ(low.valid_error, 100 - 82.83399999389648);
  // cifar10-valid has no 12-epoch test column: the cifar10 run's stands in.
  EXPECT_DOUBLE_EQ(low.test_error, 100 - 88.22);
  EXPECT_EQ(low.cost_seconds, 0);
  const Evaluation full = (*objective)->Evaluate(arch, 1, nullptr);
  EXPECT_DOUBLE_EQ(full.valid_error, 100 - 90.76933332438152);
}

TEST(Nasbench201ObjectiveTest, TrainingTimesAreNatsBenchsSimulatedCost) {
  auto objective = LoadWith("cifar10-valid", /*multi_fidelity=*/true,
                            /*training_times=*/true);
  ASSERT_TRUE(objective.ok()) << objective.status();
  EXPECT_EQ((*objective)->data_files(),
            (std::vector<std::string>{
                "nasbench201/nb201_v1_1_200ep_seedavg.csv",
                "nasbench201/nb201_v1_1_12ep_seedavg.csv",
                "nasbench201/natsbench_tss_cifar10valid_200ep_seedavg_full.csv"}));
  const Architecture arch = (*objective)->space().FromIndex(1);
  // Row 1 of the NATS-Bench table: train_per_time 10.84820688,
  // train_all_time 2169.641376, valid_per_time 3.754198977.
  EXPECT_NEAR((*objective)->Evaluate(arch, 1, nullptr).cost_seconds,
              2169.641376 + 3.754198977, 1e-9);
  EXPECT_NEAR((*objective)->Evaluate(arch, 0, nullptr).cost_seconds,
              12 * 10.84820688 + 3.754198977, 1e-9);
  // Every architecture has a positive cost at both fidelities.
  for (int i = 0; i < 15625; ++i) {
    const Architecture a = (*objective)->space().FromIndex(i);
    ASSERT_GT((*objective)->Evaluate(a, 0, nullptr).cost_seconds, 0);
    ASSERT_GT((*objective)->Evaluate(a, 1, nullptr).cost_seconds,
              (*objective)->Evaluate(a, 0, nullptr).cost_seconds);
  }
  // Single fidelity with times.
  auto single = LoadWith("cifar10-valid", false, /*training_times=*/true);
  ASSERT_TRUE(single.ok()) << single.status();
  EXPECT_NEAR((*single)->Evaluate(arch, 0, nullptr).cost_seconds,
              2169.641376 + 3.754198977, 1e-9);
}

TEST(Nasbench201ObjectiveTest, DefaultsHaveNoTimes) {
  auto objective = Load("cifar10-valid");
  ASSERT_TRUE(objective.ok());
  EXPECT_EQ((*objective)->data_files(),
            std::vector<std::string>{
                "nasbench201/nb201_v1_1_200ep_seedavg.csv"});
  EXPECT_EQ((*objective)
                ->Evaluate((*objective)->space().FromIndex(1), 0, nullptr)
                .cost_seconds,
            0);
}

TEST(Nasbench201ObjectiveTest, TrainingTimesOnlyForCifar10Valid) {
  for (const char* dataset : {"cifar100", "ImageNet16-120"}) {
    auto objective = LoadWith(dataset, false, /*training_times=*/true);
    ASSERT_FALSE(objective.ok()) << dataset;
    EXPECT_THAT(std::string(objective.status().message()),
                HasSubstr("training_times is only available for "
                          "cifar10-valid"));
  }
}

TEST(Nasbench201ObjectiveTest, BadNumberInTwelveEpochTableNamesFileAndLine) {
  const std::string table = EditedCopy(
      "nb201_v1_1_12ep_seedavg.csv", "bad_low.csv",
      [](std::vector<std::string>* lines) {
        std::string& line = (*lines)[57];  // Line 58.
        const size_t last_comma = line.rfind(',');
        line = line.substr(0, last_comma) + ",NaN";
      });
  auto objective = LoadWith("ImageNet16-120", true, false, table);
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("bad_low.csv:58: column 'imagenet16_test_acc': 'NaN' "
                        "is not a finite number"));
}

TEST(Nasbench201ObjectiveTest, BadArchInTimesTableNamesFileAndLine) {
  const std::string table = EditedCopy(
      "natsbench_tss_cifar10valid_200ep_seedavg_full.csv", "bad_times.csv",
      [](std::vector<std::string>* lines) {
        std::string& line = (*lines)[9];  // Line 10.
        line.replace(line.find("~1|"), 3, "~3|");
      });
  auto objective = LoadWith("cifar10-valid", false, true, "", table);
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("bad_times.csv:10: bad NAS-Bench-201 architecture"));
}

TEST(Nasbench201ObjectiveTest, MissingRowInTimesTableIsNamed) {
  const std::string table = EditedCopy(
      "natsbench_tss_cifar10valid_200ep_seedavg_full.csv", "short_times.csv",
      [](std::vector<std::string>* lines) {
        lines->erase(lines->begin() + 15625);  // The last row, index 15624.
      });
  auto objective = LoadWith("cifar10-valid", false, true, "", table);
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("short_times.csv: architecture"));
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("(index 15624) is missing"));
}

TEST(Nasbench201ObjectiveTest, NegativeTimeNamesFileAndLine) {
  const std::string table = EditedCopy(
      "natsbench_tss_cifar10valid_200ep_seedavg_full.csv", "neg_times.csv",
      [](std::vector<std::string>* lines) {
        // Line 3 (index 1): train_per_time 10.84820688 -> -10.84820688.
        std::string& line = (*lines)[2];
        line.replace(line.find(",10.84820688,"), 13, ",-10.84820688,");
      });
  auto objective = LoadWith("cifar10-valid", false, true, "", table);
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("neg_times.csv:3: column 'train_per_time': -10.8482 "
                        "seconds is negative"));
}

}  // namespace
}  // namespace nas
