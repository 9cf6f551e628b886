#ifndef NASBENCH_HARNESS_RANK_CORRELATION_H_
#define NASBENCH_HARNESS_RANK_CORRELATION_H_

// Rank correlations of paired samples, for `nas correlate` (how well a
// proxy ranks architectures as a benchmark's metric does).

#include <cstdint>

#include "absl/types/span.h"

namespace nas {

// Spearman's rho: Pearson's correlation of the average ranks (ties share
// their mean rank). NaN when either sample is constant or n < 2.
double Spearman(absl::Span<const double> x, absl::Span<const double> y);

// Kendall's tau-b (ties in x or y corrected for), by Knight's O(n log n)
// merge-sort count. NaN when either sample is constant or n < 2.
double KendallTauB(absl::Span<const double> x, absl::Span<const double> y);

struct RankCorrelation {
  int64_t n = 0;
  double spearman = 0, spearman_low = 0, spearman_high = 0;
  double kendall = 0, kendall_low = 0, kendall_high = 0;
};

// Both coefficients with percentile bootstrap 95% intervals: `resamples`
// resamples of the pairs with replacement, drawn from a stream seeded by
// `seed` (equal inputs, equal intervals). No intervals (NaN) when
// resamples is 0.
RankCorrelation CorrelateRanks(absl::Span<const double> x,
                               absl::Span<const double> y, int resamples,
                               uint64_t seed);

}  // namespace nas

#endif  // NASBENCH_HARNESS_RANK_CORRELATION_H_
