#include "objectives/nasbench101/ecnas/ecnas.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const SearchSpace> Space(int max_vertices) {
  Nasbench101SpaceParams params;
  params.set_max_vertices(max_vertices);
  return std::shared_ptr<const SearchSpace>(*Nasbench101Space::New(params));
}

absl::StatusOr<std::unique_ptr<EcnasObjective>> Load(
    int vertices, EcnasObjectiveParams::Metric metric =
                      EcnasObjectiveParams::ACCURACY,
    bool noisy = false, const std::string& data_dir = TestDataDir(),
    const std::string& table = "", int space_vertices = 0) {
  EcnasObjectiveParams params;
  params.set_vertices(vertices);
  params.set_metric(metric);
  params.set_noisy(noisy);
  params.set_table(table);
  return EcnasObjective::New(
      Space(space_vertices ? space_vertices : vertices), params, {data_dir});
}

Architecture Arch(const SearchSpace& space, const std::string& text) {
  auto arch = space.Parse(text);
  EXPECT_TRUE(arch.ok()) << arch.status();
  return arch.ok() ? *arch : Architecture();
}

double Mean(std::initializer_list<double> values) {
  double sum = 0;
  for (double v : values) sum += v;
  return sum / values.size();
}

// The best cells and their numbers, found in the CSVs by hand (means over
// the 4-vertex table's three repeats).
TEST(EcnasObjectiveTest, FourVertexOptimumIsTheMeanOfThreeRepeats) {
  auto objective = Load(4);
  ASSERT_TRUE(objective.ok()) << objective.status();
  EXPECT_EQ((*objective)->num_architectures(), 91);
  EXPECT_EQ((*objective)->data_files(),
            std::vector<std::string>{
                "ec-nas-bench/ecnas_4V9E_4epochs_runs.csv"});
  EXPECT_FALSE((*objective)->is_noisy());
  const KnownOptimum opt = *(*objective)->known_optimum();
  EXPECT_NEAR(opt.best_valid_error, 100 * (1 - 0.7361111044883728), 1e-9);
  EXPECT_NEAR(opt.test_error_of_best_valid, 100 * (1 - 0.7312700351079305),
              1e-9);
  EXPECT_EQ(opt.best_test_error, opt.test_error_of_best_valid);
  const Evaluation best = (*objective)->Evaluate(
      Arch((*objective)->space(),
           "adj=0110000100010000 ops=input|conv3x3-bn-relu|maxpool3x3|output"),
      0, nullptr);
  EXPECT_EQ(best.valid_error, opt.best_valid_error);
  EXPECT_NEAR(best.cost_seconds, 128.50123826662698, 1e-9);
}

TEST(EcnasObjectiveTest, FiveVertexOptimum) {
  auto objective = Load(5);
  ASSERT_TRUE(objective.ok()) << objective.status();
  EXPECT_EQ((*objective)->num_architectures(), 2532);
  const KnownOptimum opt = *(*objective)->known_optimum();
  EXPECT_NEAR(opt.best_valid_error, 100 * (1 - 0.7701321840286255), 1e-9);
  EXPECT_NEAR(opt.test_error_of_best_valid, 100 * (1 - 0.7625200152397156),
              1e-9);
  const Evaluation best = (*objective)->Evaluate(
      Arch((*objective)->space(),
           "adj=0111100110000100000100000 ops=input|conv3x3-bn-relu|"
           "conv3x3-bn-relu|conv1x1-bn-relu|output"),
      0, nullptr);
  EXPECT_EQ(best.valid_error, opt.best_valid_error);
  EXPECT_NEAR(best.cost_seconds, 435.7450695037842, 1e-9);
  ASSERT_EQ((*objective)->fidelities().size(), 1u);
  EXPECT_EQ((*objective)->fidelities()[0].epochs, 4);
}

// The first row of the 4-vertex file and its two other repeats.
constexpr char kFirstCell[] =
    "adj=0110001000010000 ops=input|maxpool3x3|maxpool3x3|output";

TEST(EcnasObjectiveTest, AveragesTheRepeatsOfARow) {
  auto accuracy = Load(4);
  ASSERT_TRUE(accuracy.ok()) << accuracy.status();
  const Architecture arch = Arch((*accuracy)->space(), kFirstCell);
  const Evaluation e = (*accuracy)->Evaluate(arch, 0, nullptr);
  EXPECT_NEAR(e.valid_error,
              Mean({100 * (1 - 0.28705930709838867),
                    100 * (1 - 0.3606770932674408),
                    100 * (1 - 0.40655046701431274)}),
              1e-9);
  EXPECT_NEAR(e.cost_seconds,
              Mean({154.60513615608215, 121.01919937133789,
                    119.81175446510315}),
              1e-9);
  auto energy = Load(4, EcnasObjectiveParams::ENERGY);
  ASSERT_TRUE(energy.ok()) << energy.status();
  EXPECT_EQ((*energy)->error_unit(), "energy (Wh)");
  const Evaluation w = (*energy)->Evaluate(arch, 0, nullptr);
  EXPECT_NEAR(w.valid_error, 1000 * Mean({0.018713, 0.016917, 0.016607}),
              1e-9);
  EXPECT_EQ(w.test_error, w.valid_error);
}

// Each metric carries the other objective, so one benchmark serves error
// vs energy searches.
TEST(EcnasObjectiveTest, TheOtherObjectiveIsAVisibleMetric) {
  auto accuracy = Load(4);
  ASSERT_TRUE(accuracy.ok()) << accuracy.status();
  auto energy = Load(4, EcnasObjectiveParams::ENERGY);
  ASSERT_TRUE(energy.ok()) << energy.status();
  ASSERT_EQ((*accuracy)->metrics().size(), 1u);
  EXPECT_EQ((*accuracy)->metrics()[0].name, "energy");
  EXPECT_EQ((*accuracy)->metrics()[0].unit, "Wh");
  EXPECT_TRUE((*accuracy)->metrics()[0].visible());
  ASSERT_EQ((*energy)->metrics().size(), 1u);
  EXPECT_EQ((*energy)->metrics()[0].name, "valid_error");
  EXPECT_TRUE((*energy)->metrics()[0].visible());
  const Architecture arch = Arch((*accuracy)->space(), kFirstCell);
  const Evaluation a = (*accuracy)->Evaluate(arch, 0, nullptr);
  const Evaluation w = (*energy)->Evaluate(arch, 0, nullptr);
  ASSERT_EQ(a.metrics.size(), 1u);
  ASSERT_EQ(w.metrics.size(), 1u);
  EXPECT_NEAR(a.metrics[0], 1000 * Mean({0.018713, 0.016917, 0.016607}), 1e-9);
  EXPECT_EQ(a.metrics[0], w.valid_error);
  EXPECT_EQ(w.metrics[0], a.valid_error);
  // Noisy: the energy of the very repeat whose error is returned.
  auto noisy = Load(4, EcnasObjectiveParams::ACCURACY, /*noisy=*/true);
  ASSERT_TRUE(noisy.ok()) << noisy.status();
  const std::vector<std::pair<double, double>> repeats = {
      {100 * (1 - 0.28705930709838867), 1000 * 0.018713},
      {100 * (1 - 0.3606770932674408), 1000 * 0.016917},
      {100 * (1 - 0.40655046701431274), 1000 * 0.016607}};
  Rng rng(8);
  for (int i = 0; i < 30; ++i) {
    const Evaluation e = (*noisy)->Evaluate(arch, 0, &rng);
    int matched = 0;
    for (const auto& [error, wh] : repeats) {
      if (e.valid_error == error) {
        EXPECT_NEAR(e.metrics[0], wh, 1e-9);
        ++matched;
      }
    }
    EXPECT_EQ(matched, 1);
  }
}

TEST(EcnasObjectiveTest, EnergyOptimumIsTheBareCell) {
  auto objective = Load(5, EcnasObjectiveParams::ENERGY);
  ASSERT_TRUE(objective.ok()) << objective.status();
  const KnownOptimum opt = *(*objective)->known_optimum();
  EXPECT_NEAR(opt.best_valid_error, 6.414, 1e-9);
  EXPECT_EQ(opt.best_test_error, opt.best_valid_error);
  const Evaluation bare = (*objective)->Evaluate(
      Arch((*objective)->space(), "adj=0100 ops=input|output"), 0, nullptr);
  EXPECT_NEAR(bare.valid_error, 6.414, 1e-9);
}

TEST(EcnasObjectiveTest, NoisyQueriesReturnOneRepeatWithItsTime) {
  auto objective = Load(4, EcnasObjectiveParams::ACCURACY, /*noisy=*/true);
  ASSERT_TRUE(objective.ok()) << objective.status();
  EXPECT_TRUE((*objective)->is_noisy());
  const Architecture arch = Arch((*objective)->space(), kFirstCell);
  const std::vector<std::pair<double, double>> repeats = {
      {100 * (1 - 0.28705930709838867), 154.60513615608215},
      {100 * (1 - 0.3606770932674408), 121.01919937133789},
      {100 * (1 - 0.40655046701431274), 119.81175446510315}};
  std::set<int> seen;
  Rng noise(3);
  for (int i = 0; i < 200; ++i) {
    const Evaluation e = (*objective)->Evaluate(arch, 0, &noise);
    int which = -1;
    for (int r = 0; r < 3; ++r) {
      if (e.valid_error == repeats[r].first) which = r;
    }
    ASSERT_GE(which, 0) << e.valid_error;
    EXPECT_EQ(e.cost_seconds, repeats[which].second);
    EXPECT_NEAR(e.test_error,
                Mean({100 * (1 - 0.28515625), 100 * (1 - 0.3569711446762085),
                      100 * (1 - 0.39312902092933655)}),
                1e-9);
    seen.insert(which);
  }
  EXPECT_EQ(seen.size(), 3u);
}

// The checks tests/conformance_test.cc makes of every objective, here with
// the 4- and 5-vertex spaces (that suite builds spaces with default params,
// 7 vertices, which EC-NAS-Bench does not cover).
TEST(EcnasObjectiveTest, PassesTheConformanceChecksOnItsSpaces) {
  for (int vertices : {4, 5}) {
    for (auto metric :
         {EcnasObjectiveParams::ACCURACY, EcnasObjectiveParams::ENERGY}) {
      for (bool noisy : {false, true}) {
        if (noisy && vertices == 5) continue;
        SCOPED_TRACE(::testing::Message() << vertices << "V metric " << metric
                                          << " noisy " << noisy);
        auto objective = Load(vertices, metric, noisy);
        ASSERT_TRUE(objective.ok()) << objective.status();
        const SearchSpace& space = (*objective)->space();
        EXPECT_EQ(absl::uint128((*objective)->num_architectures()),
                  space.Size());
        const KnownOptimum opt = *(*objective)->known_optimum();
        Rng rng(4), noise(5);
        for (int i = 0; i < 300; ++i) {
          const Architecture arch = space.Sample(rng);
          const Evaluation e = (*objective)->Evaluate(arch, 0, &noise);
          ASSERT_TRUE(std::isfinite(e.valid_error));
          ASSERT_TRUE(std::isfinite(e.test_error));
          ASSERT_GT(e.cost_seconds, 0);
          ASSERT_GE(e.test_error, opt.best_test_error);
          if (!noisy) {
            const Evaluation again = (*objective)->Evaluate(arch, 0, nullptr);
            ASSERT_EQ(again.valid_error, e.valid_error);
            ASSERT_EQ(again.test_error, e.test_error);
            ASSERT_GE(e.valid_error, opt.best_valid_error);
          }
        }
      }
    }
  }
}

TEST(EcnasObjectiveTest, NoisyNeedsRepeats) {
  auto objective = Load(5, EcnasObjectiveParams::ACCURACY, /*noisy=*/true);
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("Only the 4-vertex table has repeats"));
}

TEST(EcnasObjectiveTest, VerticesMustMatchTheSpace) {
  // The default nasbench101 space (7 vertices) with the default objective.
  auto entry = GlobalObjectiveRegistry().Find("ecnas");
  ASSERT_TRUE(entry.ok());
  auto objective = (*entry)->factory(Space(7), nullptr, {TestDataDir()});
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("needs the nasbench101 space with max_vertices 5 and "
                        "max_edges 9, but the space has max_vertices 7"));
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("{ max_vertices: 5 }"));
  auto four_on_five = Load(4, EcnasObjectiveParams::ACCURACY, false,
                           TestDataDir(), "", /*space_vertices=*/5);
  ASSERT_FALSE(four_on_five.ok());
  EXPECT_THAT(std::string(four_on_five.status().message()),
              HasSubstr("max_vertices 4"));
  auto six = Load(6);
  ASSERT_FALSE(six.ok());
  EXPECT_THAT(std::string(six.status().message()),
              HasSubstr("vertices is 6"));
}

TEST(EcnasObjectiveTest, RefusesOtherSpaces) {
  EcnasObjectiveParams params;
  auto objective = EcnasObjective::New(
      std::shared_ptr<const SearchSpace>(*Nasbench201Space::New()), params,
      {TestDataDir()});
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("scores the 'nasbench101' search space, not "
                        "'nasbench201'"));
}

TEST(EcnasObjectiveTest, MissingFileSaysPathAndWhereToGetIt) {
  auto objective =
      Load(4, EcnasObjectiveParams::ACCURACY, false, "/nonexistent/data");
  ASSERT_FALSE(objective.ok());
  EXPECT_TRUE(absl::IsNotFound(objective.status()));
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("/nonexistent/data/ec-nas-bench/"
                        "ecnas_4V9E_4epochs_runs.csv"));
}

// Copies a real table with `edit` applied to its lines, into TEST_TMPDIR.
std::string EditedTable(const std::string& source, const std::string& name,
                        void (*edit)(std::vector<std::string>*)) {
  return EditedTableCopy("ec-nas-bench/" + source, name, edit);
}

std::string Edited4V(const std::string& name,
                     void (*edit)(std::vector<std::string>*)) {
  return EditedTable("ecnas_4V9E_4epochs_runs.csv", name, edit);
}

std::string LoadError(int vertices, const std::string& table) {
  auto objective = Load(vertices, EcnasObjectiveParams::ACCURACY, false,
                        std::getenv("TEST_TMPDIR"), table);
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

TEST(EcnasObjectiveTest, MissingArchitectureNamesItsHash) {
  const std::string table =
      Edited4V("missing.csv", [](std::vector<std::string>* lines) {
        std::vector<std::string> kept;
        for (const std::string& line : *lines) {
          if (!absl::StartsWith(line, "e773a7a186b03b0957d57fed0f4d014a,")) {
            kept.push_back(line);
          }
        }
        *lines = kept;
      });
  EXPECT_THAT(LoadError(4, table),
              HasSubstr("missing.csv: architecture adj=0100001100010000 "
                        "ops=input|maxpool3x3|maxpool3x3|output (module hash "
                        "e773a7a186b03b0957d57fed0f4d014a) is missing; the "
                        "table has 90 of the space's 91 architectures"));
}

TEST(EcnasObjectiveTest, BadNumberNamesFileLineAndColumn) {
  const std::string table =
      Edited4V("bad_number.csv", [](std::vector<std::string>* lines) {
        SetField(&(*lines)[9], 28, "0.7x");  // ep4_valid_acc of line 10.
      });
  EXPECT_THAT(LoadError(4, table),
              HasSubstr("bad_number.csv:10: column 'ep4_valid_acc': '0.7x' "
                        "is not a finite number"));
}

TEST(EcnasObjectiveTest, PercentInsteadOfFractionNamesFileAndLine) {
  const std::string table =
      Edited4V("percent.csv", [](std::vector<std::string>* lines) {
        SetField(&(*lines)[4], 29, "73.5");  // ep4_test_acc of line 5.
      });
  EXPECT_THAT(LoadError(4, table),
              HasSubstr("percent.csv:5: column 'ep4_test_acc': 73.5 is "
                        "outside [0, 1] (an accuracy fraction)"));
}

TEST(EcnasObjectiveTest, WrongModuleHashNamesFileAndLine) {
  const std::string table =
      Edited4V("bad_hash.csv", [](std::vector<std::string>* lines) {
        (*lines)[2][0] = 'f';  // 001a6f... -> f01a6f...
      });
  EXPECT_THAT(LoadError(4, table),
              HasSubstr("bad_hash.csv:3: module_hash "
                        "'f01a6fcc8b38cbc515be788a86bdc804' is not the hash "
                        "of the row's cell (001a6fcc8b38cbc515be788a86bdc804)"));
}

TEST(EcnasObjectiveTest, BadAdjacencyNamesFileAndLine) {
  const std::string table =
      Edited4V("bad_adjacency.csv", [](std::vector<std::string>* lines) {
        SetField(&(*lines)[6], 3, "01100010000100");  // 14 bits, not 16.
      });
  EXPECT_THAT(LoadError(4, table),
              HasSubstr("bad_adjacency.csv:7: bad NAS-Bench-101 cell in "
                        "columns 'adjacency_rowmajor' and 'ops' "
                        "(adj=01100010000100 ops="));
  EXPECT_THAT(LoadError(4, table), HasSubstr("): adj has 14 digits"));
  EXPECT_THAT(LoadError(4, table), HasSubstr("fetch the table again"));
}

TEST(EcnasObjectiveTest, UnknownOpNamesFileLineAndTheValidOps) {
  const std::string table =
      Edited4V("bad_ops.csv", [](std::vector<std::string>* lines) {
        SetField(&(*lines)[2], 4, "input|maxpool5x5|maxpool3x3|output");
      });
  EXPECT_THAT(LoadError(4, table),
              HasSubstr("bad_ops.csv:3: bad NAS-Bench-101 cell in columns "
                        "'adjacency_rowmajor' and 'ops'"));
  EXPECT_THAT(LoadError(4, table),
              HasSubstr("ops[1] is 'maxpool5x5'; interior vertices take one "
                        "of conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3"));
}

TEST(EcnasObjectiveTest, RepeatedRunNamesFileAndLine) {
  const std::string table =
      Edited4V("repeat.csv", [](std::vector<std::string>* lines) {
        SetField(&(*lines)[2], 1, "1");  // Line 3 claims repeat 1 again.
      });
  EXPECT_THAT(LoadError(4, table),
              HasSubstr("repeat.csv:3: architecture "
                        "001a6fcc8b38cbc515be788a86bdc804 repeat 1 appears a "
                        "second time"));
}

TEST(EcnasObjectiveTest, FiveVertexRowsDoNotFitTheFourVertexSpace) {
  const std::string table = EditedTable("ecnas_5V9E_4epochs_runs.csv",
                                        "five.csv",
                                        [](std::vector<std::string>*) {});
  EXPECT_THAT(LoadError(4, table),
              HasSubstr("five.csv:3: the cell is not in the space"));
  EXPECT_THAT(LoadError(4, table), HasSubstr("is this the 4-vertex table?"));
}

}  // namespace
}  // namespace nas
