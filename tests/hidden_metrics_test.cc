// Extra metrics and the oracle: a searcher sees the visible ones (here
// NAS-Bench-Macro's parameters and FLOPs, read by the generic table
// objective from the real table) and never a hidden one (here a test
// accuracy declared a hidden metric), whatever it tries; the records keep
// all of them. Also the conformance check that permutes hidden columns on
// disk, with the two faults it must catch.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/oracle.h"
#include "objectives/objective.h"
#include "objectives/table/table.h"
#include "objectives/table/table.pb.h"
#include "spaces/nasbench_macro/nasbench_macro.h"
#include "tests/conformance.h"

namespace nas {
namespace {

namespace cf = ::nas::conformance;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kMacroTable[] = "nas-bench-macro/nas-bench-macro_cifar10.csv";

// Run 1's accuracy as what the searcher trains, run 2's as the test metric,
// parameters and FLOPs as visible costs and run 3's accuracy as a hidden
// (higher-is-better) metric: a test metric of the kind no searcher may see.
TableObjectiveParams MacroParams(TableExtraMetric::Visibility run3) {
  TableObjectiveParams params;
  params.add_table(kMacroTable);
  params.set_architecture("{arch}");
  params.mutable_valid()->set_column("test_acc_run1");
  params.mutable_test()->set_column("test_acc_run2");
  TableExtraMetric* size = params.add_extra_metric();
  size->set_column("params");
  size->set_unit("count");
  TableExtraMetric* flops = params.add_extra_metric();
  flops->set_column("flops");
  flops->set_unit("FLOPs");
  TableExtraMetric* hidden = params.add_extra_metric();
  hidden->set_column("test_acc_run3");
  hidden->set_unit("%");
  hidden->set_direction(TableExtraMetric::HIGHER_IS_BETTER);
  hidden->set_visibility(run3);
  return params;
}

absl::StatusOr<std::shared_ptr<const Objective>> Macro(
    const ObjectiveContext& context,
    TableExtraMetric::Visibility run3 = TableExtraMetric::HIDDEN) {
  auto space = NasbenchMacroSpace::New();
  if (!space.ok()) return space.status();
  auto objective = TableObjective::New(
      std::shared_ptr<const SearchSpace>(std::move(*space)), MacroParams(run3),
      context);
  if (!objective.ok()) return objective.status();
  return std::shared_ptr<const Objective>(std::move(*objective));
}

// Tries to learn run 3's accuracy: by name among the metrics it is shown,
// and by the number of values an observation carries.
class HiddenMetricAttacker : public Algorithm {
 public:
  absl::Status Run(Oracle& oracle, Rng& rng) override {
    names_ = oracle.metric_names();
    const auto it = std::find(names_.begin(), names_.end(), "test_acc_run3");
    while (true) {
      absl::StatusOr<Observation> seen =
          oracle.Query(oracle.space().Sample(rng));
      if (!seen.ok()) return FinishRun(seen.status());
      observed_.push_back(seen->metrics);
      if (it != names_.end()) {
        learned_.push_back(-seen->metrics[it - names_.begin()]);
      }
    }
  }
  std::vector<std::string> names_;
  std::vector<std::vector<double>> observed_;
  std::vector<double> learned_;  // Run 3 accuracies read.
};

struct Attack {
  std::vector<std::string> names;
  std::vector<std::vector<double>> observed;
  std::vector<double> learned;
  std::vector<QueryRecord> records;
};

Attack RunAttacker(const Objective& objective) {
  HiddenMetricAttacker attacker;
  BudgetedOracle oracle(objective, BudgetLimits{/*queries=*/40}, Rng(2));
  Rng rng(3);
  EXPECT_TRUE(RunAlgorithm(attacker, oracle, rng).ok());
  return {attacker.names_, attacker.observed_, attacker.learned_,
          oracle.TakeRecords()};
}

TEST(HiddenMetricsTest, ASearcherSeesVisibleMetricsOnlyAndRecordsKeepAll) {
  auto objective = Macro({TestDataDir()});
  ASSERT_TRUE(objective.ok()) << objective.status();
  const Attack attack = RunAttacker(**objective);
  EXPECT_THAT(attack.names, ElementsAre("params", "flops"));
  EXPECT_TRUE(attack.learned.empty());
  ASSERT_EQ(attack.records.size(), 40u);
  ASSERT_EQ(attack.observed.size(), 40u);
  for (size_t q = 0; q < attack.records.size(); ++q) {
    const std::vector<double>& all = attack.records[q].evaluation.metrics;
    ASSERT_EQ(all.size(), 3u);
    EXPECT_THAT(attack.observed[q], ElementsAre(all[0], all[1]));
    // Run 3's accuracy, in percent, stored negated.
    EXPECT_LT(all[2], 0);
    EXPECT_GE(all[2], -100);
  }
  // The first macro architecture, "00000000", by hand from the CSV.
  auto table = std::dynamic_pointer_cast<const TableObjective>(*objective);
  ASSERT_NE(table, nullptr);
  const Evaluation first = table->Evaluate(
      *table->space().Parse("00000000"), 0, nullptr);
  EXPECT_THAT(first.metrics,
              ElementsAre(387882, 7713280, -45.439998626708984));
}

// The control: declared visible, the same attacker reads run 3 (so the
// test above could fail).
TEST(HiddenMetricsTest, TheAttackerReadsTheMetricOnceItIsVisible) {
  auto objective = Macro({TestDataDir()}, TableExtraMetric::VISIBLE);
  ASSERT_TRUE(objective.ok()) << objective.status();
  const Attack attack = RunAttacker(**objective);
  EXPECT_THAT(attack.names, ElementsAre("params", "flops", "test_acc_run3"));
  ASSERT_EQ(attack.learned.size(), 40u);
  for (size_t q = 0; q < attack.records.size(); ++q) {
    EXPECT_EQ(attack.learned[q], -attack.records[q].evaluation.metrics[2]);
  }
}

// Declares the table's metrics but evaluates without them.
class DropsItsMetrics : public Objective {
 public:
  explicit DropsItsMetrics(std::shared_ptr<const Objective> inner)
      : inner_(std::move(inner)) {}
  std::string name() const override { return "drops_its_metrics"; }
  const SearchSpace& space() const override { return inner_->space(); }
  absl::Span<const Fidelity> fidelities() const override {
    return inner_->fidelities();
  }
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override {
    Evaluation e = inner_->Evaluate(arch, fidelity, noise);
    e.metrics.clear();
    return e;
  }
  std::vector<MetricInfo> metrics() const override {
    return inner_->metrics();
  }

 private:
  std::shared_ptr<const Objective> inner_;
};

TEST(HiddenMetricsTest, MissingMetricValuesFailTheQueryWithoutCharge) {
  auto objective = Macro({TestDataDir()});
  ASSERT_TRUE(objective.ok()) << objective.status();
  const DropsItsMetrics broken(*objective);
  BudgetedOracle oracle(broken, BudgetLimits{/*queries=*/5}, Rng(2));
  absl::StatusOr<Observation> seen =
      oracle.Query(*broken.space().Parse("00000000"), 0);
  ASSERT_FALSE(seen.ok());
  EXPECT_EQ(seen.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(seen.status().message()),
              HasSubstr("objective 'drops_its_metrics' returned 0 metric "
                        "values for"));
  EXPECT_THAT(std::string(seen.status().message()),
              HasSubstr("but declares 3 in metrics()"));
  EXPECT_EQ(oracle.queries_used(), 0);
}

// The multi-objective searchers optimise every metric they are shown, so
// their queries would follow a leaked hidden metric: with it scrambled (and
// the test error), 200 queries on the real table must not change.
TEST(HiddenMetricsTest, MultiObjectiveSearchersNeverFollowAHiddenMetric) {
  auto objective = Macro({TestDataDir()});
  ASSERT_TRUE(objective.ok()) << objective.status();
  for (const std::string name : {"mo_random_search", "pareto_local_search"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(cf::NeverReadsTestMetrics(cf::RegisteredAlgorithm(name),
                                          *objective, 200, 5));
  }
}

std::string Scratch(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

TEST(HiddenMetricsTest, ScrambledTablesPermuteHiddenMetricsOnly) {
  auto objective = Macro({TestDataDir()});
  ASSERT_TRUE(objective.ok()) << objective.status();
  const std::string dir = Scratch("scrambled_macro");
  ASSERT_TRUE(cf::WriteScrambledTables(**objective, TestDataDir(), dir).ok());
  EXPECT_TRUE(cf::HiddenColumnsAreExactlyTheTestMetrics(
      [](const ObjectiveContext& context) { return Macro(context); },
      TestDataDir(), dir));
}

// Declares `hidden` as its hidden columns instead of what the table
// objective derives: the two faults the scrambled-table check must name.
class MisdeclaredColumns : public Objective {
 public:
  MisdeclaredColumns(std::shared_ptr<const Objective> inner,
                     std::vector<std::string> hidden)
      : inner_(std::move(inner)), hidden_(std::move(hidden)) {}
  std::string name() const override { return inner_->name(); }
  const SearchSpace& space() const override { return inner_->space(); }
  absl::Span<const Fidelity> fidelities() const override {
    return inner_->fidelities();
  }
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override {
    return inner_->Evaluate(arch, fidelity, noise);
  }
  std::vector<MetricInfo> metrics() const override {
    return inner_->metrics();
  }
  std::vector<std::string> data_files() const override {
    return inner_->data_files();
  }
  std::vector<HiddenColumns> hidden_test_columns() const override {
    return {{kMacroTable, hidden_}};
  }

 private:
  std::shared_ptr<const Objective> inner_;
  std::vector<std::string> hidden_;
};

::testing::AssertionResult CheckMisdeclared(
    const std::vector<std::string>& hidden, const std::string& dir_name) {
  const cf::ObjectiveBuilder build = [hidden](const ObjectiveContext& context)
      -> absl::StatusOr<std::shared_ptr<const Objective>> {
    auto inner = Macro(context);
    if (!inner.ok()) return inner.status();
    return std::make_shared<MisdeclaredColumns>(*inner, hidden);
  };
  auto objective = build({TestDataDir()});
  EXPECT_TRUE(objective.ok());
  const std::string dir = Scratch(dir_name);
  EXPECT_TRUE(cf::WriteScrambledTables(**objective, TestDataDir(), dir).ok());
  return cf::HiddenColumnsAreExactlyTheTestMetrics(build, TestDataDir(), dir);
}

TEST(HiddenMetricsTest, AHiddenMetricWhoseColumnIsNotPermutedIsReported) {
  const ::testing::AssertionResult result =
      CheckMisdeclared({"test_acc_run2"}, "missing_run3");
  ASSERT_FALSE(result);
  EXPECT_THAT(result.message(),
              HasSubstr("changed no value of hidden metric 'test_acc_run3'"));
}

TEST(HiddenMetricsTest, AVisibleMetricWhoseColumnIsPermutedIsReported) {
  const ::testing::AssertionResult result = CheckMisdeclared(
      {"test_acc_run2", "test_acc_run3", "params"}, "permuted_params");
  ASSERT_FALSE(result);
  EXPECT_THAT(result.message(), HasSubstr("visible metric 'params'"));
}

}  // namespace
}  // namespace nas
