#ifndef NASBENCH_ALGORITHMS_RANDOM_SEARCH_RANDOM_SEARCH_H_
#define NASBENCH_ALGORITHMS_RANDOM_SEARCH_RANDOM_SEARCH_H_

#include <memory>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/random_search/random_search.pb.h"

namespace nas {

// Random search without replacement: queries distinct uniformly random
// architectures until the budget (or the space) runs out.
class RandomSearch : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<RandomSearch>> New(
      const RandomSearchParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

 private:
  RandomSearch() = default;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_RANDOM_SEARCH_RANDOM_SEARCH_H_
