#include "landscape/densities.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_format.h"
#include "boost/math/distributions/normal.hpp"
#include "boost/math/tools/minima.hpp"
#include "core/check.h"

namespace nas {
namespace {

const boost::math::normal_distribution<double> kStandardNormal(0.0, 1.0);

double Phi(double z) { return boost::math::cdf(kStandardNormal, z); }
double PhiDensity(double z) { return boost::math::pdf(kStandardNormal, z); }

// Mass of N(mean, sd^2) on [0, 1].
double NormalMassOnUnit(double mean, double sd) {
  return Phi((1 - mean) / sd) - Phi(-mean / sd);
}

// Linear binning of values in [0, 1] onto bins+1 nodes j/bins.
std::vector<double> LinearBins(absl::Span<const double> values, int bins) {
  std::vector<double> counts(bins + 1, 0);
  for (double v : values) {
    const double p = std::min(std::max(v, 0.0), 1.0) * bins;
    const int j = std::min(static_cast<int>(p), bins - 1);
    const double t = p - j;
    counts[j] += 1 - t;
    counts[j + 1] += t;
  }
  return counts;
}

// The Gaussian kernel of bandwidth h between node i of a grid of `out`
// intervals and node j of a grid of `bins` intervals on [0, 1] (bins a
// multiple of out), reflected at 0 and 1: K(x - t) + K(x + t) + K(x - 2 + t).
// Every argument is an integer multiple of 1/bins, so K is tabulated once.
class ReflectedKernel {
 public:
  ReflectedKernel(int out, int bins, double h)
      : ratio_(bins / out), bins_(bins), table_(3 * bins + 1) {
    const boost::math::normal_distribution<double> kernel(0.0, h);
    for (int k = 0; k <= 3 * bins; ++k) {
      const double d = static_cast<double>(k) / bins;
      table_[k] = d > 12 * h ? 0 : boost::math::pdf(kernel, d);
    }
  }
  double operator()(int i, int j) const {
    const int x = i * ratio_;
    return At(x - j) + At(x + j) + At(x + j - 2 * bins_);
  }

 private:
  double At(int k) const { return table_[std::abs(k)]; }
  int ratio_, bins_;
  std::vector<double> table_;
};

double SampleSd(absl::Span<const double> v) {
  double mean = 0;
  for (double x : v) mean += x;
  mean /= v.size();
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / std::max<size_t>(1, v.size() - 1));
}

}  // namespace

double UniformDensity::Cdf(double x) const {
  return std::min(std::max(x, 0.0), 1.0);
}

TruncatedNormalDensity::TruncatedNormalDensity(double mean, double sd)
    : mean_(mean), sd_(sd) {
  if (!(sd > 0))
    InternalError("landscape densities", "truncated normal needs sd > 0");
  mass_ = NormalMassOnUnit(mean, sd);
  cdf_at_zero_ = Phi(-mean / sd);
  if (!(mass_ > 0))
    InternalError("landscape densities",
                  "truncated normal has no mass on [0, 1]");
}

double TruncatedNormalDensity::Pdf(double x) const {
  if (x < 0 || x > 1) return 0;
  return PhiDensity((x - mean_) / sd_) / sd_ / mass_;
}

double TruncatedNormalDensity::Cdf(double x) const {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return (Phi((x - mean_) / sd_) - cdf_at_zero_) / mass_;
}

std::string TruncatedNormalDensity::Describe() const {
  return absl::StrFormat("truncated normal, mean %.3f, sd %.3f", mean_, sd_);
}

GridDensity::GridDensity(std::vector<double> node_values,
                         std::string description)
    : values_(std::move(node_values)), description_(std::move(description)) {
  if (values_.size() < 2)
    InternalError("landscape densities", "grid density needs two nodes");
  const double step = 1.0 / (values_.size() - 1);
  cumulative_.assign(values_.size(), 0);
  for (size_t i = 1; i < values_.size(); ++i) {
    if (values_[i] < 0 || values_[i - 1] < 0)
      InternalError("landscape densities", "negative grid density");
    cumulative_[i] = cumulative_[i - 1] + step * (values_[i] + values_[i - 1]) / 2;
  }
  const double total = cumulative_.back();
  if (!(total > 0))
    InternalError("landscape densities", "grid density without mass");
  for (double& v : values_) v /= total;
  for (double& c : cumulative_) c /= total;
}

double GridDensity::Pdf(double x) const {
  if (x < 0 || x > 1) return 0;
  const int intervals = static_cast<int>(values_.size()) - 1;
  const double p = x * intervals;
  const int i = std::min(static_cast<int>(p), intervals - 1);
  const double t = p - i;
  return values_[i] * (1 - t) + values_[i + 1] * t;
}

double GridDensity::Cdf(double x) const {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const int intervals = static_cast<int>(values_.size()) - 1;
  const double step = 1.0 / intervals;
  const double p = x * intervals;
  const int i = std::min(static_cast<int>(p), intervals - 1);
  const double t = p - i;
  // Integral of the linear piece from node i to x.
  const double partial = step * t * (values_[i] + (values_[i] + t * (values_[i + 1] - values_[i]))) / 2;
  return cumulative_[i] + partial;
}

void NeighbourDensity::Pdfs(double x, absl::Span<const double> y,
                            double* out) const {
  for (size_t k = 0; k < y.size(); ++k) out[k] = Pdf(x, y[k]);
}

void NeighbourDensity::UpperTails(double x, absl::Span<const double> from,
                                  double* out) const {
  for (size_t k = 0; k < from.size(); ++k) out[k] = UpperTail(x, from[k]);
}

double UniformNeighbourDensity::UpperTail(double /*x*/, double from) const {
  return 1 - std::min(std::max(from, 0.0), 1.0);
}

TruncatedNormalNeighbourDensity::TruncatedNormalNeighbourDensity(double sd)
    : sd_(sd) {
  if (!(sd > 0))
    InternalError("landscape densities", "truncated normal needs sd > 0");
}

double TruncatedNormalNeighbourDensity::Pdf(double x, double y) const {
  if (y < 0 || y > 1) return 0;
  return PhiDensity((y - x) / sd_) / sd_ / NormalMassOnUnit(x, sd_);
}

double TruncatedNormalNeighbourDensity::UpperTail(double x, double from) const {
  from = std::min(std::max(from, 0.0), 1.0);
  return (Phi((1 - x) / sd_) - Phi((from - x) / sd_)) / NormalMassOnUnit(x, sd_);
}

// The same expressions as Pdf() and UpperTail(), with the factors of x
// evaluated once: bit-identical values, a third of the normal cdfs.
void TruncatedNormalNeighbourDensity::Pdfs(double x, absl::Span<const double> y,
                                           double* out) const {
  const double mass = NormalMassOnUnit(x, sd_);
  for (size_t k = 0; k < y.size(); ++k) {
    out[k] =
        y[k] < 0 || y[k] > 1 ? 0 : PhiDensity((y[k] - x) / sd_) / sd_ / mass;
  }
}

void TruncatedNormalNeighbourDensity::UpperTails(double x,
                                                 absl::Span<const double> from,
                                                 double* out) const {
  const double upper = Phi((1 - x) / sd_);
  const double mass = upper - Phi(-x / sd_);  // NormalMassOnUnit(x, sd_)
  for (size_t k = 0; k < from.size(); ++k) {
    const double f = std::min(std::max(from[k], 0.0), 1.0);
    out[k] = (upper - Phi((f - x) / sd_)) / mass;
  }
}

std::string TruncatedNormalNeighbourDensity::Describe() const {
  return absl::StrFormat("N(x, %.3f^2) truncated to [0, 1]", sd_);
}

GridNeighbourDensity::GridNeighbourDensity(
    std::vector<std::vector<double>> rows, std::string description)
    : description_(std::move(description)) {
  const int n = static_cast<int>(rows.size());
  if (n < 2)
    InternalError("landscape densities",
                  "grid neighbour density needs two rows");
  std::vector<double> mass(n, 0);
  double max_mass = 0;
  for (int i = 0; i < n; ++i) {
    for (double v : rows[i]) mass[i] += v;
    max_mass = std::max(max_mass, mass[i]);
  }
  if (!(max_mass > 0))
    InternalError("landscape densities", "grid neighbour density without mass");
  for (int i = 0; i < n; ++i) {
    int source = i;
    if (!(mass[i] > 1e-12 * max_mass)) {
      // The nearest row with mass (data never reached this x).
      for (int d = 1; d < n; ++d) {
        if (i - d >= 0 && mass[i - d] > 1e-12 * max_mass) { source = i - d; break; }
        if (i + d < n && mass[i + d] > 1e-12 * max_mass) { source = i + d; break; }
      }
    }
    rows_.emplace_back(rows[source], "");
  }
}

double GridNeighbourDensity::Pdf(double x, double y) const {
  const int intervals = static_cast<int>(rows_.size()) - 1;
  const double p = std::min(std::max(x, 0.0), 1.0) * intervals;
  const int i = std::min(static_cast<int>(p), intervals - 1);
  const double t = p - i;
  return rows_[i].Pdf(y) * (1 - t) + rows_[i + 1].Pdf(y) * t;
}

double GridNeighbourDensity::UpperTail(double x, double from) const {
  const int intervals = static_cast<int>(rows_.size()) - 1;
  const double p = std::min(std::max(x, 0.0), 1.0) * intervals;
  const int i = std::min(static_cast<int>(p), intervals - 1);
  const double t = p - i;
  return (1 - rows_[i].Cdf(from)) * (1 - t) + (1 - rows_[i + 1].Cdf(from)) * t;
}

double SilvermanBandwidth(absl::Span<const double> samples) {
  std::vector<double> sorted(samples.begin(), samples.end());
  std::sort(sorted.begin(), sorted.end());
  auto quantile = [&](double q) {
    const double pos = q * (sorted.size() - 1);
    const size_t lo = static_cast<size_t>(pos);
    const size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  };
  const double iqr = quantile(0.75) - quantile(0.25);
  double spread = SampleSd(samples);
  if (iqr > 0) spread = std::min(spread, iqr / 1.34);
  if (!(spread > 0)) spread = 1e-3;
  return 0.9 * spread * std::pow(static_cast<double>(samples.size()), -0.2);
}

std::unique_ptr<GridDensity> FitKernelDensity(absl::Span<const double> samples,
                                              double bandwidth) {
  if (samples.size() < 2)
    InternalError("landscape densities", "kernel density needs two samples");
  const double h = bandwidth > 0 ? bandwidth : SilvermanBandwidth(samples);
  constexpr int kIntervals = 1024, kBins = 4096;
  const std::vector<double> counts = LinearBins(samples, kBins);
  const ReflectedKernel kernel(kIntervals, kBins, h);
  std::vector<double> values(kIntervals + 1, 0);
  for (int i = 0; i <= kIntervals; ++i) {
    double s = 0;
    for (int j = 0; j <= kBins; ++j) {
      if (counts[j] != 0) s += kernel(i, j) * counts[j];
    }
    values[i] = s / samples.size();
  }
  return std::make_unique<GridDensity>(
      std::move(values),
      absl::StrFormat("Gaussian KDE, Silverman bandwidth %.4f, reflected at 0 "
                      "and 1",
                      h));
}

std::unique_ptr<TruncatedNormalDensity> FitTruncatedNormal(
    absl::Span<const double> samples) {
  const double n = samples.size();
  double s1 = 0, s2 = 0;
  for (double x : samples) {
    s1 += x;
    s2 += x * x;
  }
  // Negative log-likelihood from sufficient statistics.
  auto nll = [&](double mean, double sd) {
    const double mass = NormalMassOnUnit(mean, sd);
    if (!(mass > 0)) return 1e300;
    return (s2 - 2 * mean * s1 + n * mean * mean) / (2 * sd * sd) +
           n * std::log(sd) + n * std::log(mass);
  };
  auto best_sd = [&](double mean) {
    return boost::math::tools::brent_find_minima(
        [&](double log_sd) { return nll(mean, std::exp(log_sd)); },
        std::log(0.005), std::log(5.0), 40);
  };
  const auto mean = boost::math::tools::brent_find_minima(
      [&](double m) { return best_sd(m).second; }, -2.0, 3.0, 40);
  return std::make_unique<TruncatedNormalDensity>(
      mean.first, std::exp(best_sd(mean.first).first));
}

std::unique_ptr<TruncatedNormalNeighbourDensity> FitTruncatedNormalNeighbour(
    absl::Span<const LossPair> pairs) {
  // The Gaussian part needs only sum (y - x)^2; the normaliser depends on x
  // alone, so it is summed over distinct x values with multiplicities.
  double s2 = 0;
  std::vector<float> xs;
  xs.reserve(pairs.size());
  for (const LossPair& p : pairs) {
    const double d = static_cast<double>(p.y) - p.x;
    s2 += d * d;
    xs.push_back(p.x);
  }
  std::sort(xs.begin(), xs.end());
  std::vector<std::pair<double, double>> distinct;  // (x, count)
  for (float x : xs) {
    if (!distinct.empty() && distinct.back().first == x) {
      distinct.back().second += 1;
    } else {
      distinct.emplace_back(x, 1);
    }
  }
  const double n = pairs.size();
  auto nll = [&](double log_sd) {
    const double sd = std::exp(log_sd);
    double log_mass = 0;
    for (const auto& [x, count] : distinct) {
      log_mass += count * std::log(NormalMassOnUnit(x, sd));
    }
    return s2 / (2 * sd * sd) + n * log_sd + log_mass;
  };
  const auto best = boost::math::tools::brent_find_minima(
      nll, std::log(0.005), std::log(5.0), 40);
  return std::make_unique<TruncatedNormalNeighbourDensity>(std::exp(best.first));
}

std::unique_ptr<GridNeighbourDensity> FitConditionalKernelDensity(
    absl::Span<const LossPair> pairs) {
  if (pairs.size() < 2)
    InternalError("landscape densities",
                  "conditional kernel density needs two pairs");
  constexpr int kIntervals = 128, kBins = 512;
  std::vector<double> xs, ys;
  xs.reserve(pairs.size());
  ys.reserve(pairs.size());
  for (const LossPair& p : pairs) {
    xs.push_back(std::min(std::max<double>(p.x, 0), 1.0));
    ys.push_back(std::min(std::max<double>(p.y, 0), 1.0));
  }
  const double scale = std::pow(static_cast<double>(pairs.size()), -1.0 / 6);
  const double hx = std::max(SampleSd(xs) * scale, 1e-3);
  const double hy = std::max(SampleSd(ys) * scale, 1e-3);
  // Bivariate linear binning.
  std::vector<std::vector<double>> counts(kBins + 1,
                                          std::vector<double>(kBins + 1, 0));
  for (size_t k = 0; k < xs.size(); ++k) {
    const double px = xs[k] * kBins, py = ys[k] * kBins;
    const int i = std::min(static_cast<int>(px), kBins - 1);
    const int j = std::min(static_cast<int>(py), kBins - 1);
    const double tx = px - i, ty = py - j;
    counts[i][j] += (1 - tx) * (1 - ty);
    counts[i + 1][j] += tx * (1 - ty);
    counts[i][j + 1] += (1 - tx) * ty;
    counts[i + 1][j + 1] += tx * ty;
  }
  std::vector<std::vector<double>> kx(kIntervals + 1,
                                      std::vector<double>(kBins + 1));
  std::vector<std::vector<double>> ky = kx;
  const ReflectedKernel kernel_x(kIntervals, kBins, hx);
  const ReflectedKernel kernel_y(kIntervals, kBins, hy);
  for (int i = 0; i <= kIntervals; ++i) {
    for (int a = 0; a <= kBins; ++a) {
      kx[i][a] = kernel_x(i, a);
      ky[i][a] = kernel_y(i, a);
    }
  }
  // Contract y, then x: joint[i][j] = sum_ab kx[i][a] counts[a][b] ky[j][b].
  std::vector<std::vector<double>> partial(kBins + 1,
                                           std::vector<double>(kIntervals + 1, 0));
  for (int a = 0; a <= kBins; ++a) {
    for (int j = 0; j <= kIntervals; ++j) {
      double s = 0;
      for (int b = 0; b <= kBins; ++b) s += counts[a][b] * ky[j][b];
      partial[a][j] = s;
    }
  }
  std::vector<std::vector<double>> joint(kIntervals + 1,
                                         std::vector<double>(kIntervals + 1, 0));
  for (int i = 0; i <= kIntervals; ++i) {
    for (int a = 0; a <= kBins; ++a) {
      const double w = kx[i][a];
      if (w == 0) continue;
      for (int j = 0; j <= kIntervals; ++j) joint[i][j] += w * partial[a][j];
    }
  }
  return std::make_unique<GridNeighbourDensity>(
      std::move(joint),
      absl::StrFormat("conditional Gaussian KDE, Scott bandwidths %.4f (x), "
                      "%.4f (y), reflected at 0 and 1",
                      hx, hy));
}

namespace {

// `values` in ascending order, as std::sort would put them (NaN aside;
// -0.0 before 0.0, which compare equal). An LSD radix sort on the bits
// mapped to unsigned order: the goodness-of-fit sorts up to a million
// probability-integral transforms at a time, where std::sort's comparisons
// cost several times more.
std::vector<double> Sorted(absl::Span<const double> values) {
  constexpr int kDigitBits = 11;
  constexpr uint64_t kSign = uint64_t{1} << 63;
  const size_t n = values.size();
  std::vector<uint64_t> keys(n), spare(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t bits;
    std::memcpy(&bits, &values[i], sizeof bits);
    keys[i] = (bits & kSign) ? ~bits : bits | kSign;
  }
  std::vector<size_t> count(size_t{1} << kDigitBits);
  for (int shift = 0; shift < 64; shift += kDigitBits) {
    std::fill(count.begin(), count.end(), 0);
    for (uint64_t key : keys) ++count[(key >> shift) & (count.size() - 1)];
    // A digit all keys share changes nothing.
    if (n == 0 || count[(keys[0] >> shift) & (count.size() - 1)] == n) continue;
    size_t start = 0;
    for (size_t& c : count) {
      const size_t here = c;
      c = start;
      start += here;
    }
    for (uint64_t key : keys)
      spare[count[(key >> shift) & (count.size() - 1)]++] = key;
    keys.swap(spare);
  }
  std::vector<double> sorted(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t bits = (keys[i] & kSign) ? keys[i] & ~kSign : ~keys[i];
    std::memcpy(&sorted[i], &bits, sizeof bits);
  }
  return sorted;
}

}  // namespace

double KolmogorovSmirnov(absl::Span<const double> samples,
                         const Density& density) {
  const std::vector<double> sorted = Sorted(samples);
  const double n = sorted.size();
  double d = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const double f = density.Cdf(sorted[i]);
    d = std::max({d, f - i / n, (i + 1) / n - f});
  }
  return d;
}

double NeighbourKolmogorovSmirnov(absl::Span<const LossPair> pairs,
                                  const NeighbourDensity& density,
                                  int64_t max_pairs) {
  const int64_t stride =
      std::max<int64_t>(1, (static_cast<int64_t>(pairs.size()) + max_pairs - 1) /
                               max_pairs);
  // Neighbour pairs come grouped by x (all neighbours of one vertex in a
  // row): each run of equal x is one batched call.
  std::vector<double> u, from;
  u.reserve(pairs.size() / stride + 1);
  size_t k = 0;
  while (k < pairs.size()) {
    const float x = pairs[k].x;
    from.clear();
    for (; k < pairs.size() && pairs[k].x == x; k += stride) {
      from.push_back(pairs[k].y);
    }
    const size_t start = u.size();
    u.resize(start + from.size());
    density.UpperTails(x, from, u.data() + start);
    for (size_t i = start; i < u.size(); ++i) u[i] = 1 - u[i];
  }
  return KolmogorovSmirnov(u, UniformDensity());
}

double KolmogorovSmirnovPValue(double d, int64_t n) {
  const double root = std::sqrt(static_cast<double>(n));
  const double t = (root + 0.12 + 0.11 / root) * d;
  if (t < 0.2) return 1;
  double p = 0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * t * t);
    p += (k % 2 == 1 ? 2 : -2) * term;
    if (term < 1e-16) break;
  }
  return std::min(std::max(p, 0.0), 1.0);
}

}  // namespace nas
