#include "objectives/transnas_micro/transnas_micro.h"

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "objectives/common/csv_table.h"
#include "objectives/common/table_rows.h"

namespace nas {
namespace {

constexpr char kWhereToGetIt[] =
    "The TransNAS-Bench-101 micro tables ship in "
    "../shared/data/transnas-bench-101-micro "
    "(transnas-bench-101-micro/README.txt names their public source).";

enum class Conversion {
  kHundredMinusPercent,  // Accuracy-like percentages: 100 - value.
  kOneMinusSsim,         // SSIM (at most 1): 1 - value.
  kNegate,               // A negated loss: -value is the loss.
};

struct MetricSpec {
  absl::string_view task;
  absl::string_view metric;
  bool is_default;
  Conversion conversion;
  absl::string_view unit;
};

constexpr MetricSpec kMetrics[] = {
    {"class_object", "top1", true, Conversion::kHundredMinusPercent,
     "100 - top-1 accuracy (%)"},
    {"class_object", "top5", false, Conversion::kHundredMinusPercent,
     "100 - top-5 accuracy (%)"},
    {"class_scene", "top1", true, Conversion::kHundredMinusPercent,
     "100 - top-1 accuracy (%)"},
    {"class_scene", "top5", false, Conversion::kHundredMinusPercent,
     "100 - top-5 accuracy (%)"},
    {"jigsaw", "top1", true, Conversion::kHundredMinusPercent,
     "100 - top-1 accuracy (%)"},
    {"jigsaw", "top5", false, Conversion::kHundredMinusPercent,
     "100 - top-5 accuracy (%)"},
    {"segmentsemantic", "mIoU", true, Conversion::kHundredMinusPercent,
     "100 - mIoU (%)"},
    {"segmentsemantic", "acc", false, Conversion::kHundredMinusPercent,
     "100 - pixel accuracy (%)"},
    {"normal", "ssim", true, Conversion::kOneMinusSsim, "1 - SSIM"},
    {"autoencoder", "ssim", true, Conversion::kOneMinusSsim, "1 - SSIM"},
    {"room_layout", "neg_loss", true, Conversion::kNegate, "L2 loss"},
};

struct TaskSpec {
  absl::string_view task;
  int epochs;  // The benchmark's training schedule for the task.
  // The loss column the table holds only as a maximum over epochs.
  absl::string_view worst_epoch_loss;
};

constexpr TaskSpec kTasks[] = {
    {"class_object", 25, "loss"},    {"class_scene", 25, "loss"},
    {"jigsaw", 10, "loss"},          {"room_layout", 25, "loss"},
    {"segmentsemantic", 30, "loss"}, {"normal", 30, "l1_loss"},
    {"autoencoder", 30, "l1_loss"},
};

std::string MetricsOf(absl::string_view task) {
  std::vector<std::string> names;
  for (const MetricSpec& m : kMetrics) {
    if (m.task == task) {
      names.push_back(absl::StrCat(m.metric, m.is_default ? " (default)" : ""));
    }
  }
  return absl::StrJoin(names, ", ");
}

absl::StatusOr<const MetricSpec*> FindMetric(const TaskSpec& task,
                                             absl::string_view metric) {
  for (const MetricSpec& m : kMetrics) {
    if (m.task != task.task) continue;
    if (metric.empty() ? m.is_default : m.metric == metric) return &m;
  }
  if (metric == task.worst_epoch_loss) {
    return absl::InvalidArgumentError(absl::StrCat(
        "objective 'transnas_micro': metric '", metric, "' of task '",
        task.task,
        "' is not offered: the table keeps every column's maximum over "
        "training epochs, which for a loss is its worst epoch, not a measure "
        "of quality. Metrics of ",
        task.task, ": ", MetricsOf(task.task)));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "objective 'transnas_micro': task '", task.task, "' has no metric '",
      metric, "'; its metrics are: ", MetricsOf(task.task)));
}

// Checks that `value` of `column` lies where the metric can lie, then
// converts it into an error.
absl::StatusOr<double> ToError(const CsvTable& table, int row, int column,
                               Conversion conversion) {
  auto value = table.Double(row, column);
  if (!value.ok()) return value.status();
  const double v = *value;
  auto out_of_range = [&](absl::string_view range) {
    return absl::InvalidArgumentError(
        absl::StrCat(table.Where(row), ": column '", table.header()[column],
                     "': ", v, " is outside ", range,
                     "; the table is corrupted or not this task's."));
  };
  switch (conversion) {
    case Conversion::kHundredMinusPercent:
      if (v < 0 || v > 100) return out_of_range("[0, 100] (a percentage)");
      return 100.0 - v;
    case Conversion::kOneMinusSsim:
      if (v < -1 || v > 1) return out_of_range("[-1, 1] (an SSIM)");
      return 1.0 - v;
    case Conversion::kNegate:
      if (v > 0) return out_of_range("(-inf, 0] (a negated loss)");
      return -v;
  }
  return v;  // Unreachable: the switch covers every conversion.
}

NAS_REGISTER_OBJECTIVE_CLASS(
    "transnas_micro",
    "TransNAS-Bench-101 micro cells on one of 7 Taskonomy tasks "
    "(classification, jigsaw, segmentation, normals, autoencoding, room "
    "layout); every metric as a lower-is-better error",
    TransnasMicroObjective, TransnasMicroObjectiveParams);

}  // namespace

absl::StatusOr<std::unique_ptr<TransnasMicroObjective>>
TransnasMicroObjective::New(std::shared_ptr<const SearchSpace> space,
                            const TransnasMicroObjectiveParams& params,
                            const ObjectiveContext& context) {
  absl::Status scored =
      CheckScoredSpace("transnas_micro", "transnas_micro", space.get());
  if (!scored.ok()) return scored;
  const TaskSpec* task = nullptr;
  std::vector<absl::string_view> task_names;
  for (const TaskSpec& t : kTasks) {
    if (params.task() == t.task) task = &t;
    task_names.push_back(t.task);
  }
  if (task == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "objective 'transnas_micro': task '", params.task(),
        "' is not one of ", absl::StrJoin(task_names, ", ")));
  }
  auto metric = FindMetric(*task, params.metric());
  if (!metric.ok()) return metric.status();

  const std::string relative =
      params.table().empty()
          ? absl::StrCat("transnas-bench-101-micro/", task->task, ".csv")
          : params.table();
  const std::string path = absl::StrCat(context.data_dir, "/", relative);
  auto table = CsvTable::Read(path, kWhereToGetIt);
  if (!table.ok()) return table.status();

  auto arch_column = table->Column("arch_str");
  if (!arch_column.ok()) return arch_column.status();
  auto valid_column = table->Column(
      absl::StrCat("valid_", (*metric)->metric, "_maxoverepochs"));
  if (!valid_column.ok()) return valid_column.status();
  auto test_column = table->Column(
      absl::StrCat("test_", (*metric)->metric, "_maxoverepochs"));
  if (!test_column.ok()) return test_column.status();
  auto time_column = table->Column("time_elapsed_maxoverepochs");
  if (!time_column.ok()) return time_column.status();

  const int n = static_cast<int>(space->Size());
  auto objective =
      std::unique_ptr<TransnasMicroObjective>(new TransnasMicroObjective());
  objective->valid_error_.assign(n, 0);
  objective->test_error_.assign(n, 0);
  objective->cost_seconds_.assign(n, 0);
  CompleteTableRows rows(*space, *table, *arch_column, kWhereToGetIt);
  for (int row = 0; row < table->num_rows(); ++row) {
    auto claimed = rows.Claim(row);
    if (!claimed.ok()) return claimed.status();
    const int64_t index = *claimed;
    auto valid_error =
        ToError(*table, row, *valid_column, (*metric)->conversion);
    if (!valid_error.ok()) return valid_error.status();
    auto test_error = ToError(*table, row, *test_column, (*metric)->conversion);
    if (!test_error.ok()) return test_error.status();
    auto seconds = table->Double(row, *time_column);
    if (!seconds.ok()) return seconds.status();
    if (*seconds < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(table->Where(row), ": time_elapsed ", *seconds,
                       " is negative; the table is corrupted."));
    }
    objective->valid_error_[index] = *valid_error;
    objective->test_error_[index] = *test_error;
    objective->cost_seconds_[index] = *seconds;
  }
  if (absl::Status complete = rows.CheckComplete(path); !complete.ok()) {
    return complete;
  }

  int best_valid = 0;
  for (int i = 1; i < n; ++i) {
    if (objective->valid_error_[i] < objective->valid_error_[best_valid]) {
      best_valid = i;
    }
  }
  objective->optimum_.best_valid_error = objective->valid_error_[best_valid];
  objective->optimum_.test_error_of_best_valid =
      objective->test_error_[best_valid];
  objective->optimum_.best_test_error = *std::min_element(
      objective->test_error_.begin(), objective->test_error_.end());
  objective->space_ = std::move(space);
  objective->task_ = std::string(task->task);
  objective->metric_ = std::string((*metric)->metric);
  objective->error_unit_ = std::string((*metric)->unit);
  objective->data_files_ = {relative};
  HiddenColumns hidden{relative, {}};
  for (const std::string& column : table->header()) {
    if (absl::StartsWith(column, "test_")) hidden.columns.push_back(column);
  }
  objective->hidden_test_columns_ = {std::move(hidden)};
  objective->fidelities_ = {
      {absl::StrCat(task->epochs, " epochs"), static_cast<double>(task->epochs)}};
  return objective;
}

Evaluation TransnasMicroObjective::Evaluate(const Architecture& arch,
                                            int /*fidelity*/,
                                            Rng* /*noise*/) const {
  const int64_t index = space_->ToIndex(arch);
  Evaluation e;
  e.valid_error = valid_error_[index];
  e.test_error = test_error_[index];
  e.cost_seconds = cost_seconds_[index];
  return e;
}

}  // namespace nas
