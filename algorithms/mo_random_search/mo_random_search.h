#ifndef NASBENCH_ALGORITHMS_MO_RANDOM_SEARCH_MO_RANDOM_SEARCH_H_
#define NASBENCH_ALGORITHMS_MO_RANDOM_SEARCH_MO_RANDOM_SEARCH_H_

#include <memory>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/pareto_archive.h"
#include "algorithms/mo_random_search/mo_random_search.pb.h"

namespace nas {

// Multi-objective random search, the baseline of multi-objective NAS:
// distinct uniformly random architectures until the budget (or the space)
// runs out, keeping the non-dominated ones (validation error and the
// selected visible metrics) in an archive, front(). Its queries are those of
// random_search; the front is its answer.
class MoRandomSearch : public ParetoFrontSearch<MoRandomSearchParams> {
 public:
  static absl::StatusOr<std::unique_ptr<MoRandomSearch>> New(
      const MoRandomSearchParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

 private:
  using ParetoFrontSearch::ParetoFrontSearch;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_MO_RANDOM_SEARCH_MO_RANDOM_SEARCH_H_
