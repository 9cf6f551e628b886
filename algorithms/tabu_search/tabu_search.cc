#include "algorithms/tabu_search/tabu_search.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/common/distinct_sampler.h"

namespace nas {
namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "tabu_search",
    "Walks to the best neighbour not made tabu by its recent moves, even a "
    "worse one; restarts after max_stagnation iterations without a new best",
    TabuSearch, TabuSearchParams);

bool Better(const TabuCandidate& a, const TabuCandidate& b) {
  if (a.valid_error != b.valid_error) return a.valid_error < b.valid_error;
  return a.query_order < b.query_order;
}

// One run's state: every architecture queried, with its value.
class Walker {
 public:
  Walker(const TabuSearchParams& params, Oracle& oracle, Rng& rng,
         std::vector<TabuStep>* trace)
      : params_(params),
        oracle_(oracle),
        space_(oracle.space()),
        rng_(rng),
        trace_(trace),
        sampler_(oracle.space()) {}

  absl::Status Run() {
    while (true) {
      absl::StatusOr<std::optional<TabuCandidate>> start = Start();
      if (!start.ok()) return FinishRun(start.status());
      if (!start->has_value()) return absl::OkStatus();  // Space exhausted.
      if (absl::Status walked = Walk(**start); !walked.ok()) {
        return FinishRun(walked);
      }
    }
  }

 private:
  absl::StatusOr<TabuCandidate> Query(const Architecture& arch) {
    sampler_.MarkSeen(arch);
    absl::StatusOr<Observation> obs = oracle_.Query(arch);
    if (!obs.ok()) return obs.status();
    TabuCandidate queried{arch, obs->valid_error, next_order_++};
    known_.emplace(space_.Hash(arch), queried);
    best_ = std::min(best_, queried.valid_error);
    return queried;
  }

  // The best of num_init fresh random architectures; nullopt when none is
  // left.
  absl::StatusOr<std::optional<TabuCandidate>> Start() {
    std::optional<TabuCandidate> best;
    for (int i = 0; i < params_.num_init(); ++i) {
      std::optional<Architecture> arch = sampler_.Next(rng_);
      if (!arch.has_value()) break;
      absl::StatusOr<TabuCandidate> queried = Query(*arch);
      if (!queried.ok()) return queried.status();
      if (!best.has_value() || Better(*queried, *best)) best = *queried;
    }
    return best;
  }

  absl::Status Walk(TabuCandidate current) {
    TabuList tabu(params_.tabu_tenure());
    int stagnant = 0;
    for (int64_t iteration = 0; stagnant < params_.max_stagnation();
         ++iteration) {
      TabuStep step;
      step.current = current.arch;
      step.current_error = current.valid_error;
      const double best_before = best_;
      space_.Neighbors(current.arch, &neighbors_);
      rng_.Shuffle(&neighbors_);
      candidates_.clear();
      for (const Architecture& neighbor : neighbors_) {
        auto known = known_.find(space_.Hash(neighbor));
        if (known != known_.end()) {
          candidates_.push_back(known->second);
          continue;
        }
        absl::StatusOr<TabuCandidate> queried = Query(neighbor);
        if (!queried.ok()) return queried.status();
        candidates_.push_back(*queried);
        ++step.new_queries;
      }
      const int choice =
          ChooseTabuMove(current.arch, candidates_, tabu, iteration, best_before);
      if (choice >= 0) {
        const TabuCandidate& next = candidates_[choice];
        step.moved = true;
        step.next = next.arch;
        step.next_error = next.valid_error;
        step.aspiration = tabu.IsTabu(current.arch, next.arch, iteration);
        tabu.RecordMove(current.arch, next.arch, iteration);
        current = next;
      }
      if (trace_ != nullptr) trace_->push_back(step);
      if (choice < 0) return absl::OkStatus();
      stagnant = best_ < best_before ? 0 : stagnant + 1;
    }
    return absl::OkStatus();
  }

  const TabuSearchParams& params_;
  Oracle& oracle_;
  const SearchSpace& space_;
  Rng& rng_;
  std::vector<TabuStep>* trace_;
  DistinctSampler sampler_;
  absl::flat_hash_map<uint64_t, TabuCandidate> known_;  // By space hash.
  double best_ = std::numeric_limits<double>::infinity();
  int64_t next_order_ = 0;
  std::vector<Architecture> neighbors_;
  std::vector<TabuCandidate> candidates_;
};

absl::Status Invalid(const char* field, int value, const char* rule) {
  return absl::InvalidArgumentError(
      absl::StrCat("tabu_search: ", field, " is ", value, "; ", rule));
}

}  // namespace

void TabuList::RecordMove(const Architecture& from, const Architecture& to,
                          int64_t iteration) {
  const int genes = std::min(from.size(), to.size());
  for (int g = 0; g < genes; ++g) {
    if (from[g] != to[g]) left_at_[{g, from[g]}] = iteration;
  }
}

bool TabuList::IsTabu(const Architecture& from, const Architecture& to,
                      int64_t iteration) const {
  const int genes = std::min(from.size(), to.size());
  for (int g = 0; g < genes; ++g) {
    if (from[g] == to[g]) continue;
    auto left = left_at_.find({g, to[g]});
    if (left != left_at_.end() && iteration <= left->second + tenure_) {
      return true;
    }
  }
  return false;
}

int ChooseTabuMove(const Architecture& current,
                   absl::Span<const TabuCandidate> candidates,
                   const TabuList& tabu, int64_t iteration,
                   double best_so_far) {
  int choice = -1;
  for (int i = 0; i < static_cast<int>(candidates.size()); ++i) {
    const TabuCandidate& candidate = candidates[i];
    const bool admissible = candidate.valid_error < best_so_far ||
                            !tabu.IsTabu(current, candidate.arch, iteration);
    if (admissible && (choice < 0 || Better(candidate, candidates[choice]))) {
      choice = i;
    }
  }
  return choice;
}

absl::StatusOr<std::unique_ptr<TabuSearch>> TabuSearch::New(
    const TabuSearchParams& params) {
  if (params.num_init() < 1) {
    return Invalid("num_init", params.num_init(),
                   "it must be at least 1 (the default is 10)");
  }
  if (params.tabu_tenure() < 0) {
    return Invalid("tabu_tenure", params.tabu_tenure(),
                   "it must be at least 0 (0 turns the tabu list off; the "
                   "default is 1)");
  }
  if (params.max_stagnation() < 1) {
    return Invalid("max_stagnation", params.max_stagnation(),
                   "it must be at least 1 (the default is 10)");
  }
  return std::unique_ptr<TabuSearch>(new TabuSearch(params));
}

absl::Status TabuSearch::Run(Oracle& oracle, Rng& rng) {
  Walker walker(params_, oracle, rng, trace_);
  return walker.Run();
}

}  // namespace nas
