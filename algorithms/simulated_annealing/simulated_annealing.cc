#include "algorithms/simulated_annealing/simulated_annealing.h"

#include <cmath>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/common/distinct_sampler.h"
#include "algorithms/common/query_cache.h"

namespace nas {
namespace {

NAS_REGISTER_ALGORITHM_CLASS(
    "simulated_annealing",
    "Random-neighbour proposals, Metropolis acceptance, geometric cooling "
    "from a temperature scaled to the initial samples; restarts when cold",
    SimulatedAnnealing, SimulatedAnnealingParams);

absl::Status Invalid(const char* field, double value, const char* rule) {
  return absl::InvalidArgumentError(
      absl::StrCat("simulated_annealing: ", field, " is ", value, "; ", rule));
}

// Sample standard deviation; 0 for fewer than two values.
double StandardDeviation(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  double mean = 0;
  for (double v : values) mean += v;
  mean /= values.size();
  double sum_sq = 0;
  for (double v : values) sum_sq += (v - mean) * (v - mean);
  return std::sqrt(sum_sq / (values.size() - 1));
}

}  // namespace

bool MetropolisAccept(double delta, double temperature, Rng& rng) {
  if (delta <= 0) return true;
  if (!(temperature > 0)) return false;
  return rng.UniformDouble() < std::exp(-delta / temperature);
}

absl::StatusOr<std::unique_ptr<SimulatedAnnealing>> SimulatedAnnealing::New(
    const SimulatedAnnealingParams& params) {
  if (params.num_init() < 1) {
    return Invalid("num_init", params.num_init(),
                   "it must be at least 1 (the default is 10)");
  }
  if (!(params.initial_temperature() >= 0) ||
      !std::isfinite(params.initial_temperature())) {
    return Invalid("initial_temperature", params.initial_temperature(),
                   "it must be finite and >= 0 (0 selects "
                   "relative_initial_temperature)");
  }
  if (!(params.relative_initial_temperature() > 0) ||
      !std::isfinite(params.relative_initial_temperature())) {
    return Invalid("relative_initial_temperature",
                   params.relative_initial_temperature(),
                   "it must be finite and > 0 (the default is 1)");
  }
  if (!(params.cooling_rate() > 0 && params.cooling_rate() < 1)) {
    return Invalid("cooling_rate", params.cooling_rate(),
                   "it must lie strictly between 0 and 1 (the default is "
                   "0.95)");
  }
  if (!(params.final_temperature_fraction() > 0 &&
        params.final_temperature_fraction() < 1)) {
    return Invalid("final_temperature_fraction",
                   params.final_temperature_fraction(),
                   "it must lie strictly between 0 and 1 (the default is "
                   "0.01)");
  }
  return std::unique_ptr<SimulatedAnnealing>(new SimulatedAnnealing(params));
}

int64_t SimulatedAnnealing::proposals_per_run() const {
  const double steps =
      std::ceil(std::log(params_.final_temperature_fraction()) /
                std::log(params_.cooling_rate()));
  return std::max<int64_t>(1, static_cast<int64_t>(steps));
}

absl::Status SimulatedAnnealing::Run(Oracle& oracle, Rng& rng) {
  const SearchSpace& space = oracle.space();
  QueryCache cache(oracle);
  DistinctSampler sampler(space);  // Seen = queried.
  const int64_t proposals = proposals_per_run();
  double initial_temperature = params_.initial_temperature();

  while (true) {
    // A run's start: the best of num_init fresh architectures.
    Architecture current;
    double current_error = 0;
    std::vector<double> init_errors;
    for (int i = 0; i < params_.num_init(); ++i) {
      std::optional<Architecture> arch = sampler.Next(rng);
      if (!arch.has_value()) break;
      absl::StatusOr<QueryCache::Result> result = cache.Evaluate(*arch);
      if (!result.ok()) return FinishRun(result.status());
      if (init_errors.empty() || result->valid_error < current_error) {
        current = *arch;
        current_error = result->valid_error;
      }
      init_errors.push_back(result->valid_error);
    }
    if (init_errors.empty()) return absl::OkStatus();  // Space exhausted.
    if (initial_temperature == 0) {
      const double spread = StandardDeviation(init_errors);
      initial_temperature =
          params_.relative_initial_temperature() * (spread > 0 ? spread : 1.0);
    }

    double temperature = initial_temperature;
    for (int64_t step = 0; step < proposals; ++step) {
      const Architecture proposal = space.Mutate(current, rng);
      absl::StatusOr<QueryCache::Result> result = cache.Evaluate(proposal);
      if (!result.ok()) return FinishRun(result.status());
      if (result->queried) sampler.MarkSeen(proposal);
      const bool accepted = MetropolisAccept(
          result->valid_error - current_error, temperature, rng);
      if (trace_ != nullptr) {
        trace_->push_back({current, current_error, proposal,
                           result->valid_error, temperature, accepted,
                           result->queried});
      }
      if (accepted) {
        current = proposal;
        current_error = result->valid_error;
      }
      temperature *= params_.cooling_rate();
    }
  }
}

}  // namespace nas
