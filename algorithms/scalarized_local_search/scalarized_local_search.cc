#include "algorithms/scalarized_local_search/scalarized_local_search.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/common/distinct_sampler.h"

namespace nas {
namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "scalarized_local_search",
    "Local search on random scalarizations: each climb minimises a weighted "
    "sum (weights uniform on the simplex) of the min-max normalised "
    "validation error and visible metrics; the observations feed a Pareto "
    "archive",
    ScalarizedLocalSearch, ScalarizedLocalSearchParams);

// Everything a run has queried (each architecture once), the range of each
// objective over it, and the archive it feeds.
class Observed {
 public:
  Observed(Oracle& oracle, const ObjectiveSelection& selection,
           DistinctSampler& sampler, ParetoArchive& front)
      : oracle_(oracle),
        selection_(selection),
        sampler_(sampler),
        front_(front),
        low_(selection.names().size(), HUGE_VAL),
        high_(selection.names().size(), -HUGE_VAL) {}

  // The architecture's objectives, queried only the first time.
  absl::StatusOr<ObjectiveVector> Evaluate(const Architecture& arch) {
    const uint64_t key = oracle_.space().Hash(arch);
    if (auto it = points_.find(key); it != points_.end()) return it->second;
    sampler_.MarkSeen(arch);
    absl::StatusOr<Observation> seen = oracle_.Query(arch);
    if (!seen.ok()) return seen.status();
    ObjectiveVector point = selection_.Of(*seen);
    for (size_t i = 0; i < point.size(); ++i) {
      low_[i] = std::min(low_[i], point[i]);
      high_[i] = std::max(high_[i], point[i]);
    }
    front_.Insert(arch, point);
    return points_.emplace(key, std::move(point)).first->second;
  }

  // Weights over the ranges seen so far (at least one query made).
  Scalarization Normalised(std::vector<double> weights) const {
    Scalarization s{std::move(weights), low_, {}};
    for (size_t i = 0; i < low_.size(); ++i) {
      s.scale.push_back(high_[i] > low_[i] ? high_[i] - low_[i] : 1.0);
    }
    return s;
  }

 private:
  Oracle& oracle_;
  const ObjectiveSelection& selection_;
  DistinctSampler& sampler_;
  ParetoArchive& front_;
  absl::flat_hash_map<uint64_t, ObjectiveVector> points_;
  std::vector<double> low_, high_;
};

}  // namespace

std::vector<double> DrawSimplexWeights(int count, Rng& rng) {
  std::vector<double> weights(count);
  double sum = 0;
  for (double& w : weights) {
    w = -std::log(1.0 - rng.UniformDouble());
    sum += w;
  }
  // All zero only if every draw was exactly 0: take the simplex's centre.
  for (double& w : weights) w = sum > 0 ? w / sum : 1.0 / count;
  return weights;
}

double Scalarization::Of(absl::Span<const double> point) const {
  double value = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    value += weights[i] * (point[i] - low[i]) / scale[i];
  }
  return value;
}

absl::StatusOr<std::unique_ptr<ScalarizedLocalSearch>>
ScalarizedLocalSearch::New(const ScalarizedLocalSearchParams& params) {
  if (params.num_init() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "scalarized_local_search: num_init is ", params.num_init(),
        "; it must be at least 1 (the default, as the study's local search, "
        "is 10)"));
  }
  return std::unique_ptr<ScalarizedLocalSearch>(
      new ScalarizedLocalSearch(params));
}

absl::Status ScalarizedLocalSearch::Run(Oracle& oracle, Rng& rng) {
  absl::StatusOr<ObjectiveSelection> selection = StartRun(oracle);
  if (!selection.ok()) return selection.status();
  climbs_.clear();
  const SearchSpace& space = oracle.space();
  DistinctSampler sampler(space);
  Observed observed(oracle, *selection, sampler, front_);
  std::vector<Architecture> neighbours;
  while (true) {
    std::vector<double> weights =
        DrawSimplexWeights(static_cast<int>(selection->names().size()), rng);
    std::vector<std::pair<Architecture, ObjectiveVector>> starts;
    for (int i = 0; i < params_.num_init(); ++i) {
      std::optional<Architecture> arch = sampler.Next(rng);
      if (!arch.has_value()) break;
      absl::StatusOr<ObjectiveVector> point = observed.Evaluate(*arch);
      if (!point.ok()) return FinishRun(point.status());
      starts.emplace_back(*std::move(arch), *std::move(point));
    }
    if (starts.empty()) return absl::OkStatus();  // All queried.
    Climb climb{
        observed.Normalised(std::move(weights)), oracle.queries_used(), {}};
    const Scalarization& s = climb.scalarization;
    size_t best_start = 0;
    for (size_t i = 1; i < starts.size(); ++i) {
      if (s.Of(starts[i].second) < s.Of(starts[best_start].second)) {
        best_start = i;
      }
    }
    Architecture current = starts[best_start].first;
    double current_value = s.Of(starts[best_start].second);
    while (true) {
      space.Neighbors(current, &neighbours);
      rng.Shuffle(&neighbours);
      std::optional<Architecture> best;
      double best_value = current_value;
      for (const Architecture& neighbour : neighbours) {
        absl::StatusOr<ObjectiveVector> point = observed.Evaluate(neighbour);
        if (!point.ok()) return FinishRun(point.status());
        if (const double value = s.Of(*point); value < best_value) {
          best = neighbour;
          best_value = value;
        }
      }
      if (!best.has_value()) break;  // A local minimum of this climb.
      current = *std::move(best);
      current_value = best_value;
    }
    climb.end = std::move(current);
    climbs_.push_back(std::move(climb));
  }
}

}  // namespace nas
