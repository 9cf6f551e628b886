// DNGO: the shared predictor loop (algorithms/model_based) with a network
// whose last hidden layer feeds a Bayesian linear regression.

#include <memory>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/dngo/dngo.pb.h"
#include "algorithms/model_based/dngo_predictor.h"
#include "algorithms/model_based/predictor_search.h"

namespace nas {
namespace {

constexpr char kName[] = "dngo";

absl::StatusOr<std::unique_ptr<Algorithm>> NewDngo(const DngoParams& params) {
  const NetworkOptions network = NetworkOptionsFromProto(params.network());
  absl::Status valid = ValidateNetworkOptions(network, kName);
  if (!valid.ok()) return valid;
  return NewPredictorSearch(
      kName,
      SearchOptionsFromProto(params.search(), AcquisitionFunction::UCB,
                             {EncodingKind::kAdjacency}),
      [network] { return std::make_unique<DngoPredictor>(network); });
}

NAS_REGISTER_ALGORITHM_FUNCTION(
    "dngo",
    "DNGO: Bayesian linear regression on a neural network's last hidden "
    "layer; UCB over mutations of the best",
    DngoParams, NewDngo);

}  // namespace
}  // namespace nas
