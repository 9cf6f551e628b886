#ifndef NASBENCH_ALGORITHMS_COMMON_TESTING_H_
#define NASBENCH_ALGORITHMS_COMMON_TESTING_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"

namespace nas {

// An Oracle over a plain function, for algorithm unit tests: a query budget,
// validity checks and a log of every query, nothing else. The harness's
// oracle does the same over real objectives.
class FunctionOracle : public Oracle {
 public:
  FunctionOracle(const SearchSpace& space,
                 std::function<double(const Architecture&)> valid_error,
                 int64_t budget)
      : space_(space), valid_error_(std::move(valid_error)), budget_(budget) {}

  const SearchSpace& space() const override { return space_; }
  int num_fidelities() const override { return 1; }
  double fidelity_epochs(int) const override { return 1; }

  absl::StatusOr<Observation> Query(const Architecture& arch,
                                    int fidelity) override {
    if (exhausted()) return absl::ResourceExhaustedError("budget spent");
    absl::Status valid = space_.Validate(arch);
    if (!valid.ok()) return valid;
    if (!(space_.Canonicalize(arch) == arch)) {
      return absl::InvalidArgumentError(
          absl::StrCat("not canonical: ", space_.ToString(arch)));
    }
    queries_.push_back(arch);
    return Observation{valid_error_(arch), 0.0};
  }

  bool exhausted() const override {
    return static_cast<int64_t>(queries_.size()) >= budget_;
  }
  int64_t queries_used() const override {
    return static_cast<int64_t>(queries_.size());
  }
  int64_t query_budget() const override { return budget_; }

  const std::vector<Architecture>& queries() const { return queries_; }

 private:
  const SearchSpace& space_;
  std::function<double(const Architecture&)> valid_error_;
  int64_t budget_;
  std::vector<Architecture> queries_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_COMMON_TESTING_H_
