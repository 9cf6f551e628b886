// Every config in configs/tables/ runs a shared table through the generic
// "table" objective; each must give exactly what the dedicated plugin gives
// on the same experiment: the same query trajectories (every cell file,
// byte for byte) and the same summary. The dedicated runs are the existing
// configs, restricted with --filter to the same benchmarks (and, for the
// study's config, to the algorithms cheap enough for a unit test).

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

namespace ct = ::nas::cli_testing;

struct Pair {
  std::string table_config;     // Under configs/tables/.
  std::string dedicated_config;  // A path, or the text of a config.
  std::string filter;           // Applied to both runs.
};

// The dedicated twin of configs/tables/nasbench201_times.textproto: no
// config in configs/ uses training_times with multi_fidelity.
constexpr char kTimedTwin[] = R"pb(
name: "NAS-Bench-201 cifar10-valid with training times, dedicated objective"
seed: 0
num_seeds: 20
budget { seconds: 400000 }
benchmark {
  name: "cifar10-valid-timed"
  space { name: "nasbench201" }
  objective {
    name: "nasbench201"
    params {
      [type.googleapis.com/nas.Nasbench201ObjectiveParams] {
        dataset: "cifar10-valid" multi_fidelity: true training_times: true
      }
    }
  }
}
algorithm { plugin: "local_search" }
algorithm { plugin: "random_search" }
algorithm { plugin: "successive_halving" }
algorithm { plugin: "hyperband" }
)pb";

// Summary rows of the benchmarks that ran (a filtered run keeps empty rows
// for the benchmarks it left out).
std::string SummaryOf(const std::string& csv,
                      const std::vector<std::string>& benchmarks) {
  std::string kept;
  for (absl::string_view line : absl::StrSplit(csv, '\n')) {
    const std::string first(line.substr(0, line.find(',')));
    if (first == "benchmark" ||
        std::find(benchmarks.begin(), benchmarks.end(), first) !=
            benchmarks.end()) {
      absl::StrAppend(&kept, line, "\n");
    }
  }
  return kept;
}

class TablesConfigTest : public ::testing::TestWithParam<Pair> {};

TEST_P(TablesConfigTest, SameTrajectoriesAndSummaryAsTheDedicatedPlugin) {
  const Pair& pair = GetParam();
  const std::string name =
      pair.table_config.substr(0, pair.table_config.find('.'));
  const std::string mine = absl::StrCat(ct::TempDir(), "/", name, "_table");
  const std::string theirs =
      absl::StrCat(ct::TempDir(), "/", name, "_dedicated");
  const ct::Result a =
      ct::Nas(absl::StrCat("run configs/tables/", pair.table_config,
                           " --output_dir ", mine, " --filter '", pair.filter,
                           "'"));
  ASSERT_EQ(a.exit_code, 0) << a.stderr_text;
  std::string dedicated = pair.dedicated_config;
  if (absl::StrContains(dedicated, "\n")) {
    const std::string path = absl::StrCat(ct::TempDir(), "/", name, ".twin");
    ct::Spit(path, dedicated);
    dedicated = path;
  }
  const ct::Result b = ct::Nas(absl::StrCat(
      "run ", dedicated, " --output_dir ", theirs, " --filter '",
      pair.filter, "'"));
  ASSERT_EQ(b.exit_code, 0) << b.stderr_text;

  const auto my_cells = ct::CellFiles(mine);
  const auto their_cells = ct::CellFiles(theirs);
  ASSERT_FALSE(my_cells.empty());
  EXPECT_EQ(my_cells.size(), their_cells.size());
  std::vector<std::string> benchmarks;
  for (const auto& [path, text] : my_cells) {
    auto it = their_cells.find(path);
    ASSERT_NE(it, their_cells.end()) << path << " only in the table run";
    EXPECT_EQ(text, it->second) << path << " differs";
    const std::string benchmark = path.substr(0, path.find('/'));
    if (benchmarks.empty() || benchmarks.back() != benchmark) {
      benchmarks.push_back(benchmark);
    }
  }
  const std::string my_summary =
      SummaryOf(ct::Slurp(mine + "/summary.csv"), benchmarks);
  EXPECT_GT(std::count(my_summary.begin(), my_summary.end(), '\n'), 1);
  EXPECT_EQ(my_summary,
            SummaryOf(ct::Slurp(theirs + "/summary.csv"), benchmarks));
}

INSTANTIATE_TEST_SUITE_P(
    AllSharedTables, TablesConfigTest,
    ::testing::Values(
        Pair{"nasbench201.textproto", "configs/tabular.textproto",
             "nb201-.*/.*"},
        Pair{"nasbench201_multifidelity.textproto",
             "configs/paper/nasbench201.textproto",
             ".*/(local_search|random_search|successive_halving|hyperband|"
             "simulated_annealing)"},
        Pair{"nasbench201_times.textproto", kTimedTwin, ".*"},
        Pair{"nas_bench_macro.textproto", "configs/tabular.textproto",
             "macro-cifar10/.*"},
        Pair{"transnas_micro.textproto", "configs/tabular.textproto",
             "transnas-.*/.*"},
        Pair{"ecnas5v.textproto", "configs/tabular.textproto",
             "ecnas5v-.*/.*"},
        Pair{"ecnas4v.textproto", "configs/tabular_ecnas4v.textproto",
             ".*"}),
    [](const ::testing::TestParamInfo<Pair>& info) {
      std::string name = info.param.table_config;
      name = name.substr(0, name.find('.'));
      return name;
    });

// Every file in configs/tables/ is one of the pairs above.
TEST(TablesConfigTest, EveryTablesConfigIsCompared) {
  std::vector<std::string> found;
  for (const auto& [path, text] : ct::Tree("configs/tables")) {
    found.push_back(path.substr(path.rfind('/') + 1));
    EXPECT_TRUE(absl::StrContains(text, "name: \"table\"")) << path;
  }
  EXPECT_EQ(found, (std::vector<std::string>{
                       "ecnas4v.textproto", "ecnas5v.textproto",
                       "nas_bench_macro.textproto", "nasbench201.textproto",
                       "nasbench201_multifidelity.textproto",
                       "nasbench201_times.textproto",
                       "transnas_micro.textproto"}));
}

}  // namespace
}  // namespace nas
