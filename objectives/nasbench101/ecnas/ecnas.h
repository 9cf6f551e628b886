#ifndef NASBENCH_OBJECTIVES_NASBENCH101_ECNAS_ECNAS_H_
#define NASBENCH_OBJECTIVES_NASBENCH101_ECNAS_ECNAS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "objectives/common/table_backed_objective.h"
#include "objectives/nasbench101/ecnas/ecnas.pb.h"
#include "objectives/objective.h"
#include "spaces/nasbench101/nasbench101.h"

namespace nas {

// EC-NAS-Bench (Bakhtiarifard et al., ICASSP 2024): NAS-Bench-101 cells with
// at most 4 or 5 vertices trained for 4 epochs on CIFAR-10, with the energy
// and time each training run took. Scores the "nasbench101" space with
// max_vertices equal to `vertices` and max_edges 9.
//
// Rows are keyed by nasbench's module hash; a query hashes the architecture
// (Nasbench101Space::Hash, the first 16 hex digits) and looks it up. Values
// are means over an architecture's training repeats (3 in the 4-vertex
// table, 1 in the 5-vertex one) unless `noisy` (see the proto).
// cost_seconds = total_time_s, the run's whole wall-clock training time.
// One fidelity, "4 epochs": the only budget the public runs cover.
class EcnasObjective : public TableBackedObjective {
 public:
  // Loads the table below `context.data_dir`. Checks, with file:line
  // errors: each row's cell parses, is pruned, fits the space and has the
  // module hash the row claims; numbers are in range; no (hash, repeat)
  // twice. Then enumerates the space and requires every architecture in
  // the table (an error names the first missing one and its hash).
  static absl::StatusOr<std::unique_ptr<EcnasObjective>> New(
      std::shared_ptr<const SearchSpace> space,
      const EcnasObjectiveParams& params, const ObjectiveContext& context);

  std::string name() const override { return "ecnas"; }
  std::string error_unit() const override;
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override;
  // The other of the two objectives, visible to searchers: the training
  // run's energy ("energy", Wh) when the metric is ACCURACY, its validation
  // error ("valid_error", %) when the metric is ENERGY; from the same
  // repeat as valid_error when noisy.
  std::vector<MetricInfo> metrics() const override;
  // Every epoch's test accuracy (ep*_test_acc), not only the 4-epoch one
  // read: they are all test metrics, whichever metric is reported.

  // Number of tabulated architectures (= the space's size).
  int num_architectures() const { return static_cast<int>(archs_.size()); }

 private:
  // One training run's numbers, already converted to this objective's
  // errors (percent error or Wh) and seconds.
  struct Run {
    double valid_error = 0;
    double test_error = 0;
    double cost_seconds = 0;
    double other_metric = 0;  // See metrics().
  };
  struct Entry {
    std::vector<Run> runs;
    Run mean;
  };

  EcnasObjective() = default;
  const Entry& Find(const Architecture& arch) const;

  EcnasObjectiveParams::Metric metric_ = EcnasObjectiveParams::ACCURACY;
  std::vector<Entry> archs_;  // In the space's enumeration order.
  absl::flat_hash_map<uint64_t, int> index_of_hash_;  // Space Hash() -> archs_.
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_NASBENCH101_ECNAS_ECNAS_H_
