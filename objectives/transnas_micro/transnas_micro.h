#ifndef NASBENCH_OBJECTIVES_TRANSNAS_MICRO_TRANSNAS_MICRO_H_
#define NASBENCH_OBJECTIVES_TRANSNAS_MICRO_TRANSNAS_MICRO_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "objectives/common/table_backed_objective.h"
#include "objectives/objective.h"
#include "objectives/transnas_micro/transnas_micro.pb.h"

namespace nas {

// TransNAS-Bench-101's results for the 4,096 cells of the "transnas_micro"
// space on one task, as a lower-is-better error (conversions in the proto):
// valid_error from the task's validation column, test_error from its test
// column, cost_seconds from time_elapsed (the largest elapsed time the run
// logged, i.e. its training time). One fidelity: the task's full schedule
// (10 to 30 epochs), at each metric's best epoch.
class TransnasMicroObjective : public TableBackedObjective {
 public:
  // Loads the task's table below `context.data_dir`. `space` must be the
  // "transnas_micro" space. Every row is checked (arch string, numbers in
  // the metric's range, no duplicates) and every cell must appear; errors
  // name the file and line.
  static absl::StatusOr<std::unique_ptr<TransnasMicroObjective>> New(
      std::shared_ptr<const SearchSpace> space,
      const TransnasMicroObjectiveParams& params,
      const ObjectiveContext& context);

  std::string name() const override { return "transnas_micro"; }
  std::string error_unit() const override { return error_unit_; }
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override;
  // Every test_* column of the task's table, not only the metric reported.

  const std::string& task() const { return task_; }
  const std::string& metric() const { return metric_; }

 private:
  TransnasMicroObjective() = default;

  std::string task_;
  std::string metric_;
  std::string error_unit_;
  std::vector<double> valid_error_;  // By index.
  std::vector<double> test_error_;
  std::vector<double> cost_seconds_;
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_TRANSNAS_MICRO_TRANSNAS_MICRO_H_
