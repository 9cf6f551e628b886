#ifndef NASBENCH_OBJECTIVES_NASBENCH_MACRO_NASBENCH_MACRO_H_
#define NASBENCH_OBJECTIVES_NASBENCH_MACRO_NASBENCH_MACRO_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "objectives/common/table_backed_objective.h"
#include "objectives/nasbench_macro/nasbench_macro.pb.h"
#include "objectives/objective.h"

namespace nas {

// NAS-Bench-Macro's CIFAR-10 results for all 6,561 architectures of the
// "nasbench_macro" space: three training runs each (50 epochs; each run's
// number is its best test accuracy over the epochs, as the benchmark's
// training script records it) and their mean.
//
// The benchmark has no validation split. Both errors therefore come from
// test accuracy, in percent: valid_error = test_error = 100 - mean, or, with
// `noisy`, valid_error = 100 - one run drawn per query (see the proto).
// known_optimum() uses the mean. No training times: cost_seconds is 0.
class NasbenchMacroObjective : public TableBackedObjective {
 public:
  // Loads the table below `context.data_dir`. `space` must be the
  // "nasbench_macro" space. Every row is checked (arch string, percentages,
  // mean = mean of the runs, no duplicates) and every architecture must
  // appear; errors name the file and line.
  static absl::StatusOr<std::unique_ptr<NasbenchMacroObjective>> New(
      std::shared_ptr<const SearchSpace> space,
      const NasbenchMacroObjectiveParams& params,
      const ObjectiveContext& context);

  std::string name() const override { return "nasbench_macro"; }
  std::string error_unit() const override { return "test error (%)"; }
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override;
  // Nothing: the benchmark has no validation split, so searchers are shown
  // the mean test accuracy itself (error_unit() says "test error"), and
  // permuting it would change what an honest algorithm sees.
  std::vector<HiddenColumns> hidden_test_columns() const override {
    return {};
  }

 private:
  NasbenchMacroObjective() = default;

  std::vector<std::array<double, 3>> run_error_;  // By index: 100 - run k.
  std::vector<double> mean_error_;                // By index: 100 - mean.
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_NASBENCH_MACRO_NASBENCH_MACRO_H_
