#ifndef NASBENCH_ALGORITHMS_GP_BAYESOPT_GP_BAYESOPT_H_
#define NASBENCH_ALGORITHMS_GP_BAYESOPT_GP_BAYESOPT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/gp_bayesopt/gp_bayesopt.pb.h"
#include "algorithms/model_based/predictor_search.h"

namespace nas {

// GP-based Bayesian optimisation: the shared predictor loop
// (algorithms/model_based) with a Gaussian process on encoding distances
// as the predictor and UCB as the default acquisition.
class GpBayesopt : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<GpBayesopt>> New(
      const GpBayesoptParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

  PredictorSearch& search() { return search_; }

 private:
  explicit GpBayesopt(PredictorSearch search) : search_(std::move(search)) {}

  PredictorSearch search_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_GP_BAYESOPT_GP_BAYESOPT_H_
