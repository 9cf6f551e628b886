#ifndef NASBENCH_ALGORITHMS_BANANAS_BANANAS_H_
#define NASBENCH_ALGORITHMS_BANANAS_BANANAS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/bananas/bananas.pb.h"
#include "algorithms/model_based/predictor_search.h"

namespace nas {

// BANANAS: the shared predictor loop (algorithms/model_based) with an
// ensemble of feed-forward networks as the predictor, a path encoding and
// independent Thompson sampling. Never queries an architecture twice;
// stops when the budget is spent or the space is exhausted.
class Bananas : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<Bananas>> New(
      const BananasParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

  // The loop, e.g. to observe its rounds (PredictorSearch::set_trace).
  PredictorSearch& search() { return search_; }

 private:
  explicit Bananas(PredictorSearch search) : search_(std::move(search)) {}

  PredictorSearch search_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_BANANAS_BANANAS_H_
