#include "algorithms/regularized_evolution/regularized_evolution.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/container/flat_hash_set.h"
#include "algorithms/common/distinct_sampler.h"

namespace nas {
namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "regularized_evolution",
    "Aging evolution (Real et al. 2019): tournament of 10 from a population "
    "of 30, one mutation per child, the oldest removed",
    RegularizedEvolution, RegularizedEvolutionParams);

// Bounds the proxy options (each candidate is one proxy score).
constexpr int kMaxCandidates = 1000000;

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
           CheckAtLeast("proxy_mutation_candidates",
                        params.proxy_mutation_candidates(), 1,
                        "1 is plain regularized evolution"),
       }) {
    if (!status.ok()) return status;
  }
  const int warmup = params.proxy_warmup_candidates();
  if (warmup != 0 && (warmup < params.num_init() || warmup > kMaxCandidates)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "regularized_evolution: proxy_warmup_candidates is ", warmup,
        "; it must be 0 (off) or from num_init (", params.num_init(), ") to ",
        kMaxCandidates));
  }
  if (params.proxy_mutation_candidates() > kMaxCandidates) {
    return absl::InvalidArgumentError(absl::StrCat(
        "regularized_evolution: proxy_mutation_candidates is ",
        params.proxy_mutation_candidates(), "; at most ", kMaxCandidates));
  }
  return std::unique_ptr<RegularizedEvolution>(
      new RegularizedEvolution(params));
}

absl::Status RegularizedEvolution::CheckBenchmark(
    const BenchmarkFacts& facts) const {
  if ((params_.proxy_warmup_candidates() == 0 &&
       params_.proxy_mutation_candidates() == 1) ||
      !facts.proxy.empty()) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "regularized_evolution: proxy_warmup_candidates or "
      "proxy_mutation_candidates ask for a zero-cost proxy, and this "
      "benchmark serves none; add `proxy { name: \"synflow\" }` to the "
      "benchmark or turn those options off");
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

  // Warm-up: rank candidates drawn from a copy of the sampler, so those
  // left unqueried stay available as children and fresh draws.
  std::vector<Architecture> seeds;
  if (params_.proxy_warmup_candidates() > 0) {
    DistinctSampler candidates = sampler;
    for (int i = 0; i < params_.proxy_warmup_candidates(); ++i) {
      std::optional<Architecture> arch = candidates.Next(rng);
      if (!arch.has_value()) break;
      seeds.push_back(*std::move(arch));
    }
    absl::StatusOr<std::vector<Architecture>> ranked =
        SortByProxyScore(oracle, std::move(seeds));
    if (!ranked.ok()) return FinishRun(ranked.status());
    seeds = *std::move(ranked);
    if (static_cast<int>(seeds.size()) > params_.num_init()) {
      seeds.resize(params_.num_init());
    }
  } else {
    for (int i = 0; i < params_.num_init(); ++i) {
      std::optional<Architecture> arch = sampler.Next(rng);
      if (!arch.has_value()) break;
      seeds.push_back(*std::move(arch));
    }
  }
  for (const Architecture& arch : seeds) {
    if (absl::Status s = query_and_add(arch); !s.ok()) return FinishRun(s);
  }
  if (population.members().empty()) return absl::OkStatus();

  while (true) {
    // Copied: adding the child may remove the parent.
    const Architecture parent =
        population.Tournament(params_.tournament_size(), rng).arch;
    // Unqueried, distinct mutations of the parent: one, or (move proposal)
    // up to proxy_mutation_candidates, of which the proxy picks the child.
    std::vector<Architecture> mutations;
    absl::flat_hash_set<uint64_t> proposed;
    for (int attempt = 0; attempt < params_.max_mutation_attempts();
         ++attempt) {
      Architecture mutated = space.Mutate(parent, rng);
      if (!sampler.Seen(mutated) && proposed.insert(space.Hash(mutated)).second) {
        mutations.push_back(std::move(mutated));
        if (static_cast<int>(mutations.size()) >=
            params_.proxy_mutation_candidates()) {
          break;
        }
      }
    }
    if (mutations.size() > 1) {
      absl::StatusOr<std::vector<Architecture>> ranked =
          SortByProxyScore(oracle, std::move(mutations));
      if (!ranked.ok()) return FinishRun(ranked.status());
      mutations = *std::move(ranked);
    }
    std::optional<Architecture> child;
    if (!mutations.empty()) child = mutations.front();
    if (!child.has_value()) child = sampler.Next(rng);
    if (!child.has_value()) return absl::OkStatus();  // Space exhausted.
    if (absl::Status s = query_and_add(*child); !s.ok()) return FinishRun(s);
    if (observer_) observer_(population, parent, *child);
  }
}

}  // namespace nas
