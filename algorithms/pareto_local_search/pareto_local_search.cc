#include "algorithms/pareto_local_search/pareto_local_search.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "algorithms/common/distinct_sampler.h"

namespace nas {
namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "pareto_local_search",
    "Pareto local search: explore the neighbourhoods of an archive of "
    "non-dominated architectures (validation error and visible metrics), "
    "restart from random when all are explored",
    ParetoLocalSearch, ParetoLocalSearchParams);

// Every evaluation of a run, so that no architecture is queried twice.
class Evaluator {
 public:
  Evaluator(Oracle& oracle, const ObjectiveSelection& selection,
            DistinctSampler& sampler)
      : oracle_(oracle), selection_(selection), sampler_(sampler) {}

  absl::StatusOr<ObjectiveVector> Evaluate(const Architecture& arch) {
    const uint64_t key = oracle_.space().Hash(arch);
    if (auto it = seen_.find(key); it != seen_.end()) return it->second;
    absl::StatusOr<Observation> seen = oracle_.Query(arch);
    if (!seen.ok()) return seen.status();
    sampler_.MarkSeen(arch);
    return seen_.emplace(key, selection_.Of(*seen)).first->second;
  }

 private:
  Oracle& oracle_;
  const ObjectiveSelection& selection_;
  DistinctSampler& sampler_;
  absl::flat_hash_map<uint64_t, ObjectiveVector> seen_;
};

// The position of an unexplored member drawn uniformly, or nullopt.
std::optional<size_t> DrawUnexplored(const ParetoArchive& archive, Rng& rng) {
  std::vector<size_t> unexplored;
  for (size_t i = 0; i < archive.members().size(); ++i) {
    if (!archive.members()[i].explored) unexplored.push_back(i);
  }
  if (unexplored.empty()) return std::nullopt;
  return unexplored[rng.UniformInt(unexplored.size())];
}

}  // namespace

absl::StatusOr<std::unique_ptr<ParetoLocalSearch>> ParetoLocalSearch::New(
    const ParetoLocalSearchParams& params) {
  return std::unique_ptr<ParetoLocalSearch>(new ParetoLocalSearch(params));
}

absl::Status ParetoLocalSearch::Run(Oracle& oracle, Rng& rng) {
  absl::StatusOr<ObjectiveSelection> selection = StartRun(oracle);
  if (!selection.ok()) return selection.status();
  starts_ = 0;
  const SearchSpace& space = oracle.space();
  DistinctSampler sampler(space);
  Evaluator evaluator(oracle, *selection, sampler);
  ParetoArchive archive;
  std::vector<Architecture> neighbours;
  // Offers an evaluated architecture to this run's archive and the front.
  auto offer = [&](const Architecture& arch) -> absl::Status {
    absl::StatusOr<ObjectiveVector> point = evaluator.Evaluate(arch);
    if (!point.ok()) return point.status();
    archive.Insert(arch, *point);
    front_.Insert(arch, *point);
    return absl::OkStatus();
  };
  while (true) {
    std::optional<size_t> next = DrawUnexplored(archive, rng);
    if (!next.has_value()) {
      std::optional<Architecture> start = sampler.Next(rng);
      if (!start.has_value()) return absl::OkStatus();  // All evaluated.
      ++starts_;
      archive.Clear();
      if (absl::Status s = offer(*start); !s.ok()) return FinishRun(s);
      continue;
    }
    // Copied: offering neighbours may evict the member from the archive.
    const Architecture member = archive.members()[*next].arch;
    archive.mutable_members()[*next].explored = true;
    space.Neighbors(member, &neighbours);
    rng.Shuffle(&neighbours);
    for (const Architecture& neighbour : neighbours) {
      if (absl::Status s = offer(neighbour); !s.ok()) return FinishRun(s);
    }
  }
}

}  // namespace nas
