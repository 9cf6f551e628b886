#include "harness/rank_correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include "core/random.h"
#include "harness/stats/comparisons.h"
#include "harness/stats/stats.h"

namespace nas {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx == 0 || syy == 0) return kNaN;
  return sxy / std::sqrt(sxx * syy);
}

// Pairs tied in a run of equal keys: sum of t (t - 1) / 2 over runs.
template <typename Equal>
int64_t TiedPairs(size_t n, Equal equal) {
  int64_t pairs = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && equal(i, j)) ++j;
    const int64_t t = static_cast<int64_t>(j - i);
    pairs += t * (t - 1) / 2;
    i = j;
  }
  return pairs;
}

// Sorts `v` ascending and returns the number of inversions it had.
int64_t SortCountingInversions(std::vector<double>& v) {
  std::vector<double> buffer(v.size());
  int64_t inversions = 0;
  for (size_t width = 1; width < v.size(); width *= 2) {
    for (size_t lo = 0; lo < v.size(); lo += 2 * width) {
      const size_t mid = std::min(lo + width, v.size());
      const size_t hi = std::min(lo + 2 * width, v.size());
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (v[j] < v[i]) {
          inversions += static_cast<int64_t>(mid - i);
          buffer[k++] = v[j++];
        } else {
          buffer[k++] = v[i++];
        }
      }
      while (i < mid) buffer[k++] = v[i++];
      while (j < hi) buffer[k++] = v[j++];
    }
    std::swap(v, buffer);
  }
  return inversions;
}

}  // namespace

double Spearman(absl::Span<const double> x, absl::Span<const double> y) {
  if (x.size() < 2 || x.size() != y.size()) return kNaN;
  return Pearson(AverageRanks(x), AverageRanks(y));
}

double KendallTauB(absl::Span<const double> x, absl::Span<const double> y) {
  const size_t n = x.size();
  if (n < 2 || n != y.size()) return kNaN;
  std::vector<std::pair<double, double>> pairs(n);
  for (size_t i = 0; i < n; ++i) pairs[i] = {x[i], y[i]};
  std::sort(pairs.begin(), pairs.end());
  const int64_t tied_x = TiedPairs(
      n, [&](size_t a, size_t b) { return pairs[a].first == pairs[b].first; });
  const int64_t tied_xy =
      TiedPairs(n, [&](size_t a, size_t b) { return pairs[a] == pairs[b]; });
  std::vector<double> ys(n);
  for (size_t i = 0; i < n; ++i) ys[i] = pairs[i].second;
  // Sorted by x (then y), every inversion of y is a discordant pair.
  const int64_t discordant = SortCountingInversions(ys);
  const int64_t tied_y =
      TiedPairs(n, [&](size_t a, size_t b) { return ys[a] == ys[b]; });
  const int64_t total = static_cast<int64_t>(n) * (static_cast<int64_t>(n) - 1) / 2;
  const double denominator = std::sqrt(static_cast<double>(total - tied_x) *
                                       static_cast<double>(total - tied_y));
  if (denominator == 0) return kNaN;
  const int64_t concordant_minus_discordant =
      total - tied_x - tied_y + tied_xy - 2 * discordant;
  return static_cast<double>(concordant_minus_discordant) / denominator;
}

RankCorrelation CorrelateRanks(absl::Span<const double> x,
                               absl::Span<const double> y, int resamples,
                               uint64_t seed) {
  RankCorrelation result;
  result.n = static_cast<int64_t>(x.size());
  result.spearman = Spearman(x, y);
  result.kendall = KendallTauB(x, y);
  result.spearman_low = result.spearman_high = kNaN;
  result.kendall_low = result.kendall_high = kNaN;
  if (resamples <= 0 || x.size() < 2) return result;
  Rng rng(seed);
  std::vector<double> spearman, kendall, xs(x.size()), ys(x.size());
  for (int r = 0; r < resamples; ++r) {
    for (size_t i = 0; i < x.size(); ++i) {
      const size_t j = rng.UniformInt(x.size());
      xs[i] = x[j];
      ys[i] = y[j];
    }
    // A resample of constant values has no correlation; it is left out.
    const double s = Spearman(xs, ys), k = KendallTauB(xs, ys);
    if (!std::isnan(s)) spearman.push_back(s);
    if (!std::isnan(k)) kendall.push_back(k);
  }
  if (!spearman.empty()) {
    result.spearman_low = Quantile(spearman, 0.025);
    result.spearman_high = Quantile(spearman, 0.975);
  }
  if (!kendall.empty()) {
    result.kendall_low = Quantile(kendall, 0.025);
    result.kendall_high = Quantile(kendall, 0.975);
  }
  return result;
}

}  // namespace nas
