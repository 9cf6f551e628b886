#ifndef NASBENCH_HARNESS_STATS_STATS_H_
#define NASBENCH_HARNESS_STATS_STATS_H_

#include <vector>

#include "absl/types/span.h"

namespace nas {

// Descriptive statistics of a sample, with a Student-t 95% confidence
// interval for the mean. Fields that need two or more values are NaN for a
// single value.
struct SampleSummary {
  int n = 0;
  double mean = 0;
  double std_dev = 0;    // Sample standard deviation (n - 1 denominator).
  double std_error = 0;  // std_dev / sqrt(n).
  double ci95_low = 0;
  double ci95_high = 0;
  double median = 0;
};

// `values` must be non-empty.
SampleSummary Summarize(absl::Span<const double> values);

// Two-sided Student-t quantile: t such that P(|T_df| <= t) = confidence.
double StudentTCritical(double confidence, int degrees_of_freedom);

double Mean(absl::Span<const double> values);
double SampleStdDev(absl::Span<const double> values);
// The same, bit for bit, given `mean` == Mean(values): for callers that
// need the mean too (the sums are the cost).
double SampleStdDev(absl::Span<const double> values, double mean);
// Linear interpolation between order statistics (type 7, as numpy/R); NaN
// for no values.
double Quantile(absl::Span<const double> values, double q);

}  // namespace nas

#endif  // NASBENCH_HARNESS_STATS_STATS_H_
