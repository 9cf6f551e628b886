#ifndef NASBENCH_OBJECTIVES_RANDOM_UNIFORM_RANDOM_UNIFORM_H_
#define NASBENCH_OBJECTIVES_RANDOM_UNIFORM_RANDOM_UNIFORM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "objectives/objective.h"
#include "objectives/random_uniform/random_uniform.pb.h"

namespace nas {

// Independent uniform losses on any search space: the unstructured landscape
// of the local-search theory (pdf_n = pdf_e = U[0, 1]), against which real
// benchmarks are compared.
//
// The loss of an architecture is a pseudo-random function of (seed, its
// canonical genes): u = HashCombine(HashCombine(salt, seed), GeneHash) read as
// 53 bits in [0, 1). Nothing is tabulated, so it works on spaces of any size
// (DARTS included) and is identical across runs and platforms. Canonical
// genes identify an architecture's equivalence class exactly, so equivalent
// architectures share their loss; distinct ones get (up to 64-bit hash
// collisions) independent losses, and ties have probability ~2^-53.
//
// valid_error = test_error = u (a noise-free landscape: the test value is the
// loss itself, so leaderboards report how low a searcher got). Unit: a
// dimensionless loss in [0, 1).
class RandomUniformObjective : public Objective {
 public:
  // Accepts every space.
  static absl::StatusOr<std::unique_ptr<RandomUniformObjective>> New(
      std::shared_ptr<const SearchSpace> space,
      const RandomUniformObjectiveParams& params);

  std::string name() const override { return "random_uniform"; }
  const SearchSpace& space() const override { return *space_; }
  std::string error_unit() const override { return "uniform loss in [0, 1)"; }
  absl::Span<const Fidelity> fidelities() const override {
    return fidelities_;
  }
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override;

  // The loss of `arch` (valid and canonical).
  double Loss(const Architecture& arch) const;

  // Losses are uniform on [0, 1): the analysis compares against that.
  std::optional<LandscapeReference> landscape_reference() const override;
  // The same space with seed + replicate.
  std::unique_ptr<Objective> Replicate(int replicate) const override;

 private:
  RandomUniformObjective(std::shared_ptr<const SearchSpace> space,
                         uint64_t seed);

  std::shared_ptr<const SearchSpace> space_;
  uint64_t seed_;
  uint64_t key_;  // Derived from the seed.
  std::vector<Fidelity> fidelities_;
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_RANDOM_UNIFORM_RANDOM_UNIFORM_H_
