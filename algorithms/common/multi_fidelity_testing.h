#ifndef NASBENCH_ALGORITHMS_COMMON_MULTI_FIDELITY_TESTING_H_
#define NASBENCH_ALGORITHMS_COMMON_MULTI_FIDELITY_TESTING_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/testing.h"
#include "gtest/gtest.h"
#include "tests/test_plugins.h"

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

// A fixture for a multi-fidelity plugin, built by its registered name as
// configs build it, on `space` with values that reshuffle the ranking at
// every fidelity (salted by `salt`), so promotions are visible.
template <typename Params>
class MultiFidelityAlgorithmTest : public ::testing::Test {
 protected:
  using Record = MultiFidelityFunctionOracle::Record;

  MultiFidelityAlgorithmTest(std::string name, int salt,
                             std::unique_ptr<SearchSpace> space)
      : name_(std::move(name)), salt_(salt), space_(std::move(space)) {}

  double Value(const Architecture& a, int f) const {
    return static_cast<double>(HashCombine(f + salt_, space_->ToIndex(a)) %
                               100000);
  }

  // The query log of a run with `params` on fidelities of `epochs` epochs.
  // The run's status goes to `status` when given; otherwise it must be OK.
  std::vector<Record> Run(const Params& params, std::vector<double> epochs,
                          int64_t budget, uint64_t seed,
                          absl::Status* status = nullptr) {
    MultiFidelityFunctionOracle oracle(
        *space_, std::move(epochs),
        [&](const Architecture& a, int f) { return Value(a, f); }, budget);
    Rng rng(seed);
    auto algorithm = NewRegisteredAlgorithm(name_, &params);
    EXPECT_TRUE(algorithm.ok()) << algorithm.status();
    if (!algorithm.ok()) return {};
    const absl::Status s = (*algorithm)->Run(oracle, rng);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s;
    }
    return oracle.records();
  }

  // With one fidelity the algorithm is random search without replacement:
  // 300 distinct architectures, all at that fidelity.
  void ExpectOneFidelityIsRandomSearch() {
    const std::vector<Record> records = Run({}, {200}, 300, 4);
    ASSERT_EQ(records.size(), 300u);
    absl::flat_hash_set<Architecture> distinct;
    for (const Record& r : records) {
      EXPECT_EQ(r.fidelity, 0);
      distinct.insert(r.arch);
    }
    EXPECT_EQ(distinct.size(), 300u);
  }

  // A budget of one is one query; 100 queries on 12/200 epochs give the
  // same log (architecture, fidelity) from the same seed, another from
  // another seed.
  void ExpectBudgetOfOneAndDeterminism() {
    EXPECT_EQ(Run({}, {12, 200}, 1, 7).size(), 1u);
    auto log = [&](uint64_t seed) {
      std::vector<std::pair<Architecture, int>> out;
      for (const Record& r : Run({}, {12, 200}, 100, seed)) {
        out.push_back({r.arch, r.fidelity});
      }
      return out;
    };
    EXPECT_EQ(log(8), log(8));
    EXPECT_NE(log(8), log(9));
  }

  // On the 9 cells of a 3 x 3 TinySpace, with budget to spare, the
  // algorithm queries each cell once and stops.
  void ExpectExhaustsTinySpace() {
    TinySpace tiny(2, 3);
    FunctionOracle oracle(
        tiny, [](const Architecture& a) { return double(a[0]); }, 1000);
    Rng rng(6);
    auto algorithm = NewRegisteredAlgorithm(name_);
    ASSERT_TRUE(algorithm.ok()) << algorithm.status();
    ASSERT_TRUE((*algorithm)->Run(oracle, rng).ok());
    EXPECT_EQ(oracle.queries().size(), 9u);
  }

  const std::string name_;
  const int salt_;
  const std::unique_ptr<SearchSpace> space_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_COMMON_MULTI_FIDELITY_TESTING_H_
