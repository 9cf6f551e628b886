#ifndef NASBENCH_ALGORITHMS_TABU_SEARCH_TABU_SEARCH_H_
#define NASBENCH_ALGORITHMS_TABU_SEARCH_TABU_SEARCH_H_

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "algorithms/algorithm.h"
#include "algorithms/tabu_search/tabu_search.pb.h"

namespace nas {

// The short-term memory of a tabu search: which gene values the walk left
// recently. Moves are described by the genes they change, so the list works
// for any space (for spaces with a canonical form, genes are compared after
// canonicalisation).
class TabuList {
 public:
  explicit TabuList(int tenure) : tenure_(tenure) {}

  // Records the move `from` -> `to` made at `iteration`: for each gene g
  // that changed, setting g back to from[g] is tabu in iterations
  // iteration + 1 .. iteration + tenure.
  void RecordMove(const Architecture& from, const Architecture& to,
                  int64_t iteration);

  // True if the move `from` -> `to` at `iteration` would set some gene back
  // to a value the walk left within the tenure.
  bool IsTabu(const Architecture& from, const Architecture& to,
              int64_t iteration) const;

 private:
  const int tenure_;
  // (gene, value) -> last iteration in which the walk changed gene away
  // from value.
  absl::flat_hash_map<std::pair<int, int>, int64_t> left_at_;
};

// A neighbour with what the walk knows about it.
struct TabuCandidate {
  Architecture arch;
  double valid_error = 0;
  int64_t query_order = 0;  // Breaks ties towards the earlier query.
};

// The move a tabu search makes from `current`: the index in `candidates` of
// the lowest validation error (earliest query on ties) among the admissible
// ones, i.e. those that are not tabu or that beat `best_so_far` (the
// aspiration criterion: a move to a new best is never forbidden). -1 when
// none is admissible.
int ChooseTabuMove(const Architecture& current,
                   absl::Span<const TabuCandidate> candidates,
                   const TabuList& tabu, int64_t iteration,
                   double best_so_far);

// One iteration of a walk, for tests.
struct TabuStep {
  Architecture current;  // Where the walk stood.
  double current_error = 0;
  int new_queries = 0;   // Neighbours queried in this iteration.
  bool moved = false;    // False: no admissible neighbour; the walk ended.
  Architecture next;     // Where it moved (when moved).
  double next_error = 0;
  bool aspiration = false;  // The move was tabu but led to a new best.
};

// Tabu search over the space's neighbourhood. A walk starts from the best of
// num_init fresh random architectures; each iteration queries every
// neighbour of the current architecture not queried before (in random
// order, so a budget cut is unbiased) and moves to the best admissible
// neighbour (ChooseTabuMove) even when it is worse, which lets the walk
// leave local minima where local search would restart. A walk ends after
// max_stagnation iterations without a new best, or when no neighbour is
// admissible; the next one starts from fresh random architectures.
//
// Never queries an architecture twice: values are remembered, so walking
// through known architectures is free. Returns when the budget is spent or
// no fresh architecture is left to start a walk from.
class TabuSearch : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<TabuSearch>> New(
      const TabuSearchParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

  // For tests: every iteration is appended to `trace` (may be nullptr).
  void set_trace(std::vector<TabuStep>* trace) { trace_ = trace; }

 private:
  explicit TabuSearch(const TabuSearchParams& params) : params_(params) {}

  TabuSearchParams params_;
  std::vector<TabuStep>* trace_ = nullptr;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_TABU_SEARCH_TABU_SEARCH_H_
