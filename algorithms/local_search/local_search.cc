#include "algorithms/local_search/local_search.h"

#include <cmath>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
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

bool UsesProxy(const LocalSearchParams& params) {
  return params.proxy_warmup_candidates() > 0 ||
         params.proxy_order_neighbors() || params.proxy_keep_fraction() < 1;
}

bool Better(const Scored& a, const Scored& b) {
  if (a.valid_error != b.valid_error) return a.valid_error < b.valid_error;
  return a.order < b.order;
}

// Bounds the warm-up's candidates (each is one proxy score).
constexpr int kMaxCandidates = 1000000;

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
        sampler_(oracle.space()),
        best_first_(params.at_local_minimum() ==
                    LocalSearchParams::CONTINUE_FROM_BEST_UNEXPANDED),
        first_improvement_(params.improvement() == LocalSearchParams::FIRST) {}

  absl::Status Run() {
    Scored current;
    bool have_current = false;
    while (true) {
      if (!have_current) {
        absl::StatusOr<bool> started = StartClimb(&current);
        if (!started.ok()) return FinishRun(started.status());
        if (!*started) return absl::OkStatus();  // Space exhausted.
        have_current = true;
      }
      if (best_first_) expanded_.insert(space_.Hash(current.arch));
      absl::StatusOr<bool> moved = Step(&current);
      if (!moved.ok()) return FinishRun(moved.status());
      if (best_first_) {
        // Best-first: whether or not this step improved, expand the best
        // architecture queried so far that has not been expanded.
        have_current = BestUnexpanded(&current);
      } else {
        have_current = *moved;  // At a local minimum: restart.
      }
    }
  }

 private:
  // Queries `arch`, which the caller has marked seen: false on a failed
  // query (its status in failure_), else *error is its validation error and
  // its query order is next_order_ - 1. The budget running out ends the run
  // normally. Callers copy an architecture only when it becomes their best.
  // Inlined, with the error out through a pointer: once per query, and a
  // returned StatusOr<double> is kept in memory and read back.
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool Query(const Architecture& arch,
                                          double* error) {
    absl::StatusOr<Observation> obs = oracle_.Query(arch);
    if (ABSL_PREDICT_FALSE(!obs.ok())) {
      failure_ = obs.status();
      return false;
    }
    // Only best-first search looks back at what was queried.
    if (best_first_) history_.push_back({arch, obs->valid_error, next_order_});
    ++next_order_;
    *error = obs->valid_error;
    return true;
  }

  // The first climb's starting candidates under warm-up: the num_init best
  // by proxy of proxy_warmup_candidates fresh random architectures. They
  // are drawn from a copy of the sampler, so the candidates left unqueried
  // stay available to later draws and moves.
  absl::StatusOr<std::vector<Architecture>> WarmupStarts() {
    DistinctSampler candidates = sampler_;
    std::vector<Architecture> drawn;
    for (int i = 0; i < params_.proxy_warmup_candidates(); ++i) {
      std::optional<Architecture> arch = candidates.Next(rng_);
      if (!arch.has_value()) break;
      drawn.push_back(*std::move(arch));
    }
    absl::StatusOr<std::vector<Architecture>> ranked =
        SortByProxyScore(oracle_, std::move(drawn));
    if (ranked.ok() && static_cast<int>(ranked->size()) > params_.num_init()) {
      ranked->resize(params_.num_init());
    }
    return ranked;
  }

  // Queries num_init fresh random architectures (or the warm-up's) and
  // picks the best; false when the space has no unqueried architecture
  // left.
  absl::StatusOr<bool> StartClimb(Scored* start) {
    std::vector<Architecture> warmup;
    if (params_.proxy_warmup_candidates() > 0 && !warmed_up_) {
      warmed_up_ = true;
      absl::StatusOr<std::vector<Architecture>> ranked = WarmupStarts();
      if (!ranked.ok()) return ranked.status();
      warmup = *std::move(ranked);
    }
    bool any = false;
    for (int i = 0; i < params_.num_init(); ++i) {
      std::optional<Architecture> arch;
      if (!warmup.empty()) {
        if (i >= static_cast<int>(warmup.size())) break;
        arch = warmup[i];
        // Drawn from a copy of the sampler: this one has not seen it.
        sampler_.MarkSeen(*arch);
      } else {
        arch = sampler_.Next(rng_);  // Marked seen by the draw.
      }
      if (!arch.has_value()) break;
      double error;
      if (!Query(*arch, &error)) return failure_;
      // A later query is better only with a lower error (see Better()).
      if (!any || error < start->valid_error) {
        *start = {*arch, error, next_order_ - 1};
      }
      any = true;
    }
    return any;
  }

  // Points tried_ at the neighbours of `arch` to try, in order: all of
  // them in random order (the unqueried ones are picked out as they come
  // up), or (move proposal) the unqueried ones by descending proxy score,
  // maybe only the best part. Buffers are reused from step to step, and
  // the shuffle moves positions, not architectures: the same draws give the
  // same order.
  absl::Status Candidates(const Architecture& arch) {
    space_.Neighbors(arch, &neighbors_);
    order_.resize(neighbors_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<int>(i);
    rng_.Shuffle(&order_);
    tried_ = &neighbors_;
    if (!params_.proxy_order_neighbors() && params_.proxy_keep_fraction() >= 1) {
      return absl::OkStatus();
    }
    candidates_.clear();
    for (int i : order_) {
      if (!sampler_.Seen(neighbors_[i])) candidates_.push_back(neighbors_[i]);
    }
    absl::StatusOr<std::vector<Architecture>> ranked =
        SortByProxyScore(oracle_, std::move(candidates_));
    if (!ranked.ok()) return ranked.status();
    const size_t keep = static_cast<size_t>(
        std::ceil(params_.proxy_keep_fraction() * ranked->size()));
    if (keep < ranked->size()) ranked->resize(keep);
    candidates_ = *std::move(ranked);
    order_.resize(candidates_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<int>(i);
    tried_ = &candidates_;
    return absl::OkStatus();
  }

  // One move from *current; true if it moved.
  absl::StatusOr<bool> Step(Scored* current) {
    if (absl::Status s = Candidates(current->arch); !s.ok()) return s;
    const Architecture* best = nullptr;
    double best_error = 0;
    int64_t best_order = 0;
    for (int i : order_) {
      const Architecture& neighbor = (*tried_)[i];
      // Marking a neighbour seen leaves the others' state alone, so
      // skipping the seen ones here is skipping them up front.
      if (!sampler_.MarkSeen(neighbor)) continue;
      double error;
      if (!Query(neighbor, &error)) return failure_;
      // A later query is better only with a lower error (see Better()).
      if (best == nullptr || error < best_error) {
        best = &neighbor;
        best_error = error;
        best_order = next_order_ - 1;
      }
      if (first_improvement_ &&
          best_error < current->valid_error) {
        break;
      }
    }
    if (best != nullptr && best_error < current->valid_error) {
      *current = {*best, best_error, best_order};
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
  const bool best_first_;  // CONTINUE_FROM_BEST_UNEXPANDED.
  const bool first_improvement_;  // improvement: FIRST.
  std::vector<Scored> history_;
  absl::flat_hash_set<uint64_t> expanded_;
  std::vector<Architecture> neighbors_;
  std::vector<Architecture> candidates_;
  std::vector<int> order_;  // Positions in *tried_, in the order tried.
  const std::vector<Architecture>* tried_ = &neighbors_;
  int64_t next_order_ = 0;
  bool warmed_up_ = false;
  absl::Status failure_;  // The failed query's status (Query()).
};

}  // namespace

absl::StatusOr<std::unique_ptr<LocalSearch>> LocalSearch::New(
    const LocalSearchParams& params) {
  if (params.num_init() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "local_search: num_init is ", params.num_init(),
        "; it must be at least 1 (the study used 10)"));
  }
  const int warmup = params.proxy_warmup_candidates();
  if (warmup != 0 && (warmup < params.num_init() || warmup > kMaxCandidates)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "local_search: proxy_warmup_candidates is ", warmup,
        "; it must be 0 (off) or from num_init (", params.num_init(),
        ") to ", kMaxCandidates));
  }
  if (!(params.proxy_keep_fraction() > 0 && params.proxy_keep_fraction() <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "local_search: proxy_keep_fraction is ", params.proxy_keep_fraction(),
        "; it must be in (0, 1] (1 keeps every neighbour)"));
  }
  return std::unique_ptr<LocalSearch>(new LocalSearch(params));
}

absl::Status LocalSearch::CheckBenchmark(const BenchmarkFacts& facts) const {
  if (!UsesProxy(params_) || !facts.proxy.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "local_search: proxy_warmup_candidates, proxy_order_neighbors or "
      "proxy_keep_fraction ask for a zero-cost proxy, and this benchmark "
      "serves none; add `proxy { name: \"synflow\" }` to the benchmark or "
      "turn those options off");
}

absl::Status LocalSearch::Run(Oracle& oracle, Rng& rng) {
  Climber climber(params_, oracle, rng);
  return climber.Run();
}

}  // namespace nas
