#include "algorithms/bananas/bananas.h"

#include "absl/strings/str_cat.h"
#include "algorithms/model_based/ensemble_predictor.h"

namespace nas {
namespace {

constexpr char kName[] = "bananas";

NAS_REGISTER_ALGORITHM_CLASS(
    "bananas",
    "BANANAS: an ensemble of neural predictors on path encodings; "
    "independent Thompson sampling over mutations of the best",
    Bananas, BananasParams);

}  // namespace

absl::StatusOr<std::unique_ptr<Bananas>> Bananas::New(
    const BananasParams& params) {
  const PredictorSearchOptions options = SearchOptionsFromProto(
      params.search(), AcquisitionFunction::ITS,
      {EncodingKind::kPath, EncodingKind::kTruncatedPath});
  absl::Status valid = ValidateSearchOptions(options, kName);
  if (!valid.ok()) return valid;
  EnsembleOptions ensemble;
  ensemble.network = NetworkOptionsFromProto(params.network());
  valid = ValidateNetworkOptions(ensemble.network, kName);
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
  return std::unique_ptr<Bananas>(new Bananas(PredictorSearch(
      kName, options,
      [ensemble] { return std::make_unique<EnsemblePredictor>(ensemble); })));
}

absl::Status Bananas::Run(Oracle& oracle, Rng& rng) {
  return search_.Run(oracle, rng);
}

}  // namespace nas
