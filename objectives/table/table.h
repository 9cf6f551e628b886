#ifndef NASBENCH_OBJECTIVES_TABLE_TABLE_H_
#define NASBENCH_OBJECTIVES_TABLE_TABLE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "objectives/common/table_backed_objective.h"
#include "objectives/objective.h"
#include "objectives/table/table.pb.h"

namespace nas {

// Any CSV table of architectures and metrics as an objective, configured
// wholly by TableObjectiveParams (table.proto; docs/your-own-benchmark.md).
//
// Two ways to key a row:
// - on the "table" space (spaces/table), by its gene columns: the objective
//   reads them and binds the rows into the space, which becomes exactly the
//   set of rows present;
// - on any other space, by `architecture`, a template over columns whose
//   text the space parses; the table must then cover the whole space.
//
// Every metric becomes a lower-is-better error (TableMetric.Kind), repeats
// are refused, averaged or sampled, and each fidelity may read its own file
// or the rows of a fidelity column. Every refusal names file, line and
// column and says how to fix it, before anything is written.
class TableObjective : public TableBackedObjective {
 public:
  static absl::StatusOr<std::unique_ptr<TableObjective>> New(
      std::shared_ptr<const SearchSpace> space,
      const TableObjectiveParams& params, const ObjectiveContext& context);

  std::string name() const override { return "table"; }
  std::string error_unit() const override { return error_unit_; }
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override;
  std::vector<MetricInfo> metrics() const override { return metrics_; }

  // The configured extra_column names, and one's value (mean over repeats)
  // for `arch`; nullopt when its cell was empty.
  const std::vector<std::string>& extra_columns() const {
    return extra_columns_;
  }
  std::optional<double> Extra(const Architecture& arch, int extra) const;

  // Measurements of one architecture at one fidelity, in file order.
  struct Measured {
    std::vector<double> valid, test, cost;
    Evaluation mean;
  };

 private:
  TableObjective() = default;
  int64_t EntryOf(const Architecture& arch) const;
  // The errors and cost of one query of `m` (a repeat drawn when noisy).
  Evaluation Evaluate(const Measured& m, Rng* noise) const;

  std::string error_unit_;
  // [fidelity][entry]; entry = space index, or hash_to_entry_'s value.
  std::vector<std::vector<Measured>> measured_;
  absl::flat_hash_map<uint64_t, int64_t> hash_to_entry_;
  std::vector<std::string> extra_columns_;
  std::vector<std::vector<std::optional<double>>> extras_;  // [extra][entry]
  std::vector<MetricInfo> metrics_;
  std::vector<std::vector<double>> metric_values_;  // [entry][metric], stored
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_TABLE_TABLE_H_
