#ifndef NASBENCH_LANDSCAPE_SAMPLING_H_
#define NASBENCH_LANDSCAPE_SAMPLING_H_

#include <cstdint>
#include <vector>

#include "landscape/densities.h"
#include "objectives/objective.h"
#include "spaces/search_space.h"

namespace nas {

// Landscape statistics measured by simulation, through the objective and
// the space's Neighbors() only: works on any space, including those too
// large to enumerate (DARTS), and on enumerable ones it checks the exact
// analysis independently.
struct SamplingOptions {
  int climbs = 2000;   // Climbs from independent uniform random starts.
  int walks = 10000;   // Random walks of max_lag steps from uniform starts.
  int max_lag = 10;    // Autocorrelation lags 1 .. max_lag.
  uint64_t seed = 0;
  int threads = 1;        // Results do not depend on it.
  // When set (enumerable spaces), starts are drawn uniformly from these
  // architectures instead of from Sample(), so the simulation measures the
  // same quantities as the exact analysis (uniform over architectures;
  // NAS-Bench-101's Sample() is uniform over raw specs instead).
  const std::vector<Architecture>* population = nullptr;
  // When non-empty, climb i and walk j run on objectives[i % size] and
  // objectives[j % size] instead of the objective passed in (replicates of
  // a seeded objective: the simulation then estimates their average).
  std::vector<const Objective*> objectives;
};

// One climb of best-improvement local search with exact.h's tie rule: move
// to the best neighbour while it is strictly better than the current
// architecture; equally good best neighbours are ordered by canonical genes.
struct Climb {
  Architecture start;
  Architecture end;  // LS*(start).
  double start_loss = 0;
  double end_loss = 0;
  int steps = 0;
  int64_t evaluations = 0;  // Objective calls, the start included.
};

struct SampledLandscape {
  std::vector<Climb> climbs;
  // Losses of the climbs' starts (uniform samples: the data for pdf_n) and
  // (start, neighbour) loss pairs from their first expansion (the data for
  // pdf_e), in raw units.
  std::vector<double> start_losses;
  std::vector<std::pair<double, double>> neighbour_pairs;
  double mean_degree = 0;  // Mean neighbourhood size at the starts.
  // r(k) = Pearson correlation over the walks of f(X_0) and f(X_k), X_0
  // uniform (the population, or Sample()), each step a uniform neighbour
  // (Mutate()): the estimand of ExactWalkAutocorrelation. Many short walks
  // rather than one long one: on spaces whose neighbourhood is not
  // symmetric (NAS-Bench-101: pruning removes vertices that edge additions
  // cannot restore) a long walk drifts into small cells and stalls at the
  // isolated input->output cell, so its time average measures that drift.
  // With several objectives: the mean of their correlations.
  std::vector<double> walk_autocorrelation;
};

// Climb i starts with Rng(HashCombine(seed, i)); walk j with
// Rng(HashCombine(seed ^ walk salt, j)): results are the same for any
// thread count.
SampledLandscape SampleLandscape(const SearchSpace& space,
                                 const Objective& objective,
                                 const SamplingOptions& options);

// One climb from `start` (valid, canonical). Noisy objectives draw from
// `noise` (may be nullptr for deterministic ones).
Climb ClimbFrom(const SearchSpace& space, const Objective& objective,
                const Architecture& start, Rng* noise);

}  // namespace nas

#endif  // NASBENCH_LANDSCAPE_SAMPLING_H_
