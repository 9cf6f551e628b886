#ifndef NASBENCH_OBJECTIVES_COMMON_TABLE_BACKED_OBJECTIVE_H_
#define NASBENCH_OBJECTIVES_COMMON_TABLE_BACKED_OBJECTIVE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "objectives/objective.h"
#include "spaces/search_space.h"

namespace nas {

// What every objective read from a benchmark table keeps, with the
// interface's getters that only return it. A derived objective fills these
// members in its New() and implements name(), error_unit() and Evaluate().
class TableBackedObjective : public Objective {
 public:
  const SearchSpace& space() const override { return *space_; }
  absl::Span<const Fidelity> fidelities() const override { return fidelities_; }
  bool is_noisy() const override { return noisy_; }
  std::optional<KnownOptimum> known_optimum() const override {
    return optimum_;
  }
  std::vector<std::string> data_files() const override { return data_files_; }
  std::vector<HiddenColumns> hidden_test_columns() const override {
    return hidden_test_columns_;
  }

 protected:
  TableBackedObjective() = default;

  std::shared_ptr<const SearchSpace> space_;
  std::vector<Fidelity> fidelities_;
  bool noisy_ = false;
  KnownOptimum optimum_;
  std::vector<std::string> data_files_;  // Relative to the data directory.
  std::vector<HiddenColumns> hidden_test_columns_;
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_COMMON_TABLE_BACKED_OBJECTIVE_H_
