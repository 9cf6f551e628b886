#ifndef NASBENCH_OBJECTIVES_NASBENCH201_NASBENCH201_H_
#define NASBENCH_OBJECTIVES_NASBENCH201_NASBENCH201_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "objectives/common/table_backed_objective.h"
#include "objectives/nasbench201/nasbench201.pb.h"
#include "objectives/objective.h"

namespace nas {

// NAS-Bench-201's real results for one dataset: validation and test error
// (100 - accuracy, in percent) of all 15,625 cells, looked up by the space's
// dense index (an array access). By default one fidelity, the 200-epoch
// schedule; with multi_fidelity the 12-epoch schedule comes first. With
// training_times (cifar10-valid only) cost_seconds is NATS-Bench's simulated
// train-and-validate time; otherwise 0. See the proto for the details.
class Nasbench201Objective : public TableBackedObjective {
 public:
  // Loads the tables below `context.data_dir`. `space` must be the
  // "nasbench201" space. Every row of every table is checked: its arch
  // string must parse, appear once, and its numbers be in range; every
  // architecture must appear. Errors name the file and line.
  static absl::StatusOr<std::unique_ptr<Nasbench201Objective>> New(
      std::shared_ptr<const SearchSpace> space,
      const Nasbench201ObjectiveParams& params,
      const ObjectiveContext& context);

  std::string name() const override { return "nasbench201"; }
  std::string error_unit() const override { return "error (%)"; }
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override;
  // The test accuracies of all three datasets (and the NATS-Bench test loss
  // and accuracy), whichever dataset this objective reports.
  // The local-search study's window and truncated-normal densities for this
  // dataset (White et al. 2020, section 5; docs/landscape.md).
  std::optional<LandscapeReference> landscape_reference() const override;

  const std::string& dataset() const { return dataset_; }

 private:
  Nasbench201Objective() = default;

  std::string dataset_;
  // One fidelity's numbers, by lexicographic index
  // (Nasbench201Space::LexicographicIndex): a look-up needs no official
  // index, and one-edge neighbours are closer in memory. The two errors of
  // an architecture sit side by side: a look-up touches one cache line.
  struct Errors {
    double valid;
    double test;
  };
  struct FidelityTable {
    std::vector<Errors> errors;
    std::vector<double> cost_seconds;  // Empty when there are no times.
  };

  std::vector<FidelityTable> tables_;  // Parallel to fidelities_.
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_NASBENCH201_NASBENCH201_H_
