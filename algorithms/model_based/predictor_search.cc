#include "algorithms/model_based/predictor_search.h"

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "algorithms/common/distinct_sampler.h"

namespace nas {

absl::Status ValidateSearchOptions(const PredictorSearchOptions& options,
                                   absl::string_view owner) {
  auto bad = [&](absl::string_view field, double value,
                 absl::string_view rule) {
    return absl::InvalidArgumentError(absl::StrCat(
        owner, ": ", field, " is ", value, "; it must be ", rule));
  };
  if (options.num_init < 1) {
    return bad("num_init", options.num_init, "at least 1 (BANANAS used 10)");
  }
  if (options.queries_per_round < 1) {
    return bad("queries_per_round", options.queries_per_round,
               "at least 1 (BANANAS used 10)");
  }
  if (options.candidates.num_candidates < 1) {
    return bad("num_candidates", options.candidates.num_candidates,
               "at least 1 (BANANAS used 100)");
  }
  if (options.candidates.num_parents < 1) {
    return bad("num_parents", options.candidates.num_parents,
               "at least 1 (e.g. 10)");
  }
  if (options.candidates.max_mutation_steps < 1) {
    return bad("max_mutation_steps", options.candidates.max_mutation_steps,
               "at least 1");
  }
  if (options.candidates.num_random < 0) {
    return bad("num_random_candidates", options.candidates.num_random,
               "at least 0");
  }
  if (!(options.acquisition.ucb_kappa >= 0) ||
      !std::isfinite(options.acquisition.ucb_kappa)) {
    return bad("ucb_kappa", options.acquisition.ucb_kappa,
               "finite and at least 0 (naszilla used 0.5)");
  }
  if (options.truncated_features < 0) {
    return bad("truncated_features", options.truncated_features,
               "0 (the space's default) or a positive number of features");
  }
  if (options.truncated_features != 0 &&
      options.encoding != EncodingKind::kTruncatedPath) {
    return absl::InvalidArgumentError(absl::StrCat(
        owner, ": truncated_features is ", options.truncated_features,
        " but encoding is not TRUNCATED_PATH; set encoding: TRUNCATED_PATH "
        "or leave truncated_features at 0"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Encoder>> ChooseEncoder(
    const SearchSpace& space, const PredictorSearchOptions& options,
    absl::string_view owner) {
  if (options.encoding.has_value()) {
    auto encoder =
        MakeEncoder(space, *options.encoding, options.truncated_features);
    if (!encoder.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(owner, ": ", encoder.status().message()));
    }
    return encoder;
  }
  for (EncodingKind kind : options.auto_encodings) {
    if (!HasEncoding(space, kind)) continue;
    auto encoder = MakeEncoder(space, kind);
    if (encoder.ok() && (*encoder)->dimension() <= kMaxAutoEncodingDimension) {
      return encoder;
    }
  }
  return MakeEncoder(space, EncodingKind::kOneHot);
}

std::optional<EncodingKind> EncodingFromProto(PredictorEncoding::Kind kind) {
  switch (kind) {
    case PredictorEncoding::AUTO:
      return std::nullopt;
    case PredictorEncoding::PATH:
      return EncodingKind::kPath;
    case PredictorEncoding::TRUNCATED_PATH:
      return EncodingKind::kTruncatedPath;
    case PredictorEncoding::ADJACENCY:
      return EncodingKind::kAdjacency;
    case PredictorEncoding::ONE_HOT:
      return EncodingKind::kOneHot;
  }
  return std::nullopt;
}

PredictorSearchOptions SearchOptionsFromProto(
    const PredictorSearchLoop& loop,
    AcquisitionFunction::Kind default_acquisition,
    std::vector<EncodingKind> auto_encodings) {
  PredictorSearchOptions options;
  options.num_init = loop.num_init();
  options.queries_per_round = loop.queries_per_round();
  options.candidates.num_candidates = loop.num_candidates();
  options.candidates.num_parents = loop.num_parents();
  options.candidates.max_mutation_steps = loop.max_mutation_steps();
  options.candidates.num_random = loop.num_random_candidates();
  options.acquisition.kind = AcquisitionFromProto(
      loop.has_acquisition() ? loop.acquisition() : default_acquisition);
  options.acquisition.ucb_kappa = loop.ucb_kappa();
  options.encoding = EncodingFromProto(loop.encoding());
  options.auto_encodings = std::move(auto_encodings);
  options.truncated_features = loop.truncated_features();
  return options;
}

NetworkOptions NetworkOptionsFromProto(const PredictorNetwork& network) {
  NetworkOptions options;
  options.num_layers = network.num_layers();
  options.layer_width = network.layer_width();
  options.learning_rate = network.learning_rate();
  options.epochs = network.epochs();
  options.batch_size = network.batch_size();
  return options;
}

AcquisitionKind AcquisitionFromProto(AcquisitionFunction::Kind kind) {
  switch (kind) {
    case AcquisitionFunction::ITS:
      return AcquisitionKind::kIndependentThompson;
    case AcquisitionFunction::UCB:
      return AcquisitionKind::kUpperConfidenceBound;
    case AcquisitionFunction::EI:
      return AcquisitionKind::kExpectedImprovement;
  }
  return AcquisitionKind::kIndependentThompson;
}

absl::Status PredictorSearch::Run(Oracle& oracle, Rng& rng) {
  const SearchSpace& space = oracle.space();
  absl::StatusOr<std::unique_ptr<Encoder>> encoder =
      ChooseEncoder(space, options_, owner_);
  if (!encoder.ok()) return encoder.status();
  const int dim = (*encoder)->dimension();

  DistinctSampler sampler(space);
  std::vector<Evaluated> history;
  std::vector<float> features;  // Row-major encodings of `history`.

  auto query = [&](const Architecture& arch) -> absl::Status {
    sampler.MarkSeen(arch);
    absl::StatusOr<Observation> obs = oracle.Query(arch);
    if (!obs.ok()) return obs.status();
    history.push_back(
        {arch, obs->valid_error, static_cast<int64_t>(history.size())});
    features.resize(features.size() + dim);
    (*encoder)->Encode(arch, features.data() + features.size() - dim);
    return absl::OkStatus();
  };
  // The budget running out ends the run normally.
  auto is_queried = [&](const Architecture& arch) {
    return sampler.Seen(arch);
  };

  for (int i = 0; i < options_.num_init && !oracle.exhausted(); ++i) {
    std::optional<Architecture> arch = sampler.Next(rng);
    if (!arch.has_value()) break;
    absl::Status status = query(*arch);
    if (!status.ok()) return FinishRun(status);
  }

  for (int round = 0; !oracle.exhausted() && !history.empty();) {
    std::vector<Architecture> candidates = GenerateCandidates(
        space, history, is_queried, options_.candidates, rng);
    if (candidates.empty()) {
      std::optional<Architecture> arch = sampler.Next(rng);
      if (!arch.has_value()) return absl::OkStatus();  // Space exhausted.
      absl::Status status = query(*arch);
      if (!status.ok()) return FinishRun(status);
      continue;
    }

    const int n = static_cast<int>(history.size());
    const FeatureMatrix x = Eigen::Map<const FeatureMatrix>(features.data(), n, dim);
    Eigen::VectorXd y(n);
    for (int i = 0; i < n; ++i) y(i) = history[i].valid_error;
    std::unique_ptr<Predictor> predictor = factory_();
    Rng fit_rng(rng.NextU64());
    absl::Status fitted = predictor->Fit(x, y, fit_rng);
    if (!fitted.ok()) {
      return absl::InternalError(
          absl::StrCat(owner_, ": round ", round, ": ", fitted.message()));
    }

    FeatureMatrix candidate_x(static_cast<int>(candidates.size()), dim);
    for (int i = 0; i < static_cast<int>(candidates.size()); ++i) {
      (*encoder)->Encode(candidates[i], candidate_x.row(i).data());
    }
    RoundTrace trace;
    trace.round = round;
    trace.num_training = n;
    trace.predictions = predictor->Predict(candidate_x);
    trace.scores = AcquisitionScores(trace.predictions, y.minCoeff(),
                                     options_.acquisition, rng);
    trace.chosen = LowestScores(trace.scores, options_.queries_per_round);
    if (trace_) {
      trace.candidates = candidates;
      trace_(trace);
    }
    for (int i : trace.chosen) {
      absl::Status status = query(candidates[i]);
      if (!status.ok()) return FinishRun(status);
    }
    ++round;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Algorithm>> NewPredictorSearch(
    std::string owner, PredictorSearchOptions options,
    PredictorFactory factory) {
  absl::Status valid = ValidateSearchOptions(options, owner);
  if (!valid.ok()) return valid;
  return std::make_unique<PredictorSearch>(std::move(owner), std::move(options),
                                           std::move(factory));
}

}  // namespace nas
