#include "objectives/transnas_micro/transnas_micro.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"
#include "spaces/transnas_micro/transnas_micro.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const SearchSpace> Space() {
  return std::shared_ptr<const SearchSpace>(*TransnasMicroSpace::New());
}

absl::StatusOr<std::unique_ptr<TransnasMicroObjective>> Load(
    const std::string& task, const std::string& metric = "",
    const std::string& data_dir = TestDataDir(),
    const std::string& table = "") {
  TransnasMicroObjectiveParams params;
  params.set_task(task);
  params.set_metric(metric);
  params.set_table(table);
  return TransnasMicroObjective::New(Space(), params, {data_dir});
}

// The data README's best validation values, one per task with its default
// metric, must be the objective's best converted values.
TEST(TransnasMicroObjectiveTest, BestValidValuesMatchTheReadme) {
  struct Case {
    std::string task;
    std::string metric;
    double best_valid_error;  // Converted from the README's figure.
    double tolerance;         // Half the README's last digit.
    std::string unit;
  };
  for (const Case& c : {
           Case{"class_object", "top1", 100 - 46.32, 5e-3,
                "100 - top-1 accuracy (%)"},
           Case{"class_scene", "top1", 100 - 54.94, 5e-3,
                "100 - top-1 accuracy (%)"},
           Case{"jigsaw", "top1", 100 - 95.37, 5e-3, "100 - top-1 accuracy (%)"},
           Case{"segmentsemantic", "mIoU", 100 - 26.27, 5e-3, "100 - mIoU (%)"},
           Case{"normal", "ssim", 1 - 0.596, 5e-4, "1 - SSIM"},
           Case{"autoencoder", "ssim", 1 - 0.577, 5e-4, "1 - SSIM"},
           Case{"room_layout", "neg_loss", 0.594, 5e-4, "L2 loss"},
       }) {
    SCOPED_TRACE(c.task);
    auto objective = Load(c.task);
    ASSERT_TRUE(objective.ok()) << objective.status();
    EXPECT_EQ((*objective)->metric(), c.metric);
    EXPECT_EQ((*objective)->error_unit(), c.unit);
    const KnownOptimum opt = *(*objective)->known_optimum();
    EXPECT_NEAR(opt.best_valid_error, c.best_valid_error, c.tolerance);
    // The optimum is an actual minimum over the table.
    double best = 1e9;
    const SearchSpace& space = (*objective)->space();
    for (int i = 0; i < 4096; ++i) {
      const Evaluation e = (*objective)->Evaluate(space.FromIndex(i), 0, nullptr);
      best = std::min(best, e.valid_error);
      ASSERT_GE(e.test_error, opt.best_test_error);
      ASSERT_GT(e.cost_seconds, 0);
    }
    EXPECT_EQ(best, opt.best_valid_error);
  }
}

TEST(TransnasMicroObjectiveTest, LooksUpTheFirstRowExactly) {
  auto objective = Load("class_object");
  ASSERT_TRUE(objective.ok()) << objective.status();
  const Evaluation e = (*objective)->Evaluate(
      *(*objective)->space().Parse("64-41414-0_00_000"), 0, nullptr);
  EXPECT_DOUBLE_EQ(e.valid_error, 100 - 26.547571182250977);
  EXPECT_DOUBLE_EQ(e.test_error, 100 - 29.433717727661133);
  EXPECT_EQ(e.cost_seconds, 7899.0);
  ASSERT_EQ((*objective)->fidelities().size(), 1u);
  EXPECT_EQ((*objective)->fidelities()[0].name, "25 epochs");
  EXPECT_EQ((*objective)->data_files(),
            std::vector<std::string>{
                "transnas-bench-101-micro/class_object.csv"});
}

TEST(TransnasMicroObjectiveTest, OtherMetricsConvertWithTheirDirection) {
  auto top5 = Load("class_scene", "top5");
  ASSERT_TRUE(top5.ok()) << top5.status();
  const Architecture zero = *Space()->Parse("64-41414-0_00_000");
  EXPECT_DOUBLE_EQ((*top5)->Evaluate(zero, 0, nullptr).valid_error,
                   100 - 38.22651290893555);
  auto acc = Load("segmentsemantic", "acc");
  ASSERT_TRUE(acc.ok()) << acc.status();
  EXPECT_DOUBLE_EQ((*acc)->Evaluate(zero, 0, nullptr).test_error,
                   100 - 92.1367416381836);
  EXPECT_EQ((*acc)->fidelities()[0].epochs, 30);
  auto room = Load("room_layout");
  ASSERT_TRUE(room.ok()) << room.status();
  // neg_loss -1.0900498628616333 is an L2 loss of 1.09...
  EXPECT_DOUBLE_EQ((*room)->Evaluate(zero, 0, nullptr).valid_error,
                   1.0900498628616333);
  auto normal = Load("normal");
  ASSERT_TRUE(normal.ok()) << normal.status();
  EXPECT_DOUBLE_EQ((*normal)->Evaluate(zero, 0, nullptr).valid_error,
                   1 - 0.32499197125434875);
}

TEST(TransnasMicroObjectiveTest, WorstEpochLossesAreRefusedWithTheReason) {
  for (const auto& [task, loss] :
       std::vector<std::pair<std::string, std::string>>{
           {"class_object", "loss"}, {"normal", "l1_loss"},
           {"room_layout", "loss"}}) {
    auto objective = Load(task, loss);
    ASSERT_FALSE(objective.ok()) << task;
    EXPECT_THAT(std::string(objective.status().message()),
                HasSubstr("for a loss is its worst epoch"));
  }
  auto objective = Load("jigsaw", "mIoU");
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("task 'jigsaw' has no metric 'mIoU'; its metrics are: "
                        "top1 (default), top5"));
}

TEST(TransnasMicroObjectiveTest, UnknownTaskListsTheSeven) {
  auto objective = Load("depth");
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("class_object, class_scene, jigsaw, room_layout, "
                        "segmentsemantic, normal, autoencoder"));
}

TEST(TransnasMicroObjectiveTest, IsRegisteredAndRefusesOtherSpaces) {
  auto entry = GlobalObjectiveRegistry().Find("transnas_micro");
  ASSERT_TRUE(entry.ok());
  auto objective = (*entry)->factory(Space(), nullptr, {TestDataDir()});
  ASSERT_TRUE(objective.ok()) << objective.status();
  EXPECT_EQ((*objective)->error_unit(), "100 - top-1 accuracy (%)");
  auto wrong = (*entry)->factory(
      std::shared_ptr<const SearchSpace>(*Nasbench201Space::New()), nullptr,
      {TestDataDir()});
  EXPECT_FALSE(wrong.ok());
}

TEST(TransnasMicroObjectiveTest, MissingFileSaysPathAndWhereToGetIt) {
  auto objective = Load("jigsaw", "", "/nonexistent/data");
  ASSERT_FALSE(objective.ok());
  EXPECT_TRUE(absl::IsNotFound(objective.status()));
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("/nonexistent/data/transnas-bench-101-micro/"
                        "jigsaw.csv"));
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("README.txt"));
}

// Copies the real class_scene table with `edit` applied, into TEST_TMPDIR.
std::string EditedTable(const std::string& name,
                        void (*edit)(std::vector<std::string>*)) {
  return EditedTableCopy("transnas-bench-101-micro/class_scene.csv", name,
                         edit);
}

std::string LoadError(const std::string& table) {
  auto objective = Load("class_scene", "", std::getenv("TEST_TMPDIR"), table);
  if (objective.ok()) return "(loaded)";
  return std::string(objective.status().message());
}

// Replaces field `field` (0-based) of `line`.
void SetField(std::string* line, int field, const std::string& value) {
  size_t begin = 0;
  for (int i = 0; i < field; ++i) begin = line->find(',', begin) + 1;
  const size_t end = line->find(',', begin);
  line->replace(begin, end - begin, value);
}

TEST(TransnasMicroObjectiveTest, BadNumberNamesFileLineAndColumn) {
  const std::string table =
      EditedTable("bad_number.csv", [](std::vector<std::string>* lines) {
        SetField(&(*lines)[41], 11, "n/a");  // valid_top1 of line 42.
      });
  EXPECT_THAT(LoadError(table),
              HasSubstr("bad_number.csv:42: column "
                        "'valid_top1_maxoverepochs': 'n/a' is not a finite "
                        "number"));
}

TEST(TransnasMicroObjectiveTest, OutOfRangeValueNamesFileAndLine) {
  const std::string table =
      EditedTable("fraction.csv", [](std::vector<std::string>* lines) {
        SetField(&(*lines)[7], 14, "104.5");  // test_top1 of line 8.
      });
  EXPECT_THAT(LoadError(table),
              HasSubstr("fraction.csv:8: column 'test_top1_maxoverepochs': "
                        "104.5 is outside [0, 100]"));
}

TEST(TransnasMicroObjectiveTest, MissingArchitectureIsNamed) {
  const std::string table =
      EditedTable("short.csv", [](std::vector<std::string>* lines) {
        lines->erase(lines->begin() + 4096);  // The last cell.
      });
  EXPECT_THAT(LoadError(table),
              HasSubstr("short.csv: architecture 64-41414-3_33_333 (index "
                        "4095) is missing; the table has 4095 rows of the "
                        "4096"));
}

TEST(TransnasMicroObjectiveTest, BadArchStringNamesFileAndLine) {
  const std::string table =
      EditedTable("bad_arch.csv", [](std::vector<std::string>* lines) {
        SetField(&(*lines)[2], 0, "64-41414-0_00_004");
      });
  EXPECT_THAT(LoadError(table),
              HasSubstr("bad_arch.csv:3: bad TransNAS-Bench-101 micro "
                        "architecture '64-41414-0_00_004'"));
}

TEST(TransnasMicroObjectiveTest, DuplicateArchitectureNamesFileAndLine) {
  const std::string table =
      EditedTable("duplicate.csv", [](std::vector<std::string>* lines) {
        SetField(&(*lines)[2], 0, "64-41414-0_00_000");
      });
  EXPECT_THAT(LoadError(table),
              HasSubstr("duplicate.csv:3: architecture 64-41414-0_00_000 "
                        "appears a second time"));
}

}  // namespace
}  // namespace nas
