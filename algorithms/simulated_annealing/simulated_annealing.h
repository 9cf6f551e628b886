#ifndef NASBENCH_ALGORITHMS_SIMULATED_ANNEALING_SIMULATED_ANNEALING_H_
#define NASBENCH_ALGORITHMS_SIMULATED_ANNEALING_SIMULATED_ANNEALING_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/simulated_annealing/simulated_annealing.pb.h"

namespace nas {

// The Metropolis rule for minimisation: a move that does not worsen
// (delta <= 0) is always accepted without drawing a random number; a worse
// one with probability exp(-delta / temperature) (never at temperature 0),
// decided by one rng.UniformDouble().
bool MetropolisAccept(double delta, double temperature, Rng& rng);

// One proposal of a run, for tests.
struct AnnealingStep {
  Architecture current;
  double current_error = 0;
  Architecture proposal;
  double proposal_error = 0;
  double temperature = 0;
  bool accepted = false;
  bool queried = false;  // False when the proposal's value was cached.
};

// Simulated annealing over the space's neighbourhood. A run starts from the
// best of num_init fresh random architectures at temperature T0, proposes a
// random neighbour (SearchSpace::Mutate) of the current architecture, moves
// there by the Metropolis rule and cools T geometrically after each
// proposal; once T < final_temperature_fraction * T0 the next run starts.
//
// Never queries an architecture twice: a proposal already queried is judged
// by its remembered error and costs no query (it still cools T, so every run
// ends after a fixed number of proposals and each run queries at least its
// fresh start: Run returns once no fresh architecture is left).
class SimulatedAnnealing : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<SimulatedAnnealing>> New(
      const SimulatedAnnealingParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

  // For tests: every proposal is appended to `trace` (may be nullptr).
  void set_trace(std::vector<AnnealingStep>* trace) { trace_ = trace; }

  // Proposals per run: ceil(log(final_temperature_fraction) /
  // log(cooling_rate)), at least 1.
  int64_t proposals_per_run() const;

 private:
  explicit SimulatedAnnealing(const SimulatedAnnealingParams& params)
      : params_(params) {}

  SimulatedAnnealingParams params_;
  std::vector<AnnealingStep>* trace_ = nullptr;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_SIMULATED_ANNEALING_SIMULATED_ANNEALING_H_
