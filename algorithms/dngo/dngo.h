#ifndef NASBENCH_ALGORITHMS_DNGO_DNGO_H_
#define NASBENCH_ALGORITHMS_DNGO_DNGO_H_

#include <memory>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/dngo/dngo.pb.h"
#include "algorithms/model_based/predictor_search.h"

namespace nas {

// DNGO: the shared predictor loop (algorithms/model_based) with a network
// whose last hidden layer feeds a Bayesian linear regression.
class Dngo : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<Dngo>> New(const DngoParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

  PredictorSearch& search() { return search_; }

 private:
  explicit Dngo(PredictorSearch search) : search_(std::move(search)) {}

  PredictorSearch search_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_DNGO_DNGO_H_
