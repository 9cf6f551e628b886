#ifndef NASBENCH_ALGORITHMS_MODEL_BASED_PREDICTOR_SEARCH_H_
#define NASBENCH_ALGORITHMS_MODEL_BASED_PREDICTOR_SEARCH_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "algorithms/algorithm.h"
#include "algorithms/model_based/acquisition.h"
#include "algorithms/model_based/candidates.h"
#include "algorithms/model_based/feed_forward_network.h"
#include "algorithms/model_based/model_based.pb.h"
#include "algorithms/model_based/predictor.h"
#include "spaces/encodings/encodings.h"

namespace nas {

// Automatic encodings must not be wider than this: DARTS' full path
// encoding (11,200 features) would make every network fit ~100x slower for
// features almost never present.
inline constexpr int kMaxAutoEncodingDimension = 2000;

struct PredictorSearchOptions {
  int num_init = 10;
  int queries_per_round = 10;
  CandidateOptions candidates;
  AcquisitionOptions acquisition;
  // A fixed encoding, or (unset) the first of `auto_encodings` that the
  // space defines with at most kMaxAutoEncodingDimension features, else
  // one-hot (which every space defines).
  std::optional<EncodingKind> encoding;
  std::vector<EncodingKind> auto_encodings;
  // For kTruncatedPath: 0 for the space's default length.
  int truncated_features = 0;
};

// InvalidArgument naming the bad field, prefixed with `owner`.
absl::Status ValidateSearchOptions(const PredictorSearchOptions& options,
                                   absl::string_view owner);

// The encoder the options select on `space`.
absl::StatusOr<std::unique_ptr<Encoder>> ChooseEncoder(
    const SearchSpace& space, const PredictorSearchOptions& options,
    absl::string_view owner);

std::optional<EncodingKind> EncodingFromProto(PredictorEncoding::Kind kind);
AcquisitionKind AcquisitionFromProto(AcquisitionFunction::Kind kind);

// The loop options from the shared message; `default_acquisition` applies
// when the config leaves acquisition unset, and `auto_encodings` are the
// algorithm's preferred encodings for AUTO, best first.
PredictorSearchOptions SearchOptionsFromProto(
    const PredictorSearchLoop& loop, AcquisitionFunction::Kind default_acquisition,
    std::vector<EncodingKind> auto_encodings);

NetworkOptions NetworkOptionsFromProto(const PredictorNetwork& network);

// What one round saw and chose, for tests and diagnostics.
struct RoundTrace {
  int round = 0;
  int num_training = 0;  // Architectures the predictor was fitted on.
  std::vector<Architecture> candidates;
  Predictions predictions;
  std::vector<double> scores;
  std::vector<int> chosen;  // Indices into candidates, in query order.
};

using PredictorFactory = std::function<std::unique_ptr<Predictor>()>;

// The loop BANANAS, GP-BO and DNGO share (BANANAS, White et al. 2021,
// Algorithm 1):
//  1. query num_init distinct random architectures;
//  2. each round: fit a fresh predictor on every (encoding, validation
//     error) queried so far; generate candidates by mutating the best
//     architectures (never one already queried); score them with the
//     acquisition function; query the queries_per_round best;
//  3. until the oracle's budget is spent. When no candidate can be
//     generated (every mutation of the best already queried) one fresh
//     random architecture is queried instead; when none is left either,
//     the space is exhausted and Run() returns.
// No architecture is queried twice. Every random choice comes from the
// run's Rng (each fit gets Rng(rng.NextU64())), so a run is reproducible
// from its seed whatever the thread count.
//
// The predictor algorithms are this class with their own predictor and
// defaults: each plugin registers a factory that builds one, with no class
// of its own.
class PredictorSearch final : public Algorithm {
 public:
  PredictorSearch(std::string owner, PredictorSearchOptions options,
                  PredictorFactory factory)
      : owner_(std::move(owner)),
        options_(std::move(options)),
        factory_(std::move(factory)) {}

  absl::Status Run(Oracle& oracle, Rng& rng) override;

  // Called after each round's choice (before its queries); may be empty.
  void set_trace(std::function<void(const RoundTrace&)> trace) {
    trace_ = std::move(trace);
  }

 private:
  std::string owner_;
  PredictorSearchOptions options_;
  PredictorFactory factory_;
  std::function<void(const RoundTrace&)> trace_;
};

// A PredictorSearch with `options`, or InvalidArgument naming the bad
// option, prefixed with `owner`: what a predictor plugin's factory returns.
absl::StatusOr<std::unique_ptr<Algorithm>> NewPredictorSearch(
    std::string owner, PredictorSearchOptions options,
    PredictorFactory factory);

// The loop inside an algorithm built on it (bananas, dngo, gp_bayesopt, as
// NewRegisteredAlgorithm returns them), e.g. for a test to observe its
// rounds; nullptr for any other algorithm.
inline PredictorSearch* AsPredictorSearch(Algorithm& algorithm) {
  return dynamic_cast<PredictorSearch*>(&algorithm);
}

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_MODEL_BASED_PREDICTOR_SEARCH_H_
