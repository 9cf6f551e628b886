#ifndef NASBENCH_ALGORITHMS_ITERATED_LOCAL_SEARCH_ITERATED_LOCAL_SEARCH_H_
#define NASBENCH_ALGORITHMS_ITERATED_LOCAL_SEARCH_ITERATED_LOCAL_SEARCH_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/iterated_local_search/iterated_local_search.pb.h"

namespace nas {

// What the search did, for tests.
struct IlsEvent {
  enum Kind {
    kClimbStart,    // A climb begins at `arch` (fresh or perturbed).
    kLocalMinimum,  // A climb ended at `arch`.
    kAccepted,      // `arch` became the minimum that is perturbed next.
  };
  Kind kind;
  Architecture arch;
  double valid_error = 0;
  // For a kClimbStart: the minimum it was perturbed from, and whether it
  // was (false for the first climb and for fresh fallbacks).
  Architecture perturbed_from;
  bool perturbed = false;
};

// Iterated local search. Climbs from the best of num_init random
// architectures by best improvement (evaluate every neighbour, move to the
// best if it is strictly better) to a local minimum; then repeatedly
// perturbs the accepted minimum by perturbation_steps random mutations,
// climbs again from there, and accepts the new minimum if it is better (or
// always).
//
// Never queries an architecture twice. Unlike local_search, whose climbs
// skip neighbours queried earlier, a climb here judges every neighbour,
// using the remembered error of those already queried (free): a local
// minimum is then a true one of the neighbourhood. Each perturbed start is
// an unqueried architecture, so every iteration spends at least one query
// and Run returns once no fresh architecture is left.
class IteratedLocalSearch : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<IteratedLocalSearch>> New(
      const IteratedLocalSearchParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

  // For tests: events are appended to `trace` (may be nullptr).
  void set_trace(std::vector<IlsEvent>* trace) { trace_ = trace; }

 private:
  explicit IteratedLocalSearch(const IteratedLocalSearchParams& params)
      : params_(params) {}

  IteratedLocalSearchParams params_;
  std::vector<IlsEvent>* trace_ = nullptr;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_ITERATED_LOCAL_SEARCH_ITERATED_LOCAL_SEARCH_H_
