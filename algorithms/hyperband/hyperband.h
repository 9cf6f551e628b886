#ifndef NASBENCH_ALGORITHMS_HYPERBAND_HYPERBAND_H_
#define NASBENCH_ALGORITHMS_HYPERBAND_HYPERBAND_H_

#include <memory>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/hyperband/hyperband.pb.h"

namespace nas {

// Hyperband: the brackets of HyperbandSchedule() (algorithms/common/
// successive_halving_bracket.h) in order s = s_max .. 0, then again from
// s_max, until the budget or the space runs out. Every bracket draws fresh
// random architectures (never one drawn before); each query costs what the
// oracle charges (one query; the fidelity's simulated seconds), and a
// promotion to the fidelity a configuration already has is free. With a
// single fidelity (R = 1) every bracket is one random architecture: random
// search without replacement. Run returns InvalidArgument when
// min_fidelity/max_fidelity do not fit the oracle.
class Hyperband : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<Hyperband>> New(
      const HyperbandParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;
  absl::Status CheckBenchmark(const BenchmarkFacts& facts) const override;

 private:
  explicit Hyperband(const HyperbandParams& params) : params_(params) {}

  HyperbandParams params_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_HYPERBAND_HYPERBAND_H_
