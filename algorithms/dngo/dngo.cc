#include "algorithms/dngo/dngo.h"

#include "algorithms/model_based/dngo_predictor.h"

namespace nas {
namespace {

constexpr char kName[] = "dngo";

NAS_REGISTER_ALGORITHM_CLASS(
    "dngo",
    "DNGO: Bayesian linear regression on a neural network's last hidden "
    "layer; UCB over mutations of the best",
    Dngo, DngoParams);

}  // namespace

absl::StatusOr<std::unique_ptr<Dngo>> Dngo::New(const DngoParams& params) {
  const PredictorSearchOptions options =
      SearchOptionsFromProto(
          params.search(), AcquisitionFunction::UCB, {EncodingKind::kAdjacency});
  absl::Status valid = ValidateSearchOptions(options, kName);
  if (!valid.ok()) return valid;
  const NetworkOptions network = NetworkOptionsFromProto(params.network());
  valid = ValidateNetworkOptions(network, kName);
  if (!valid.ok()) return valid;
  return std::unique_ptr<Dngo>(new Dngo(PredictorSearch(
      kName, options,
      [network] { return std::make_unique<DngoPredictor>(network); })));
}

absl::Status Dngo::Run(Oracle& oracle, Rng& rng) {
  return search_.Run(oracle, rng);
}

}  // namespace nas
