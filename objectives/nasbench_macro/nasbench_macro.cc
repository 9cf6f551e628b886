#include "objectives/nasbench_macro/nasbench_macro.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "objectives/common/csv_table.h"
#include "objectives/common/table_rows.h"

namespace nas {
namespace {

constexpr char kWhereToGetIt[] =
    "The NAS-Bench-Macro table ships in ../shared/data/nas-bench-macro "
    "(nas-bench-macro/README.txt names its public source).";

constexpr int kNumRuns = 3;

NAS_REGISTER_OBJECTIVE_CLASS(
    "nasbench_macro",
    "NAS-Bench-Macro CIFAR-10 table (test accuracy only, 3 runs): "
    "100 - mean test accuracy, or one run per query with noisy: true",
    NasbenchMacroObjective, NasbenchMacroObjectiveParams);

}  // namespace

absl::StatusOr<std::unique_ptr<NasbenchMacroObjective>>
NasbenchMacroObjective::New(std::shared_ptr<const SearchSpace> space,
                            const NasbenchMacroObjectiveParams& params,
                            const ObjectiveContext& context) {
  absl::Status scored =
      CheckScoredSpace("nasbench_macro", "nasbench_macro", space.get());
  if (!scored.ok()) return scored;
  const std::string path = absl::StrCat(context.data_dir, "/", params.table());
  auto table = CsvTable::Read(path, kWhereToGetIt);
  if (!table.ok()) return table.status();

  auto arch_column = table->Column("arch");
  if (!arch_column.ok()) return arch_column.status();
  int run_columns[kNumRuns];
  for (int k = 0; k < kNumRuns; ++k) {
    auto column = table->Column(absl::StrCat("test_acc_run", k + 1));
    if (!column.ok()) return column.status();
    run_columns[k] = *column;
  }
  auto mean_column = table->Column("mean_acc");
  if (!mean_column.ok()) return mean_column.status();

  const int n = static_cast<int>(space->Size());
  auto objective =
      std::unique_ptr<NasbenchMacroObjective>(new NasbenchMacroObjective());
  objective->run_error_.assign(n, {});
  objective->mean_error_.assign(n, 0);
  CompleteTableRows rows(*space, *table, *arch_column, kWhereToGetIt);
  for (int row = 0; row < table->num_rows(); ++row) {
    auto claimed = rows.Claim(row);
    if (!claimed.ok()) return claimed.status();
    const int64_t index = *claimed;
    double run_sum = 0;
    for (int k = 0; k < kNumRuns; ++k) {
      auto acc = table->Double(row, run_columns[k]);
      if (!acc.ok()) return acc.status();
      if (*acc < 0 || *acc > 100) {
        return absl::InvalidArgumentError(absl::StrCat(
            table->Where(row), ": test_acc_run", k + 1, " ", *acc,
            " is outside [0, 100]; the table must hold percentages."));
      }
      objective->run_error_[index][k] = 100.0 - *acc;
      run_sum += *acc;
    }
    auto mean = table->Double(row, *mean_column);
    if (!mean.ok()) return mean.status();
    // The source stores the mean of float32 runs; rounding stays far below
    // this tolerance, a corrupted row does not.
    if (std::fabs(*mean - run_sum / kNumRuns) > 1e-4) {
      return absl::InvalidArgumentError(absl::StrCat(
          table->Where(row), ": mean_acc ", *mean,
          " is not the mean of test_acc_run1..3 (", run_sum / kNumRuns,
          "); the table is corrupted."));
    }
    objective->mean_error_[index] = 100.0 - *mean;
  }
  if (absl::Status complete = rows.CheckComplete(path); !complete.ok()) {
    return complete;
  }

  const double best = *std::min_element(objective->mean_error_.begin(),
                                        objective->mean_error_.end());
  objective->optimum_ = {/*best_valid_error=*/best, /*best_test_error=*/best,
                         /*test_error_of_best_valid=*/best};
  objective->space_ = std::move(space);
  objective->noisy_ = params.noisy();
  objective->fidelities_ = {{"50 epochs", 50}};
  objective->data_files_ = {params.table()};
  return objective;
}

Evaluation NasbenchMacroObjective::Evaluate(const Architecture& arch,
                                            int /*fidelity*/,
                                            Rng* noise) const {
  const int64_t index = space_->ToIndex(arch);
  Evaluation e;
  e.test_error = mean_error_[index];
  if (noisy_) {
    if (noise == nullptr) {
      std::fprintf(stderr,
                   "nasbench_macro: Evaluate of a noisy objective needs a "
                   "noise stream\n");
      std::abort();
    }
    e.valid_error = run_error_[index][noise->UniformInt(kNumRuns)];
  } else {
    e.valid_error = mean_error_[index];
  }
  return e;
}

}  // namespace nas
