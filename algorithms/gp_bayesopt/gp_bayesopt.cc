#include "algorithms/gp_bayesopt/gp_bayesopt.h"

#include "algorithms/model_based/gaussian_process.h"

namespace nas {
namespace {

constexpr char kName[] = "gp_bayesopt";

NAS_REGISTER_ALGORITHM_CLASS(
    "gp_bayesopt",
    "Bayesian optimisation with a Gaussian process on encoding (edit) "
    "distances; UCB over mutations of the best",
    GpBayesopt, GpBayesoptParams);

}  // namespace

absl::StatusOr<std::unique_ptr<GpBayesopt>> GpBayesopt::New(
    const GpBayesoptParams& params) {
  const PredictorSearchOptions options =
      SearchOptionsFromProto(
          params.search(), AcquisitionFunction::UCB, {EncodingKind::kAdjacency});
  absl::Status valid = ValidateSearchOptions(options, kName);
  if (!valid.ok()) return valid;
  return std::unique_ptr<GpBayesopt>(new GpBayesopt(PredictorSearch(
      kName, options,
      [] { return std::make_unique<GaussianProcessPredictor>(); })));
}

absl::Status GpBayesopt::Run(Oracle& oracle, Rng& rng) {
  return search_.Run(oracle, rng);
}

}  // namespace nas
