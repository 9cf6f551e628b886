#include "algorithms/iterated_local_search/iterated_local_search.h"

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/common/distinct_sampler.h"
#include "algorithms/common/query_cache.h"

namespace nas {
namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "iterated_local_search",
    "Best-improvement hill climbing to a local minimum, then perturb it by "
    "2 random mutations and climb again; keep the better minimum",
    IteratedLocalSearch, IteratedLocalSearchParams);

struct Scored {
  Architecture arch;
  double valid_error = 0;
};

// One run's state.
class Searcher {
 public:
  Searcher(const IteratedLocalSearchParams& params, Oracle& oracle, Rng& rng,
           std::vector<IlsEvent>* trace)
      : params_(params),
        space_(oracle.space()),
        rng_(rng),
        trace_(trace),
        cache_(oracle),
        sampler_(oracle.space()) {}

  absl::Status Run() {
    std::optional<Scored> start;
    for (int i = 0; i < params_.num_init(); ++i) {
      std::optional<Architecture> arch = sampler_.Next(rng_);
      if (!arch.has_value()) break;
      absl::StatusOr<Scored> scored = Evaluate(*arch);
      if (!scored.ok()) return FinishRun(scored.status());
      if (!start.has_value() || scored->valid_error < start->valid_error) {
        start = *scored;
      }
    }
    if (!start.has_value()) return absl::OkStatus();  // Space exhausted.
    Record(IlsEvent::kClimbStart, *start, nullptr);
    absl::StatusOr<Scored> minimum = Climb(*start);
    if (!minimum.ok()) return FinishRun(minimum.status());
    Scored accepted = *minimum;
    Record(IlsEvent::kAccepted, accepted, nullptr);

    while (true) {
      bool perturbed = false;
      std::optional<Architecture> next = Perturb(accepted.arch);
      if (next.has_value()) {
        perturbed = true;
      } else {
        next = sampler_.Next(rng_);
        if (!next.has_value()) return absl::OkStatus();  // Space exhausted.
      }
      absl::StatusOr<Scored> restart = Evaluate(*next);
      if (!restart.ok()) return FinishRun(restart.status());
      Record(IlsEvent::kClimbStart, *restart,
             perturbed ? &accepted.arch : nullptr);
      absl::StatusOr<Scored> found = Climb(*restart);
      if (!found.ok()) return FinishRun(found.status());
      if (params_.acceptance() == IteratedLocalSearchParams::ALWAYS ||
          found->valid_error < accepted.valid_error) {
        accepted = *found;
        Record(IlsEvent::kAccepted, accepted, nullptr);
      }
    }
  }

 private:
  absl::StatusOr<Scored> Evaluate(const Architecture& arch) {
    absl::StatusOr<QueryCache::Result> result = cache_.Evaluate(arch);
    if (!result.ok()) return result.status();
    if (result->queried) sampler_.MarkSeen(arch);
    return Scored{arch, result->valid_error};
  }

  // Best improvement to a local minimum; neighbours are evaluated in random
  // order (it matters only when the budget ends mid-neighbourhood), ties go
  // to the first evaluated.
  absl::StatusOr<Scored> Climb(Scored current) {
    while (true) {
      space_.Neighbors(current.arch, &neighbors_);
      rng_.Shuffle(&neighbors_);
      std::optional<Scored> best;
      for (const Architecture& neighbor : neighbors_) {
        absl::StatusOr<Scored> scored = Evaluate(neighbor);
        if (!scored.ok()) return scored.status();
        if (!best.has_value() || scored->valid_error < best->valid_error) {
          best = *scored;
        }
      }
      if (!best.has_value() || !(best->valid_error < current.valid_error)) {
        Record(IlsEvent::kLocalMinimum, current, nullptr);
        return current;
      }
      current = *best;
    }
  }

  // perturbation_steps successive mutations of `minimum`, redrawn until the
  // result has not been queried; nullopt after max_perturbation_attempts.
  std::optional<Architecture> Perturb(const Architecture& minimum) {
    for (int attempt = 0; attempt < params_.max_perturbation_attempts();
         ++attempt) {
      Architecture arch = minimum;
      for (int k = 0; k < params_.perturbation_steps(); ++k) {
        arch = space_.Mutate(arch, rng_);
      }
      if (!cache_.Contains(arch)) return arch;
    }
    return std::nullopt;
  }

  void Record(IlsEvent::Kind kind, const Scored& scored,
              const Architecture* perturbed_from) {
    if (trace_ == nullptr) return;
    IlsEvent event{kind, scored.arch, scored.valid_error, Architecture(),
                   perturbed_from != nullptr};
    if (perturbed_from != nullptr) event.perturbed_from = *perturbed_from;
    trace_->push_back(event);
  }

  const IteratedLocalSearchParams& params_;
  const SearchSpace& space_;
  Rng& rng_;
  std::vector<IlsEvent>* trace_;
  QueryCache cache_;
  DistinctSampler sampler_;  // Seen = queried.
  std::vector<Architecture> neighbors_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<IteratedLocalSearch>> IteratedLocalSearch::New(
    const IteratedLocalSearchParams& params) {
  struct Check {
    const char* field;
    int value;
    const char* hint;
  };
  for (const Check& c : {
           Check{"num_init", params.num_init(), "the default is 10"},
           Check{"perturbation_steps", params.perturbation_steps(),
                 "the default is 2"},
           Check{"max_perturbation_attempts",
                 params.max_perturbation_attempts(), "the default is 100"},
       }) {
    if (c.value < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("iterated_local_search: ", c.field, " is ", c.value,
                       "; it must be at least 1 (", c.hint, ")"));
    }
  }
  return std::unique_ptr<IteratedLocalSearch>(new IteratedLocalSearch(params));
}

absl::Status IteratedLocalSearch::Run(Oracle& oracle, Rng& rng) {
  Searcher searcher(params_, oracle, rng, trace_);
  return searcher.Run();
}

}  // namespace nas
