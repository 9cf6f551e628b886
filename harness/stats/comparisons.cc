#include "harness/stats/comparisons.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "boost/math/distributions/normal.hpp"
#include "core/random.h"
#include "harness/stats/stats.h"

namespace nas {

Interval BootstrapMeanInterval(absl::Span<const double> values,
                               double confidence, int resamples,
                               uint64_t seed) {
  Rng rng(seed);
  const size_t n = values.size();
  std::vector<double> means(resamples);
  for (int r = 0; r < resamples; ++r) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += values[rng.UniformInt(n)];
    means[r] = sum / static_cast<double>(n);
  }
  const double alpha = 1 - confidence;
  return {Quantile(means, alpha / 2), Quantile(means, 1 - alpha / 2)};
}

std::vector<double> AverageRanks(absl::Span<const double> values) {
  const size_t n = values.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && values[order[j + 1]] == values[order[i]]) ++j;
    const double rank = (static_cast<double>(i + j) / 2) + 1;  // 1-based.
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

WilcoxonResult WilcoxonSignedRank(absl::Span<const double> x,
                                  absl::Span<const double> y) {
  std::vector<double> diffs;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (x[i] != y[i]) diffs.push_back(x[i] - y[i]);
  }
  WilcoxonResult result;
  result.n = static_cast<int>(diffs.size());
  if (result.n == 0) return result;  // No evidence either way: p = 1.

  std::vector<double> magnitudes(diffs.size());
  for (size_t i = 0; i < diffs.size(); ++i) magnitudes[i] = std::fabs(diffs[i]);
  const std::vector<double> ranks = AverageRanks(magnitudes);
  bool ties = false;
  for (double r : ranks) ties |= r != std::floor(r);
  for (size_t i = 0; i < diffs.size(); ++i) {
    (diffs[i] > 0 ? result.w_plus : result.w_minus) += ranks[i];
  }
  const int n = result.n;
  const double total = n * (n + 1) / 2.0;

  if (n <= 25 && !ties) {
    // counts[s] = number of sign patterns whose positive ranks sum to s.
    std::vector<double> counts(static_cast<size_t>(total) + 1, 0);
    counts[0] = 1;
    for (int rank = 1; rank <= n; ++rank) {
      for (int s = static_cast<int>(total); s >= rank; --s) {
        counts[s] += counts[s - rank];
      }
    }
    const double patterns = std::ldexp(1.0, n);
    const double w = std::min(result.w_plus, result.w_minus);
    double tail = 0;
    for (int s = 0; s <= static_cast<int>(w); ++s) tail += counts[s];
    result.p_value = std::min(1.0, 2 * tail / patterns);
    result.exact = true;
    return result;
  }
  // Normal approximation; variance reduced for ties.
  double tie_term = 0;
  {
    std::vector<double> sorted = ranks;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size();) {
      size_t j = i;
      while (j + 1 < sorted.size() && sorted[j + 1] == sorted[i]) ++j;
      const double t = static_cast<double>(j - i + 1);
      tie_term += t * t * t - t;
      i = j + 1;
    }
  }
  const double mean = total / 2;
  const double variance = n * (n + 1) * (2 * n + 1) / 24.0 - tie_term / 48.0;
  const double deviation = result.w_plus - mean;
  const double corrected =
      std::max(0.0, std::fabs(deviation) - 0.5);  // Continuity correction.
  result.z = variance > 0 ? std::copysign(corrected / std::sqrt(variance),
                                          deviation)
                          : 0;
  boost::math::normal standard;
  result.p_value = variance > 0
                       ? std::min(1.0, 2 * boost::math::cdf(boost::math::complement(
                                               standard, std::fabs(result.z))))
                       : 1.0;
  return result;
}

std::vector<double> HolmAdjust(absl::Span<const double> p_values) {
  const size_t m = p_values.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return p_values[a] < p_values[b];
  });
  std::vector<double> adjusted(m);
  double running = 0;
  for (size_t k = 0; k < m; ++k) {
    const double candidate =
        std::min(1.0, static_cast<double>(m - k) * p_values[order[k]]);
    running = std::max(running, candidate);
    adjusted[order[k]] = running;
  }
  return adjusted;
}

std::vector<std::vector<PairedComparison>> CompareWithReference(
    const SeedValues& values, int reference) {
  const double nan = std::nan("");
  std::vector<std::vector<PairedComparison>> out;
  std::vector<PairedComparison*> tested;
  std::vector<double> p_values;
  for (const auto& benchmark : values) {
    out.emplace_back(benchmark.size(), PairedComparison{0, nan, nan, nan});
  }
  for (size_t b = 0; b < values.size(); ++b) {
    for (size_t a = 0; a < values[b].size(); ++a) {
      if (static_cast<int>(a) == reference) continue;
      std::vector<double> x, y;
      const std::vector<double>& mine = values[b][a];
      const std::vector<double>& ref = values[b][reference];
      for (size_t s = 0; s < mine.size() && s < ref.size(); ++s) {
        if (std::isnan(mine[s]) || std::isnan(ref[s])) continue;
        x.push_back(mine[s]);
        y.push_back(ref[s]);
      }
      if (x.empty()) continue;
      PairedComparison& c = out[b][a];
      c.n = static_cast<int>(x.size());
      c.mean_difference = Mean(x) - Mean(y);
      c.p_value = WilcoxonSignedRank(x, y).p_value;
      tested.push_back(&c);
      p_values.push_back(c.p_value);
    }
  }
  const std::vector<double> adjusted = HolmAdjust(p_values);
  for (size_t i = 0; i < tested.size(); ++i) tested[i]->p_holm = adjusted[i];
  return out;
}

std::vector<double> AverageRanksOfPresent(absl::Span<const double> values) {
  std::vector<double> present;
  for (double v : values) {
    if (!std::isnan(v)) present.push_back(v);
  }
  const std::vector<double> within = AverageRanks(present);
  std::vector<double> out(values.size(), std::nan(""));
  for (size_t i = 0, k = 0; i < values.size(); ++i) {
    if (!std::isnan(values[i])) out[i] = within[k++];
  }
  return out;
}

double AreaUnderCurve(absl::Span<const double> best_so_far, int64_t horizon) {
  if (best_so_far.empty() || horizon < 1) return std::nan("");
  double sum = 0;
  for (int64_t i = 0; i < horizon; ++i) {
    const size_t index =
        std::min(static_cast<size_t>(i), best_so_far.size() - 1);
    sum += best_so_far[index];
  }
  return sum / static_cast<double>(horizon);
}

int64_t QueriesToReach(absl::Span<const double> best_so_far, double target) {
  for (size_t i = 0; i < best_so_far.size(); ++i) {
    if (best_so_far[i] <= target) return static_cast<int64_t>(i) + 1;
  }
  return -1;
}

}  // namespace nas
