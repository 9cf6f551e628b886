#ifndef NASBENCH_ALGORITHMS_SUCCESSIVE_HALVING_SUCCESSIVE_HALVING_H_
#define NASBENCH_ALGORITHMS_SUCCESSIVE_HALVING_SUCCESSIVE_HALVING_H_

#include <memory>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/successive_halving/successive_halving.pb.h"

namespace nas {

// Successive halving over the oracle's fidelities, repeated bracket after
// bracket (fresh random architectures each time, never one drawn before)
// until the budget or the space runs out. Each query costs what the oracle
// charges for it (one query; the fidelity's simulated seconds); a promotion
// to the fidelity a configuration already has is free (its result is
// remembered). With a single fidelity it is random search without
// replacement. Run returns InvalidArgument when min_fidelity/max_fidelity
// do not fit the oracle.
class SuccessiveHalving : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<SuccessiveHalving>> New(
      const SuccessiveHalvingParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;
  absl::Status CheckBenchmark(const BenchmarkFacts& facts) const override;

 private:
  explicit SuccessiveHalving(const SuccessiveHalvingParams& params)
      : params_(params) {}

  SuccessiveHalvingParams params_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_SUCCESSIVE_HALVING_SUCCESSIVE_HALVING_H_
