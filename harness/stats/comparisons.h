#ifndef NASBENCH_HARNESS_STATS_COMPARISONS_H_
#define NASBENCH_HARNESS_STATS_COMPARISONS_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace nas {

// Percentile bootstrap interval for the mean: `resamples` resamples with
// replacement drawn from a stream seeded by `seed` (the same inputs always
// give the same interval). `values` must be non-empty.
struct Interval {
  double low = 0;
  double high = 0;
};
Interval BootstrapMeanInterval(absl::Span<const double> values,
                               double confidence, int resamples,
                               uint64_t seed);

// Wilcoxon signed-rank test of paired samples x and y (x[i] pairs with y[i]),
// two-sided, for H0: the differences are symmetric about zero. Zero
// differences are dropped (Wilcoxon's convention); tied |differences| get
// average ranks. Exact p-value (enumerating all sign patterns through the
// distribution of rank sums) when at most 25 non-zero differences remain and
// there are no ties; otherwise the normal approximation with tie correction
// and continuity correction.
struct WilcoxonResult {
  int n = 0;              // Non-zero differences used.
  double w_plus = 0;      // Sum of ranks of positive differences (x > y).
  double w_minus = 0;
  double z = 0;           // Normal statistic (0 when exact).
  double p_value = 1;
  bool exact = false;
};
WilcoxonResult WilcoxonSignedRank(absl::Span<const double> x,
                                  absl::Span<const double> y);

// Holm-Bonferroni step-down adjustment: adjusted p-values in input order,
// monotone and capped at 1.
std::vector<double> HolmAdjust(absl::Span<const double> p_values);

// Per-seed values of every (benchmark, algorithm) at one checkpoint:
// values[b][a][s], NaN where a seed has none (not run, failed, no value
// yet). Seed s of one algorithm pairs with seed s of another (common
// random numbers).
using SeedValues = std::vector<std::vector<std::vector<double>>>;

// One algorithm against the reference on one benchmark, over the seeds
// both have values for: mean(x) - mean(y) over those seeds, and the
// Wilcoxon signed-rank p-value, raw and Holm-adjusted over every
// comparison of the call. n == 0 (and NaN p-values) for the reference
// itself and where no seed pairs.
struct PairedComparison {
  int n = 0;
  double mean_difference = 0;
  double p_value = 0;
  double p_holm = 0;
};
// [b][a]: every algorithm against `reference`, the leaderboards' tests.
std::vector<std::vector<PairedComparison>> CompareWithReference(
    const SeedValues& values, int reference);

// Ranks 1..n of `values` (lowest = 1), ties sharing their average rank.
std::vector<double> AverageRanks(absl::Span<const double> values);
// AverageRanks among the values that are not NaN; NaN stays NaN.
std::vector<double> AverageRanksOfPresent(absl::Span<const double> values);

// Anytime performance: the mean of a best-so-far curve over its first
// `horizon` points (the normalised area under it; lower is better for
// errors). A curve shorter than `horizon` is extended with its last value.
double AreaUnderCurve(absl::Span<const double> best_so_far, int64_t horizon);

// 1-based index of the first point of `best_so_far` at or below `target`,
// or -1 if it never gets there.
int64_t QueriesToReach(absl::Span<const double> best_so_far, double target);

}  // namespace nas

#endif  // NASBENCH_HARNESS_STATS_COMPARISONS_H_
