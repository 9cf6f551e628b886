#include "objectives/nasbench201/nasbench201.h"

#include <algorithm>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "objectives/common/csv_table.h"

namespace nas {
namespace {

constexpr char kWhereToGetIt[] =
    "The NAS-Bench-201 tables ship in ../shared/data/nasbench201 "
    "(nasbench201/README.txt names their public source).";

struct DatasetColumns {
  const char* name;
  const char* valid_column;
  const char* test_column;
};

constexpr DatasetColumns kDatasets[] = {
    {"cifar10-valid", "cifar10valid_valid_acc", "cifar10valid_test_acc"},
    {"cifar100", "cifar100_valid_acc", "cifar100_test_acc"},
    {"ImageNet16-120", "imagenet16_valid_acc", "imagenet16_test_acc"},
};

absl::StatusOr<std::unique_ptr<Objective>> MakeObjective(
    std::shared_ptr<const SearchSpace> space,
    const google::protobuf::Message* params, const ObjectiveContext& context) {
  auto objective = Nasbench201Objective::New(
      std::move(space),
      params ? static_cast<const Nasbench201ObjectiveParams&>(*params)
             : Nasbench201ObjectiveParams::default_instance(),
      context);
  if (!objective.ok()) return objective.status();
  return std::unique_ptr<Objective>(std::move(*objective));
}

NAS_REGISTER_OBJECTIVE(
    "nasbench201",
    "NAS-Bench-201 200-epoch table (cifar10-valid, cifar100, "
    "ImageNet16-120): validation/test error in percent",
    &Nasbench201ObjectiveParams::default_instance(), &MakeObjective);

}  // namespace

absl::StatusOr<std::unique_ptr<Nasbench201Objective>> Nasbench201Objective::New(
    std::shared_ptr<const SearchSpace> space,
    const Nasbench201ObjectiveParams& params,
    const ObjectiveContext& context) {
  if (space == nullptr || space->name() != "nasbench201") {
    return absl::InvalidArgumentError(absl::StrCat(
        "objective 'nasbench201' scores the 'nasbench201' search space, not '",
        space ? space->name() : "(none)", "'"));
  }
  const DatasetColumns* columns = nullptr;
  for (const DatasetColumns& d : kDatasets) {
    if (params.dataset() == d.name) columns = &d;
  }
  if (columns == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "objective 'nasbench201': dataset '", params.dataset(),
        "' is not one of cifar10-valid, cifar100, ImageNet16-120"));
  }
  const std::string path = absl::StrCat(context.data_dir, "/", params.table());
  auto table = CsvTable::Read(path, kWhereToGetIt);
  if (!table.ok()) return table.status();

  auto arch_column = table->Column("arch_str");
  if (!arch_column.ok()) return arch_column.status();
  auto valid_column = table->Column(columns->valid_column);
  if (!valid_column.ok()) return valid_column.status();
  auto test_column = table->Column(columns->test_column);
  if (!test_column.ok()) return test_column.status();

  const int n = static_cast<int>(space->Size());
  auto objective = std::unique_ptr<Nasbench201Objective>(
      new Nasbench201Objective());
  objective->valid_error_.assign(n, std::numeric_limits<double>::quiet_NaN());
  objective->test_error_.assign(n, std::numeric_limits<double>::quiet_NaN());
  std::vector<bool> present(n, false);
  for (int row = 0; row < table->num_rows(); ++row) {
    auto arch = space->Parse(table->Cell(row, *arch_column));
    if (!arch.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          table->Where(row), ": ", arch.status().message()));
    }
    const int64_t index = space->ToIndex(*arch);
    if (present[index]) {
      return absl::InvalidArgumentError(absl::StrCat(
          table->Where(row), ": architecture ", table->Cell(row, *arch_column),
          " appears a second time; the table is corrupted."));
    }
    present[index] = true;
    auto valid_acc = table->Double(row, *valid_column);
    if (!valid_acc.ok()) return valid_acc.status();
    auto test_acc = table->Double(row, *test_column);
    if (!test_acc.ok()) return test_acc.status();
    for (double acc : {*valid_acc, *test_acc}) {
      if (acc < 0 || acc > 100) {
        return absl::InvalidArgumentError(absl::StrCat(
            table->Where(row), ": accuracy ", acc,
            " is outside [0, 100]; the table must hold percentages."));
      }
    }
    objective->valid_error_[index] = 100.0 - *valid_acc;
    objective->test_error_[index] = 100.0 - *test_acc;
  }
  for (int index = 0; index < n; ++index) {
    if (!present[index]) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": architecture ", space->ToString(space->FromIndex(index)),
          " (index ", index, ") is missing; the table has ",
          table->num_rows(), " rows of the 15625 it needs. ", kWhereToGetIt));
    }
  }

  KnownOptimum& opt = objective->optimum_;
  int best_valid = 0;
  for (int i = 0; i < n; ++i) {
    if (objective->valid_error_[i] < objective->valid_error_[best_valid]) {
      best_valid = i;
    }
  }
  opt.best_valid_error = objective->valid_error_[best_valid];
  opt.test_error_of_best_valid = objective->test_error_[best_valid];
  opt.best_test_error = *std::min_element(objective->test_error_.begin(),
                                          objective->test_error_.end());
  objective->space_ = std::move(space);
  objective->dataset_ = params.dataset();
  objective->fidelities_ = {{"200 epochs", 200}};
  return objective;
}

absl::Span<const Fidelity> Nasbench201Objective::fidelities() const {
  return fidelities_;
}

Evaluation Nasbench201Objective::Evaluate(const Architecture& arch,
                                          int /*fidelity*/,
                                          Rng* /*noise*/) const {
  const int64_t index = space_->ToIndex(arch);
  Evaluation e;
  e.valid_error = valid_error_[index];
  e.test_error = test_error_[index];
  return e;
}

}  // namespace nas
