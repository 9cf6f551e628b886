#include "algorithms/local_search/local_search.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/common/distinct_sampler.h"

namespace nas {
namespace {

struct Scored {
  Architecture arch;
  double valid_error;
  int64_t order;  // Query order: breaks ties towards the earlier query.
};

bool Better(const Scored& a, const Scored& b) {
  if (a.valid_error != b.valid_error) return a.valid_error < b.valid_error;
  return a.order < b.order;
}

NAS_REGISTER_ALGORITHM_CLASS(
    "local_search",
    "Hill climbing from the best of num_init random architectures; best- or "
    "first-improvement; restart or continue at a local minimum",
    LocalSearch, LocalSearchParams);

// One run's state: everything queried, and which of it has been expanded.
class Climber {
 public:
  Climber(const LocalSearchParams& params, Oracle& oracle, Rng& rng)
      : params_(params),
        oracle_(oracle),
        space_(oracle.space()),
        rng_(rng),
        sampler_(oracle.space()) {}

  absl::Status Run() {
    Scored current;
    bool have_current = false;
    while (true) {
      if (!have_current) {
        absl::StatusOr<bool> started = StartClimb(&current);
        if (!started.ok()) return Finish(started.status());
        if (!*started) return absl::OkStatus();  // Space exhausted.
        have_current = true;
      }
      expanded_.insert(space_.Hash(current.arch));
      absl::StatusOr<bool> moved = Step(&current);
      if (!moved.ok()) return Finish(moved.status());
      if (params_.at_local_minimum() ==
          LocalSearchParams::CONTINUE_FROM_BEST_UNEXPANDED) {
        // Best-first: whether or not this step improved, expand the best
        // architecture queried so far that has not been expanded.
        have_current = BestUnexpanded(&current);
      } else {
        have_current = *moved;  // At a local minimum: restart.
      }
    }
  }

 private:
  // The budget running out ends the run normally.
  static absl::Status Finish(const absl::Status& status) {
    return IsBudgetExhausted(status) ? absl::OkStatus() : status;
  }

  absl::StatusOr<Scored> Query(const Architecture& arch) {
    sampler_.MarkSeen(arch);
    absl::StatusOr<Observation> obs = oracle_.Query(arch);
    if (!obs.ok()) return obs.status();
    Scored scored{arch, obs->valid_error, next_order_++};
    history_.push_back(scored);
    return scored;
  }

  // Queries num_init fresh random architectures and picks the best; false
  // when the space has no unqueried architecture left.
  absl::StatusOr<bool> StartClimb(Scored* start) {
    bool any = false;
    for (int i = 0; i < params_.num_init(); ++i) {
      std::optional<Architecture> arch = sampler_.Next(rng_);
      if (!arch.has_value()) break;
      absl::StatusOr<Scored> scored = Query(*arch);
      if (!scored.ok()) return scored.status();
      if (!any || Better(*scored, *start)) *start = *scored;
      any = true;
    }
    return any;
  }

  // One move from *current; true if it moved.
  absl::StatusOr<bool> Step(Scored* current) {
    space_.Neighbors(current->arch, &neighbors_);
    rng_.Shuffle(&neighbors_);
    bool found = false;
    Scored best;
    for (const Architecture& neighbor : neighbors_) {
      if (sampler_.Seen(neighbor)) continue;
      absl::StatusOr<Scored> scored = Query(neighbor);
      if (!scored.ok()) return scored.status();
      if (!found || Better(*scored, best)) {
        best = *scored;
        found = true;
      }
      if (params_.improvement() == LocalSearchParams::FIRST &&
          best.valid_error < current->valid_error) {
        break;
      }
    }
    if (found && best.valid_error < current->valid_error) {
      *current = best;
      return true;
    }
    return false;
  }

  bool BestUnexpanded(Scored* next) const {
    bool found = false;
    for (const Scored& s : history_) {
      if (expanded_.contains(space_.Hash(s.arch))) continue;
      if (!found || Better(s, *next)) {
        *next = s;
        found = true;
      }
    }
    return found;
  }

  const LocalSearchParams& params_;
  Oracle& oracle_;
  const SearchSpace& space_;
  Rng& rng_;
  DistinctSampler sampler_;
  std::vector<Scored> history_;
  absl::flat_hash_set<uint64_t> expanded_;
  std::vector<Architecture> neighbors_;
  int64_t next_order_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<LocalSearch>> LocalSearch::New(
    const LocalSearchParams& params) {
  if (params.num_init() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "local_search: num_init is ", params.num_init(),
        "; it must be at least 1 (the study used 10)"));
  }
  return std::unique_ptr<LocalSearch>(new LocalSearch(params));
}

absl::Status LocalSearch::Run(Oracle& oracle, Rng& rng) {
  Climber climber(params_, oracle, rng);
  return climber.Run();
}

}  // namespace nas
