#include "landscape/sampling.h"

#include <algorithm>
#include <cmath>

#include "landscape/graph.h"

namespace nas {
namespace {

constexpr uint64_t kWalkSalt = 0x77616c6b73ULL;   // "walks"
constexpr uint64_t kNoiseSalt = 0x6e6f697365ULL;  // "noise"

double Loss(const Objective& objective, const Architecture& arch, Rng* noise) {
  const int full = static_cast<int>(objective.fidelities().size()) - 1;
  return objective.Evaluate(arch, full, noise).valid_error;
}

Architecture Start(const SearchSpace& space, const SamplingOptions& options,
                   Rng& rng) {
  if (options.population != nullptr && !options.population->empty()) {
    return (*options.population)[rng.UniformInt(options.population->size())];
  }
  return space.Sample(rng);
}

const Objective& Pick(const Objective& objective,
                      const SamplingOptions& options, int64_t i) {
  if (options.objectives.empty()) return objective;
  return *options.objectives[static_cast<size_t>(i) % options.objectives.size()];
}

}  // namespace

Climb ClimbFrom(const SearchSpace& space, const Objective& objective,
                const Architecture& start, Rng* noise) {
  Climb climb;
  climb.start = start;
  climb.start_loss = Loss(objective, start, noise);
  climb.evaluations = 1;
  Architecture current = start;
  double current_loss = climb.start_loss;
  std::vector<Architecture> neighbors;
  while (true) {
    space.Neighbors(current, &neighbors);
    const Architecture* best = nullptr;
    double best_loss = current_loss;
    for (const Architecture& n : neighbors) {
      const double l = Loss(objective, n, noise);
      ++climb.evaluations;
      if (l < best_loss || (best != nullptr && l == best_loss && n < *best)) {
        best = &n;
        best_loss = l;
      }
    }
    if (best == nullptr) break;
    current = *best;
    current_loss = best_loss;
    ++climb.steps;
  }
  climb.end = current;
  climb.end_loss = current_loss;
  return climb;
}

SampledLandscape SampleLandscape(const SearchSpace& space,
                                 const Objective& objective,
                                 const SamplingOptions& options) {
  SampledLandscape out;
  const bool noisy = objective.is_noisy();
  out.climbs.resize(options.climbs);
  std::vector<std::vector<std::pair<double, double>>> pairs(options.climbs);
  std::vector<int> degrees(options.climbs);
  ParallelFor(options.climbs, options.threads, [&](int64_t begin, int64_t end) {
    std::vector<Architecture> neighbors;
    for (int64_t i = begin; i < end; ++i) {
      Rng rng(HashCombine(options.seed, static_cast<uint64_t>(i)));
      Rng noise = rng.Fork(kNoiseSalt);
      const Architecture start = Start(space, options, rng);
      const Objective& o = Pick(objective, options, i);
      out.climbs[i] = ClimbFrom(space, o, start, noisy ? &noise : nullptr);
      // The first expansion again, for the neighbour pairs (cheap next to
      // the climb; keeps ClimbFrom simple).
      space.Neighbors(start, &neighbors);
      degrees[i] = static_cast<int>(neighbors.size());
      for (const Architecture& n : neighbors) {
        pairs[i].emplace_back(out.climbs[i].start_loss,
                              Loss(o, n, noisy ? &noise : nullptr));
      }
    }
  });
  double degree_sum = 0;
  for (int i = 0; i < options.climbs; ++i) {
    out.start_losses.push_back(out.climbs[i].start_loss);
    out.neighbour_pairs.insert(out.neighbour_pairs.end(), pairs[i].begin(),
                               pairs[i].end());
    degree_sum += degrees[i];
  }
  out.mean_degree = options.climbs > 0 ? degree_sum / options.climbs : 0;

  // Random walks: f along each, then correlations across walks per lag.
  const int length = options.max_lag;
  std::vector<std::vector<double>> walks(options.walks);
  ParallelFor(options.walks, options.threads, [&](int64_t begin, int64_t end) {
    for (int64_t j = begin; j < end; ++j) {
      Rng rng(HashCombine(options.seed ^ kWalkSalt, static_cast<uint64_t>(j)));
      Rng noise = rng.Fork(kNoiseSalt);
      const Objective& o = Pick(objective, options, j);
      Architecture x = Start(space, options, rng);
      std::vector<double>& f = walks[j];
      f.reserve(length + 1);
      f.push_back(Loss(o, x, noisy ? &noise : nullptr));
      for (int t = 0; t < length; ++t) {
        x = space.Mutate(x, rng);
        f.push_back(Loss(o, x, noisy ? &noise : nullptr));
      }
    }
  });
  // Per objective (replicate), then averaged: pooling walks of different
  // replicates would add the spread between their means to both variances.
  const size_t groups = std::max<size_t>(1, options.objectives.size());
  for (int k = 1; k <= length; ++k) {
    double sum_r = 0;
    int counted = 0;
    for (size_t g = 0; g < groups; ++g) {
      double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, m = 0;
      for (size_t j = g; j < walks.size(); j += groups) {
        const double a = walks[j][0], b = walks[j][k];
        sa += a;
        sb += b;
        saa += a * a;
        sbb += b * b;
        sab += a * b;
        ++m;
      }
      if (m < 2) continue;
      const double cov = sab / m - (sa / m) * (sb / m);
      const double va = saa / m - (sa / m) * (sa / m);
      const double vb = sbb / m - (sb / m) * (sb / m);
      if (va > 0 && vb > 0) {
        sum_r += cov / std::sqrt(va * vb);
        ++counted;
      }
    }
    out.walk_autocorrelation.push_back(counted > 0 ? sum_r / counted
                                                   : std::nan(""));
  }
  return out;
}

}  // namespace nas
