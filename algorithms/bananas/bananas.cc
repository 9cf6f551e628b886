// BANANAS: the shared predictor loop (algorithms/model_based) with an
// ensemble of feed-forward networks as the predictor, a path encoding and
// independent Thompson sampling. Never queries an architecture twice;
// stops when the budget is spent or the space is exhausted.

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"
#include "algorithms/bananas/bananas.pb.h"
#include "algorithms/model_based/ensemble_predictor.h"
#include "algorithms/model_based/predictor_search.h"

namespace nas {
namespace {

constexpr char kName[] = "bananas";

absl::StatusOr<std::unique_ptr<Algorithm>> NewBananas(
    const BananasParams& params) {
  EnsembleOptions ensemble;
  ensemble.network = NetworkOptionsFromProto(params.network());
  absl::Status valid = ValidateNetworkOptions(ensemble.network, kName);
  if (!valid.ok()) return valid;
  ensemble.num_members = params.ensemble_size();
  if (ensemble.num_members < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(kName, ": ensemble_size is ", params.ensemble_size(),
                     "; it must be at least 1 (BANANAS used 5)"));
  }
  ensemble.num_threads = params.num_threads();
  if (ensemble.num_threads < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        kName, ": num_threads is ", params.num_threads(),
        "; it must be at least 0 (0: one per member up to the core count)"));
  }
  return NewPredictorSearch(
      kName,
      SearchOptionsFromProto(
          params.search(), AcquisitionFunction::ITS,
          {EncodingKind::kPath, EncodingKind::kTruncatedPath}),
      [ensemble] { return std::make_unique<EnsemblePredictor>(ensemble); });
}

NAS_REGISTER_ALGORITHM_FUNCTION(
    "bananas",
    "BANANAS: an ensemble of neural predictors on path encodings; "
    "independent Thompson sampling over mutations of the best",
    BananasParams, NewBananas);

}  // namespace
}  // namespace nas
