#ifndef NASBENCH_ALGORITHMS_PARETO_LOCAL_SEARCH_PARETO_LOCAL_SEARCH_H_
#define NASBENCH_ALGORITHMS_PARETO_LOCAL_SEARCH_PARETO_LOCAL_SEARCH_H_

#include <memory>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/pareto_archive.h"
#include "algorithms/pareto_local_search/pareto_local_search.pb.h"

namespace nas {

// Pareto local search (Paquete, Chiarandini and Stützle, 2004) with random
// restarts, over the validation error and the selected visible metrics.
//
// A run starts from a random architecture as its archive. While some archive
// member is unexplored, one of them (uniformly at random) is explored: all
// its neighbours are evaluated, in random order, each offered to the archive
// (which keeps the mutually non-dominated ones); the member is then marked
// explored. Once every member is explored the archive is a Pareto local
// optimum set: the run's front joins the overall one (front()) and a new run
// restarts from a random architecture never evaluated. Architectures are
// queried once; a neighbour seen before is offered to the archive from
// memory. Stops when the budget is spent or nothing is left to evaluate.
class ParetoLocalSearch : public ParetoFrontSearch<ParetoLocalSearchParams> {
 public:
  static absl::StatusOr<std::unique_ptr<ParetoLocalSearch>> New(
      const ParetoLocalSearchParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

  // After Run(): random starts made (the first included).
  int starts() const { return starts_; }

 private:
  using ParetoFrontSearch::ParetoFrontSearch;

  int starts_ = 0;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_PARETO_LOCAL_SEARCH_PARETO_LOCAL_SEARCH_H_
