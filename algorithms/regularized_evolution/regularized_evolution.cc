#include "algorithms/regularized_evolution/regularized_evolution.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/common/distinct_sampler.h"

namespace nas {
namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "regularized_evolution",
    "Aging evolution (Real et al. 2019): tournament of 10 from a population "
    "of 30, one mutation per child, the oldest removed",
    RegularizedEvolution, RegularizedEvolutionParams);

// The budget running out ends the run normally.
absl::Status Finish(const absl::Status& status) {
  return IsBudgetExhausted(status) ? absl::OkStatus() : status;
}

absl::Status CheckAtLeast(const char* field, int value, int minimum,
                          const char* hint) {
  if (value >= minimum) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("regularized_evolution: ", field, " is ", value,
                   "; it must be at least ", minimum, " (", hint, ")"));
}

}  // namespace

std::optional<EvolutionPopulation::Member> EvolutionPopulation::Add(
    const Member& member) {
  members_.push_back(member);
  if (static_cast<int>(members_.size()) <= capacity_) return std::nullopt;
  auto victim = members_.begin();  // The oldest.
  if (remove_worst_) {
    for (auto it = members_.begin(); it != members_.end(); ++it) {
      if (it->valid_error > victim->valid_error) victim = it;
    }
  }
  Member removed = *victim;
  members_.erase(victim);
  return removed;
}

const EvolutionPopulation::Member& EvolutionPopulation::Tournament(
    int tournament_size, Rng& rng) const {
  const Member* best = nullptr;
  for (int i = 0; i < tournament_size; ++i) {
    const Member& drawn = members_[rng.UniformInt(members_.size())];
    if (best == nullptr || drawn.valid_error < best->valid_error) best = &drawn;
  }
  return *best;
}

absl::StatusOr<std::unique_ptr<RegularizedEvolution>> RegularizedEvolution::New(
    const RegularizedEvolutionParams& params) {
  for (absl::Status status : {
           CheckAtLeast("num_init", params.num_init(), 1, "the study used 10"),
           CheckAtLeast("population_size", params.population_size(), 1,
                        "the study used 30"),
           CheckAtLeast("tournament_size", params.tournament_size(), 1,
                        "the study used 10"),
           CheckAtLeast("max_mutation_attempts", params.max_mutation_attempts(),
                        1, "the default is 100"),
       }) {
    if (!status.ok()) return status;
  }
  return std::unique_ptr<RegularizedEvolution>(
      new RegularizedEvolution(params));
}

absl::Status RegularizedEvolution::Run(Oracle& oracle, Rng& rng) {
  const SearchSpace& space = oracle.space();
  DistinctSampler sampler(space);  // Seen = queried (or about to be).
  EvolutionPopulation population(params_.population_size(),
                                 params_.remove_worst());
  int64_t births = 0;

  auto query_and_add = [&](const Architecture& arch) -> absl::Status {
    sampler.MarkSeen(arch);
    absl::StatusOr<Observation> obs = oracle.Query(arch);
    if (!obs.ok()) return obs.status();
    population.Add({arch, obs->valid_error, births++});
    return absl::OkStatus();
  };

  for (int i = 0; i < params_.num_init(); ++i) {
    std::optional<Architecture> arch = sampler.Next(rng);
    if (!arch.has_value()) break;
    if (absl::Status s = query_and_add(*arch); !s.ok()) return Finish(s);
  }
  if (population.members().empty()) return absl::OkStatus();

  while (true) {
    // Copied: adding the child may remove the parent.
    const Architecture parent =
        population.Tournament(params_.tournament_size(), rng).arch;
    std::optional<Architecture> child;
    for (int attempt = 0; attempt < params_.max_mutation_attempts();
         ++attempt) {
      Architecture mutated = space.Mutate(parent, rng);
      if (!sampler.Seen(mutated)) {
        child = mutated;
        break;
      }
    }
    if (!child.has_value()) child = sampler.Next(rng);
    if (!child.has_value()) return absl::OkStatus();  // Space exhausted.
    if (absl::Status s = query_and_add(*child); !s.ok()) return Finish(s);
    if (observer_) observer_(population, parent, *child);
  }
}

}  // namespace nas
