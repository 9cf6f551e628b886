#include "harness/stats/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "boost/math/distributions/students_t.hpp"

namespace nas {

double Mean(absl::Span<const double> values) {
  // Kahan summation: means over many seeds stay exact to the last digits
  // whatever the order of magnitudes.
  double sum = 0, compensation = 0;
  for (double v : values) {
    const double y = v - compensation;
    const double t = sum + y;
    compensation = (t - sum) - y;
    sum = t;
  }
  return sum / static_cast<double>(values.size());
}

double SampleStdDev(absl::Span<const double> values) {
  if (values.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  return SampleStdDev(values, Mean(values));
}

double SampleStdDev(absl::Span<const double> values, double mean) {
  if (values.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  double sum_sq = 0;
  for (double v : values) sum_sq += (v - mean) * (v - mean);
  return std::sqrt(sum_sq / static_cast<double>(values.size() - 1));
}

double Quantile(absl::Span<const double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  // The two order statistics around the position, by selection rather than
  // a full sort (bootstraps take quantiles of thousands of means).
  std::vector<double> copy(values.begin(), values.end());
  const double position = q * static_cast<double>(copy.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, copy.size() - 1);
  const double fraction = position - static_cast<double>(below);
  std::nth_element(copy.begin(), copy.begin() + below, copy.end());
  const double low = copy[below];
  const double high = above == below
                          ? low
                          : *std::min_element(copy.begin() + above, copy.end());
  return low + fraction * (high - low);
}

double StudentTCritical(double confidence, int degrees_of_freedom) {
  boost::math::students_t distribution(degrees_of_freedom);
  return boost::math::quantile(distribution, 0.5 + confidence / 2);
}

SampleSummary Summarize(absl::Span<const double> values) {
  SampleSummary s;
  s.n = static_cast<int>(values.size());
  s.mean = Mean(values);
  s.median = Quantile(values, 0.5);
  s.std_dev = SampleStdDev(values, s.mean);
  s.std_error = s.std_dev / std::sqrt(static_cast<double>(s.n));
  if (s.n >= 2) {
    const double half = StudentTCritical(0.95, s.n - 1) * s.std_error;
    s.ci95_low = s.mean - half;
    s.ci95_high = s.mean + half;
  } else {
    s.ci95_low = s.ci95_high = std::numeric_limits<double>::quiet_NaN();
  }
  return s;
}

}  // namespace nas
