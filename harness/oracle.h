#ifndef NASBENCH_HARNESS_ORACLE_H_
#define NASBENCH_HARNESS_ORACLE_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "algorithms/algorithm.h"
#include "objectives/objective.h"

namespace nas {

// One query as the harness records it (test metrics included).
struct QueryRecord {
  Architecture arch;
  int fidelity = 0;
  Evaluation evaluation;
  double cumulative_seconds = 0;
};

struct BudgetLimits {
  int64_t queries = std::numeric_limits<int64_t>::max();
  double seconds = std::numeric_limits<double>::infinity();
};

// The Oracle the harness hands to an algorithm: it validates each
// architecture, charges the budget, evaluates the objective and records the
// whole query, of which it returns only the validation error and cost.
class BudgetedOracle : public Oracle {
 public:
  // `objective` must outlive the oracle. `noise` feeds noisy objectives.
  BudgetedOracle(const Objective& objective, BudgetLimits limits, Rng noise);

  const SearchSpace& space() const override { return objective_.space(); }
  int num_fidelities() const override;
  double fidelity_epochs(int fidelity) const override;
  absl::StatusOr<Observation> Query(const Architecture& arch,
                                    int fidelity) override;
  bool exhausted() const override;
  int64_t queries_used() const override {
    return static_cast<int64_t>(records_.size());
  }
  int64_t query_budget() const override { return limits_.queries; }

  const std::vector<QueryRecord>& records() const { return records_; }
  std::vector<QueryRecord> TakeRecords() { return std::move(records_); }

 private:
  const Objective& objective_;
  const BudgetLimits limits_;
  Rng noise_;
  double seconds_used_ = 0;
  std::vector<QueryRecord> records_;
};

}  // namespace nas

#endif  // NASBENCH_HARNESS_ORACLE_H_
