// The conformance suite builds every registered objective from its default
// parameters, which the generic "table" objective does not have (it needs a
// file). Here the objective checks run on every benchmark of
// configs/tables/ instead: finite values, determinism, nothing better than
// the known optimum, and hidden test columns that are exactly the test
// metrics (permuting them on disk changes test errors only).

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/test_data.h"
#include "gtest/gtest.h"
#include "harness/config.h"
#include "objectives/table/table.h"
#include "tests/conformance.h"

namespace nas {
namespace {

namespace cf = ::nas::conformance;

class TablesObjectiveTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TablesObjectiveTest, EveryBenchmarkPassesTheObjectiveChecks) {
  const std::string config = absl::StrCat("configs/tables/", GetParam());
  LoadOptions options;
  options.data_dir = TestDataDir();
  auto loaded = LoadExperiment(config, options);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  for (size_t b = 0; b < loaded->benchmarks.size(); ++b) {
    const auto& benchmark = loaded->benchmarks[b];
    SCOPED_TRACE(benchmark.name);
    const Objective& objective = *benchmark.objective;
    EXPECT_EQ(objective.name(), "table");
    EXPECT_TRUE(cf::ValuesAreFinite(objective));
    EXPECT_TRUE(cf::DeterministicUnlessNoisy(objective));
    EXPECT_TRUE(cf::NothingBeatsTheKnownOptimum(objective));
    if (objective.hidden_test_columns().empty()) continue;
    // Without a validation split (energy: one measurement) the test metric
    // is what searchers see; permuting other test columns changes nothing.
    Rng rng(5);
    bool split = false;
    for (int i = 0; i < 50 && !split; ++i) {
      const Evaluation e = objective.Evaluate(
          benchmark.space->Sample(rng),
          static_cast<int>(objective.fidelities().size()) - 1, &rng);
      split = e.valid_error != e.test_error;
    }
    if (!split) continue;
    const std::string scrambled = absl::StrCat(
        std::getenv("TEST_TMPDIR"), "/", GetParam(), "_", benchmark.name);
    ASSERT_TRUE(
        cf::WriteScrambledTables(objective, TestDataDir(), scrambled).ok());
    // This benchmark's space and objective rebuilt from the config's
    // parameters over another data directory.
    const BenchmarkSpec spec = loaded->config.benchmark(b);
    const cf::ObjectiveBuilder build =
        [spec](const ObjectiveContext& context)
        -> absl::StatusOr<std::shared_ptr<const Objective>> {
      auto space_entry = GlobalSearchSpaceRegistry().Find(spec.space().name());
      if (!space_entry.ok()) return space_entry.status();
      const google::protobuf::Message* prototype =
          (*space_entry)->params_prototype;
      std::unique_ptr<google::protobuf::Message> space_params(
          prototype != nullptr ? prototype->New() : nullptr);
      if (space_params != nullptr && spec.space().has_params()) {
        spec.space().params().UnpackTo(space_params.get());
      }
      auto space = (*space_entry)->factory(space_params.get());
      if (!space.ok()) return space.status();
      auto entry = GlobalObjectiveRegistry().Find("table");
      if (!entry.ok()) return entry.status();
      TableObjectiveParams params;
      spec.objective().params().UnpackTo(&params);
      auto objective = (*entry)->factory(
          std::shared_ptr<const SearchSpace>(std::move(*space)), &params,
          context);
      if (!objective.ok()) return objective.status();
      return std::shared_ptr<const Objective>(std::move(*objective));
    };
    EXPECT_TRUE(cf::HiddenColumnsAreExactlyTheTestMetrics(
        build, TestDataDir(), scrambled));
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllTablesConfigs, TablesObjectiveTest,
    ::testing::Values("nasbench201.textproto",
                      "nasbench201_multifidelity.textproto",
                      "nasbench201_times.textproto",
                      "nas_bench_macro.textproto", "transnas_micro.textproto",
                      "ecnas5v.textproto", "ecnas4v.textproto"),
    [](const ::testing::TestParamInfo<std::string>& info) {
      return info.param.substr(0, info.param.find('.'));
    });

}  // namespace
}  // namespace nas
