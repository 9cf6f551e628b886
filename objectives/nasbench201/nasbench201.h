#ifndef NASBENCH_OBJECTIVES_NASBENCH201_NASBENCH201_H_
#define NASBENCH_OBJECTIVES_NASBENCH201_NASBENCH201_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "objectives/nasbench201/nasbench201.pb.h"
#include "objectives/objective.h"

namespace nas {

// NAS-Bench-201's real 200-epoch results for one dataset: validation and test
// error (100 - accuracy, in percent) of all 15,625 cells, looked up by the
// space's dense index (an array access).
class Nasbench201Objective : public Objective {
 public:
  // Loads the table below `context.data_dir`. `space` must be the
  // "nasbench201" space. Every row is checked: its arch string must parse
  // and sit at its official index, and every architecture must appear.
  static absl::StatusOr<std::unique_ptr<Nasbench201Objective>> New(
      std::shared_ptr<const SearchSpace> space,
      const Nasbench201ObjectiveParams& params,
      const ObjectiveContext& context);

  std::string name() const override { return "nasbench201"; }
  const SearchSpace& space() const override { return *space_; }
  std::string error_unit() const override { return "error (%)"; }
  absl::Span<const Fidelity> fidelities() const override;
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override;
  std::optional<KnownOptimum> known_optimum() const override {
    return optimum_;
  }

  const std::string& dataset() const { return dataset_; }

 private:
  Nasbench201Objective() = default;

  std::shared_ptr<const SearchSpace> space_;
  std::string dataset_;
  std::vector<double> valid_error_;  // By official index.
  std::vector<double> test_error_;
  KnownOptimum optimum_;
  std::vector<Fidelity> fidelities_;
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_NASBENCH201_NASBENCH201_H_
