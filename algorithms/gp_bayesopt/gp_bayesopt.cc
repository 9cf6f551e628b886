// GP-based Bayesian optimisation: the shared predictor loop
// (algorithms/model_based) with a Gaussian process on encoding distances as
// the predictor and UCB as the default acquisition.

#include <memory>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/gp_bayesopt/gp_bayesopt.pb.h"
#include "algorithms/model_based/gaussian_process.h"
#include "algorithms/model_based/predictor_search.h"

namespace nas {
namespace {

constexpr char kName[] = "gp_bayesopt";

absl::StatusOr<std::unique_ptr<Algorithm>> NewGpBayesopt(
    const GpBayesoptParams& params) {
  return NewPredictorSearch(
      kName,
      SearchOptionsFromProto(params.search(), AcquisitionFunction::UCB,
                             {EncodingKind::kAdjacency}),
      [] { return std::make_unique<GaussianProcessPredictor>(); });
}

NAS_REGISTER_ALGORITHM_FUNCTION(
    "gp_bayesopt",
    "Bayesian optimisation with a Gaussian process on encoding (edit) "
    "distances; UCB over mutations of the best",
    GpBayesoptParams, NewGpBayesopt);

}  // namespace
}  // namespace nas
