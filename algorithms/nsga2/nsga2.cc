#include "algorithms/nsga2/nsga2.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/common/distinct_sampler.h"

namespace nas {
namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "nsga2",
    "Regularized evolution with NSGA-II selection (non-dominated rank, then "
    "crowding distance; binary tournament) over the validation error and "
    "visible metrics; population of 30, the oldest removed",
    Nsga2, Nsga2Params);

absl::Status CheckAtLeast(const char* field, int value, int minimum,
                          const char* hint) {
  if (value >= minimum) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("nsga2: ", field, " is ", value, "; it must be at least ",
                   minimum, " (", hint, ")"));
}

}  // namespace

bool CrowdedBetter(const CrowdedPopulation::Standing& a,
                   const CrowdedPopulation::Standing& b) {
  if (a.rank != b.rank) return a.rank < b.rank;
  return a.crowding > b.crowding;
}

std::vector<CrowdedPopulation::Standing> CrowdedPopulation::Standings() const {
  std::vector<ObjectiveVector> points;
  points.reserve(members_.size());
  for (const Member& member : members_) points.push_back(member.point);
  const std::vector<int> ranks = NonDominatedRanks(points);
  std::vector<Standing> standings(members_.size());
  std::vector<std::vector<int>> by_rank;
  for (size_t i = 0; i < ranks.size(); ++i) {
    standings[i].rank = ranks[i];
    if (ranks[i] >= static_cast<int>(by_rank.size())) {
      by_rank.resize(ranks[i] + 1);
    }
    by_rank[ranks[i]].push_back(static_cast<int>(i));
  }
  for (const std::vector<int>& group : by_rank) {
    const std::vector<double> crowding = CrowdingDistances(points, group);
    for (size_t k = 0; k < group.size(); ++k) {
      standings[group[k]].crowding = crowding[k];
    }
  }
  return standings;
}

std::optional<CrowdedPopulation::Member> CrowdedPopulation::Add(
    const Member& member) {
  members_.push_back(member);
  if (static_cast<int>(members_.size()) <= capacity_) return std::nullopt;
  size_t victim = 0;  // The oldest.
  if (remove_worst_) {
    const std::vector<Standing> standings = Standings();
    for (size_t i = 1; i < standings.size(); ++i) {
      if (CrowdedBetter(standings[victim], standings[i])) victim = i;
    }
  }
  Member removed = members_[victim];
  members_.erase(members_.begin() + victim);
  return removed;
}

const CrowdedPopulation::Member& CrowdedPopulation::Tournament(
    int tournament_size, Rng& rng) const {
  const std::vector<Standing> standings = Standings();
  size_t best = members_.size();
  for (int i = 0; i < tournament_size; ++i) {
    const size_t drawn = rng.UniformInt(members_.size());
    if (best == members_.size() ||
        CrowdedBetter(standings[drawn], standings[best])) {
      best = drawn;
    }
  }
  return members_[best];
}

absl::StatusOr<std::unique_ptr<Nsga2>> Nsga2::New(const Nsga2Params& params) {
  for (absl::Status status : {
           CheckAtLeast("num_init", params.num_init(), 1, "the default is 10"),
           CheckAtLeast("population_size", params.population_size(), 1,
                        "the default is 30"),
           CheckAtLeast("tournament_size", params.tournament_size(), 1,
                        "NSGA-II's binary tournament is 2"),
           CheckAtLeast("max_mutation_attempts", params.max_mutation_attempts(),
                        1, "the default is 100"),
       }) {
    if (!status.ok()) return status;
  }
  return std::unique_ptr<Nsga2>(new Nsga2(params));
}

absl::Status Nsga2::Run(Oracle& oracle, Rng& rng) {
  absl::StatusOr<ObjectiveSelection> selection = StartRun(oracle);
  if (!selection.ok()) return selection.status();
  const SearchSpace& space = oracle.space();
  DistinctSampler sampler(space);  // Seen = queried (or about to be).
  CrowdedPopulation population(params_.population_size(),
                               params_.remove_worst());
  int64_t births = 0;
  auto query_and_add = [&](const Architecture& arch) -> absl::Status {
    sampler.MarkSeen(arch);
    absl::StatusOr<Observation> seen = oracle.Query(arch);
    if (!seen.ok()) return seen.status();
    const ObjectiveVector point = selection->Of(*seen);
    front_.Insert(arch, point);
    population.Add({arch, point, births++});
    return absl::OkStatus();
  };

  for (int i = 0; i < params_.num_init(); ++i) {
    std::optional<Architecture> arch = sampler.Next(rng);
    if (!arch.has_value()) break;
    if (absl::Status s = query_and_add(*arch); !s.ok()) return FinishRun(s);
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
        child = std::move(mutated);
        break;
      }
    }
    if (!child.has_value()) child = sampler.Next(rng);
    if (!child.has_value()) return absl::OkStatus();  // Space exhausted.
    if (absl::Status s = query_and_add(*child); !s.ok()) return FinishRun(s);
  }
}

}  // namespace nas
