#include "objectives/random_uniform/random_uniform.h"

#include "absl/status/status.h"

namespace nas {
namespace {

// Separates this objective's stream from other users of HashCombine.
constexpr uint64_t kSalt = 0x72616e645f756e69ULL;  // "rand_uni"

NAS_REGISTER_OBJECTIVE_CLASS(
    "random_uniform",
    "Independent U[0,1) losses on any space from a seeded hash of the "
    "architecture (the local-search theory's random landscape)",
    RandomUniformObjective, RandomUniformObjectiveParams);

}  // namespace

RandomUniformObjective::RandomUniformObjective(
    std::shared_ptr<const SearchSpace> space, uint64_t seed)
    : space_(std::move(space)),
      seed_(seed),
      key_(HashCombine(kSalt, seed)),
      fidelities_({{"exact", 0}}) {}

absl::StatusOr<std::unique_ptr<RandomUniformObjective>>
RandomUniformObjective::New(std::shared_ptr<const SearchSpace> space,
                            const RandomUniformObjectiveParams& params) {
  if (space == nullptr) {
    return absl::InvalidArgumentError(
        "objective 'random_uniform' needs a search space");
  }
  return std::unique_ptr<RandomUniformObjective>(
      new RandomUniformObjective(std::move(space), params.seed()));
}

double RandomUniformObjective::Loss(const Architecture& arch) const {
  return static_cast<double>(HashCombine(key_, arch.GeneHash()) >> 11) *
         0x1.0p-53;
}

Evaluation RandomUniformObjective::Evaluate(const Architecture& arch,
                                            int /*fidelity*/,
                                            Rng* /*noise*/) const {
  Evaluation e;
  e.valid_error = Loss(arch);
  e.test_error = e.valid_error;
  return e;
}

std::optional<LandscapeReference>
RandomUniformObjective::landscape_reference() const {
  LandscapeReference reference;
  reference.low = 0;
  reference.high = 1;
  reference.source = "objective range [0, 1]";
  reference.densities = LandscapeReference::Densities::kUniform;
  reference.name = "uniform";
  return reference;
}

std::unique_ptr<Objective> RandomUniformObjective::Replicate(
    int replicate) const {
  return std::unique_ptr<Objective>(new RandomUniformObjective(
      space_, seed_ + static_cast<uint64_t>(replicate)));
}

}  // namespace nas
