#ifndef NASBENCH_ALGORITHMS_COMMON_MULTI_FIDELITY_TESTING_H_
#define NASBENCH_ALGORITHMS_COMMON_MULTI_FIDELITY_TESTING_H_

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"

namespace nas {

// FunctionOracle (testing.h) with several fidelities, for multi-fidelity
// algorithm tests: `epochs` lists the fidelities cheapest first (the last is
// the full fidelity), the function scores (architecture, fidelity index),
// every query costs 1 against `budget` and is logged with its fidelity.
class MultiFidelityFunctionOracle : public Oracle {
 public:
  struct Record {
    Architecture arch;
    int fidelity = 0;  // Resolved index: never kFullFidelity.
  };

  MultiFidelityFunctionOracle(
      const SearchSpace& space, std::vector<double> epochs,
      std::function<double(const Architecture&, int fidelity)> valid_error,
      int64_t budget)
      : space_(space),
        epochs_(std::move(epochs)),
        valid_error_(std::move(valid_error)),
        budget_(budget) {}

  const SearchSpace& space() const override { return space_; }
  int num_fidelities() const override {
    return static_cast<int>(epochs_.size());
  }
  double fidelity_epochs(int fidelity) const override {
    return epochs_[fidelity];
  }

  absl::StatusOr<Observation> Query(const Architecture& arch,
                                    int fidelity) override {
    if (exhausted()) return absl::ResourceExhaustedError("budget spent");
    if (fidelity == kFullFidelity) fidelity = num_fidelities() - 1;
    if (fidelity < 0 || fidelity >= num_fidelities()) {
      return absl::InvalidArgumentError(
          absl::StrCat("fidelity ", fidelity, " out of range"));
    }
    absl::Status valid = space_.Validate(arch);
    if (!valid.ok()) return valid;
    if (!(space_.Canonicalize(arch) == arch)) {
      return absl::InvalidArgumentError(
          absl::StrCat("not canonical: ", space_.ToString(arch)));
    }
    records_.push_back({arch, fidelity});
    return Observation{valid_error_(arch, fidelity), 0.0};
  }

  bool exhausted() const override {
    return static_cast<int64_t>(records_.size()) >= budget_;
  }
  int64_t queries_used() const override {
    return static_cast<int64_t>(records_.size());
  }
  int64_t query_budget() const override { return budget_; }

  const std::vector<Record>& records() const { return records_; }

 private:
  const SearchSpace& space_;
  std::vector<double> epochs_;
  std::function<double(const Architecture&, int)> valid_error_;
  int64_t budget_;
  std::vector<Record> records_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_COMMON_MULTI_FIDELITY_TESTING_H_
