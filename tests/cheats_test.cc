// Three ways a plugin could try to read test metrics, each written as a
// test-only cheat (never registered, never in harness/plugins.bzl), and what
// stops it:
//   (a) downcast the Oracle it receives to the harness's BudgetedOracle and
//       read the recorded test errors: the received object is a private
//       facade, so the cast yields nothing;
//   (b) reach the objective behind that oracle (here with the classic
//       `#define private public`) and evaluate every architecture's test
//       error: nothing behind the facade is reachable either;
//   (c) open the table file in the data directory itself and start from the
//       architecture with the best test accuracy: the conformance check that
//       scrambles the test columns on disk reports it.
// Under algorithms/ neither (a) nor (b) even builds: algorithm packages
// cannot see //harness:oracle (tests/visibility_check.sh proves it).
// Every cheat runs through cf::RunOnce, i.e. RunAlgorithm, the path
// `nas run` uses, and the last test pins that the two give an algorithm the
// same Oracle type (so a typeid check cannot tell conformance from a run).

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/distinct_sampler.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "objectives/objective.h"
#include "spaces/search_space.h"
// Cheat (b)'s key to BudgetedOracle's private members. Everything the header
// includes is already included above, so only its own class is affected; it
// must come before any other harness header (they include it).
#define private public
#include "harness/oracle.h"
#undef private
#include "harness/config.h"
#include "harness/runner.h"
#include "tests/conformance.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

namespace cf = ::nas::conformance;
using ::testing::HasSubstr;

enum class Route {
  kHonest,            // The twin every cheat must be indistinguishable from.
  kDowncastRecords,   // (a)
  kObjectiveBehind,   // (b)
  kTableFile,         // (c)
};

// Random search without replacement (an honest algorithm), plus one cheat:
// whatever architecture the cheat says has the best test error is queried
// next. `learned` counts the test errors the cheat managed to read.
class Cheater : public Algorithm {
 public:
  Cheater(Route route, std::shared_ptr<std::atomic<int64_t>> learned)
      : route_(route), learned_(std::move(learned)) {}

  absl::Status Run(Oracle& oracle, Rng& rng) override {
    const SearchSpace& space = oracle.space();
    DistinctSampler sampler(space);
    std::optional<Architecture> tip = Cheat(oracle);
    while (true) {
      std::optional<Architecture> arch = tip ? tip : sampler.Next(rng);
      tip.reset();
      if (!arch) return absl::OkStatus();
      sampler.MarkSeen(*arch);
      absl::StatusOr<Observation> obs = oracle.Query(*arch);
      if (IsBudgetExhausted(obs.status())) return absl::OkStatus();
      if (!obs.ok()) return obs.status();
      if (route_ == Route::kDowncastRecords) tip = Downcast(oracle, space, sampler);
    }
  }

 private:
  // (a): the harness's records hold the test error of the last query; move
  // to an unqueried neighbour of any architecture that tests well.
  std::optional<Architecture> Downcast(const Oracle& oracle,
                                       const SearchSpace& space,
                                       const DistinctSampler& sampler) {
    const auto* harness = dynamic_cast<const BudgetedOracle*>(&oracle);
    if (harness == nullptr) return std::nullopt;
    ++*learned_;
    const QueryRecord& last = harness->records().back();
    if (last.evaluation.test_error >= 50) return std::nullopt;
    std::vector<Architecture> neighbors;
    space.Neighbors(last.arch, &neighbors);
    for (const Architecture& n : neighbors) {
      if (!sampler.Seen(n)) return n;
    }
    return std::nullopt;
  }

  std::optional<Architecture> Cheat(const Oracle& oracle) {
    switch (route_) {
      case Route::kObjectiveBehind:
        return BestThroughTheObjective(oracle);
      case Route::kTableFile:
        return BestInTheTableFile(oracle.space());
      default:
        return std::nullopt;
    }
  }

  // (b): every architecture's test error, free of charge.
  std::optional<Architecture> BestThroughTheObjective(const Oracle& oracle) {
    const auto* harness = dynamic_cast<const BudgetedOracle*>(&oracle);
    if (harness == nullptr) return std::nullopt;
    const Objective& objective = harness->objective_;
    const SearchSpace& space = objective.space();
    std::optional<Architecture> best;
    double best_test = std::numeric_limits<double>::infinity();
    for (int64_t i = 0; i < static_cast<int64_t>(space.Size()); ++i) {
      const Architecture arch = space.FromIndex(i);
      const double test = objective.Evaluate(arch, 0, nullptr).test_error;
      ++*learned_;
      if (test < best_test) best_test = test, best = arch;
    }
    return best;
  }

  // (c): the NAS-Bench-201 table, where `nas run` would find it.
  std::optional<Architecture> BestInTheTableFile(const SearchSpace& space) {
    const char* env = std::getenv("NAS_DATA_DIR");
    const std::string dir = env && *env ? env : "../shared/data";
    std::ifstream in(dir + "/nasbench201/nb201_v1_1_200ep_seedavg.csv");
    std::string line;
    if (!std::getline(in, line)) return std::nullopt;
    const std::vector<std::string> header = absl::StrSplit(line, ',');
    int arch_column = -1, test_column = -1;
    for (int c = 0; c < static_cast<int>(header.size()); ++c) {
      if (header[c] == "arch_str") arch_column = c;
      if (header[c] == "cifar10valid_test_acc") test_column = c;
    }
    if (arch_column < 0 || test_column < 0) return std::nullopt;
    std::optional<Architecture> best;
    double best_accuracy = -1;
    while (std::getline(in, line)) {
      const std::vector<std::string> row = absl::StrSplit(line, ',');
      double accuracy;
      if (row.size() != header.size() ||
          !absl::SimpleAtod(row[test_column], &accuracy)) {
        continue;
      }
      absl::StatusOr<Architecture> arch = space.Parse(row[arch_column]);
      if (!arch.ok()) continue;
      ++*learned_;
      if (accuracy > best_accuracy) best_accuracy = accuracy, best = *arch;
    }
    return best;
  }

  const Route route_;
  std::shared_ptr<std::atomic<int64_t>> learned_;
};

struct Made {
  cf::AlgorithmMaker make;
  std::shared_ptr<std::atomic<int64_t>> learned;
};

Made Make(Route route) {
  auto learned = std::make_shared<std::atomic<int64_t>>(0);
  return {[route, learned]() -> absl::StatusOr<std::unique_ptr<Algorithm>> {
            return std::unique_ptr<Algorithm>(new Cheater(route, learned));
          },
          learned};
}

std::vector<std::string> Queries(const cf::RunOutcome& outcome) {
  std::vector<std::string> queries;
  for (const QueryRecord& r : outcome.records) {
    queries.push_back(r.arch.DebugString());
  }
  return queries;
}

// 1,000 architectures with hash-valued errors (no data files needed).
std::shared_ptr<const Objective> Small() {
  static const auto* objective = new std::shared_ptr<const Objective>(
      std::make_shared<HashObjective>(std::make_shared<TinySpace>(3, 10), 21,
                                      22));
  return *objective;
}

// Runs `cheat` and its honest twin with one seed: the cheat must have read
// nothing and made exactly the twin's queries.
void ExpectLearnsNothing(Route route, const Objective& objective) {
  const Made cheat = Make(route);
  const cf::RunOutcome cheated = cf::RunOnce(cheat.make, objective, 60, 3);
  const cf::RunOutcome honest =
      cf::RunOnce(Make(Route::kHonest).make, objective, 60, 3);
  ASSERT_TRUE(cheated.status.ok()) << cheated.status;
  EXPECT_EQ(cheat.learned->load(), 0)
      << "the cheat read that many test errors";
  EXPECT_EQ(Queries(cheated), Queries(honest));
}

TEST(Cheats, DowncastingTheOracleToTheHarnessTypeFindsNothing) {
  ExpectLearnsNothing(Route::kDowncastRecords, *Small());
}

TEST(Cheats, TheObjectiveBehindTheOracleIsOutOfReach) {
  ExpectLearnsNothing(Route::kObjectiveBehind, *Small());
}

// The objective over the real NAS-Bench-201 table, and a copy of the table
// with its test columns permuted.
struct Nasbench201World {
  cf::ObjectiveBuilder build;
  std::string scrambled_dir;
};

Nasbench201World Nasbench201() {
  Nasbench201World world;
  world.build = [](const ObjectiveContext& context)
      -> absl::StatusOr<std::shared_ptr<const Objective>> {
    auto space_entry = GlobalSearchSpaceRegistry().Find("nasbench201");
    auto objective_entry = GlobalObjectiveRegistry().Find("nasbench201");
    if (!space_entry.ok()) return space_entry.status();
    if (!objective_entry.ok()) return objective_entry.status();
    auto space = (*space_entry)->factory(nullptr);
    if (!space.ok()) return space.status();
    auto objective = (*objective_entry)->factory(
        std::shared_ptr<const SearchSpace>(std::move(*space)), nullptr,
        context);
    if (!objective.ok()) return objective.status();
    return std::shared_ptr<const Objective>(std::move(*objective));
  };
  world.scrambled_dir = absl::StrCat(std::getenv("TEST_TMPDIR"), "/scrambled");
  return world;
}

TEST(Cheats, ReadingTheTableFileIsReportedByTheScrambledTableCheck) {
  const Nasbench201World world = Nasbench201();
  auto objective = world.build({TestDataDir()});
  ASSERT_TRUE(objective.ok()) << objective.status();
  ASSERT_TRUE(cf::WriteScrambledTables(**objective, TestDataDir(),
                                       world.scrambled_dir)
                  .ok());
  const Made cheat = Make(Route::kTableFile);
  const auto r = cf::NeverReadsTestMetricsOnDisk(
      cheat.make, world.build, TestDataDir(), world.scrambled_dir, 40, 5);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("the queries changed when only the test "
                                     "metrics in the table files changed"));
  EXPECT_THAT(r.message(), HasSubstr("query #0 was"));
  EXPECT_GT(cheat.learned->load(), 0);
  // The in-memory check cannot see this cheat; the honest twin passes both.
  const std::shared_ptr<const Objective> shared = *objective;
  EXPECT_TRUE(cf::NeverReadsTestMetrics(Make(Route::kHonest).make, shared, 40,
                                        5));
  EXPECT_TRUE(cf::NeverReadsTestMetricsOnDisk(Make(Route::kHonest).make,
                                              world.build, TestDataDir(),
                                              world.scrambled_dir, 40, 5));
}

// What type of Oracle an algorithm receives, by run.
class TypeRecorder : public Algorithm {
 public:
  explicit TypeRecorder(std::string* type) : type_(type) {}
  absl::Status Run(Oracle& oracle, Rng& rng) override {
    *type_ = typeid(oracle).name();
    return absl::OkStatus();
  }

 private:
  std::string* type_;
};

TEST(Cheats, ConformanceHandsAlgorithmsTheOracleTypeOfARealRun) {
  std::string in_conformance, in_run;
  cf::RunOnce(
      [&]() -> absl::StatusOr<std::unique_ptr<Algorithm>> {
        return std::unique_ptr<Algorithm>(new TypeRecorder(&in_conformance));
      },
      *Small(), 10, 1);

  // One cell of `nas run`, with the recorder as its algorithm.
  const AlgorithmRegistry::Entry entry{
      "type_recorder", "", nullptr,
      [&](const google::protobuf::Message*)
          -> absl::StatusOr<std::unique_ptr<Algorithm>> {
        return std::unique_ptr<Algorithm>(new TypeRecorder(&in_run));
      }};
  LoadedExperiment experiment;
  experiment.config.set_num_seeds(1);
  experiment.config.mutable_budget()->set_queries(10);
  experiment.benchmarks.push_back({"small", nullptr, Small()});
  LoadedAlgorithm algorithm;
  algorithm.label = algorithm.plugin = "type_recorder";
  algorithm.entry = &entry;
  experiment.algorithms.push_back(algorithm);
  const CellResult result = RunCell(experiment, {0, 0, 0});
  ASSERT_TRUE(result.status.ok()) << result.status;

  ASSERT_FALSE(in_run.empty());
  EXPECT_EQ(in_conformance, in_run);
  EXPECT_NE(in_run, typeid(BudgetedOracle).name());
}

}  // namespace
}  // namespace nas
