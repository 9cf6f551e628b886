#ifndef NASBENCH_LANDSCAPE_DENSITIES_H_
#define NASBENCH_LANDSCAPE_DENSITIES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/types/span.h"

namespace nas {

// The two densities of the local-search theory, on losses normalised to
// [0, 1]: pdf_n, the density of a random architecture's loss, and pdf_e(x,
// .), the density of a random neighbour's loss given the architecture's
// loss x. Distributions and their cdfs come from Boost.Math; the kernel
// estimators are written here (Boost has none) and stated precisely below.

// A probability density on [0, 1] (zero outside).
class Density {
 public:
  virtual ~Density() = default;
  virtual double Pdf(double x) const = 0;
  virtual double Cdf(double x) const = 0;
  // One line, e.g. "truncated normal, mean 0.250, sd 0.180".
  virtual std::string Describe() const = 0;
};

// The conditional density pdf_e(x, y) of a neighbour's loss y given x.
class NeighbourDensity {
 public:
  virtual ~NeighbourDensity() = default;
  virtual double Pdf(double x, double y) const = 0;
  // The integral of pdf_e(x, y) over y in [from, 1] (from in [0, 1]).
  virtual double UpperTail(double x, double from) const = 0;
  virtual std::string Describe() const = 0;

  // Batched forms for one x, with exactly the values of the calls above:
  // densities whose factors depend on x alone compute them once (the
  // goodness-of-fit and the preimage lemma make millions of these calls).
  // out[k] = Pdf(x, y[k]), resp. UpperTail(x, from[k]).
  virtual void Pdfs(double x, absl::Span<const double> y, double* out) const;
  virtual void UpperTails(double x, absl::Span<const double> from,
                          double* out) const;
};

class UniformDensity : public Density {
 public:
  double Pdf(double x) const override { return x >= 0 && x <= 1 ? 1 : 0; }
  double Cdf(double x) const override;
  std::string Describe() const override { return "uniform on [0, 1]"; }
};

// N(mean, sd^2) restricted to [0, 1] and renormalised.
class TruncatedNormalDensity : public Density {
 public:
  TruncatedNormalDensity(double mean, double sd);
  double Pdf(double x) const override;
  double Cdf(double x) const override;
  std::string Describe() const override;
  double mean() const { return mean_; }
  double sd() const { return sd_; }

 private:
  double mean_, sd_, mass_, cdf_at_zero_;
};

// A density given by its values at the nodes of a uniform grid on [0, 1]
// and linear in between, scaled so that it integrates to exactly 1 (the
// cdf is the exact integral of the interpolant).
class GridDensity : public Density {
 public:
  // At least two non-negative node values with a positive integral.
  GridDensity(std::vector<double> node_values, std::string description);
  double Pdf(double x) const override;
  double Cdf(double x) const override;
  std::string Describe() const override { return description_; }

 private:
  std::vector<double> values_;
  std::vector<double> cumulative_;  // Integral from 0 to each node.
  std::string description_;
};

class UniformNeighbourDensity : public NeighbourDensity {
 public:
  double Pdf(double x, double y) const override {
    return y >= 0 && y <= 1 ? 1 : 0;
  }
  double UpperTail(double x, double from) const override;
  std::string Describe() const override { return "uniform on [0, 1]"; }
};

// pdf_e(x, .) = N(x, sd^2) restricted to [0, 1]: the study's local model.
class TruncatedNormalNeighbourDensity : public NeighbourDensity {
 public:
  explicit TruncatedNormalNeighbourDensity(double sd);
  double Pdf(double x, double y) const override;
  double UpperTail(double x, double from) const override;
  std::string Describe() const override;
  void Pdfs(double x, absl::Span<const double> y, double* out) const override;
  void UpperTails(double x, absl::Span<const double> from,
                  double* out) const override;
  double sd() const { return sd_; }

 private:
  double sd_;
};

// A conditional density tabulated at the nodes of a uniform grid on
// [0, 1]^2: each row (fixed x) is a GridDensity-style normalised piecewise-
// linear density in y; between rows it is interpolated linearly in x, which
// keeps every pdf_e(x, .) a density.
class GridNeighbourDensity : public NeighbourDensity {
 public:
  // rows[i][j] = unnormalised density at (i/G, j/G). Rows without mass are
  // replaced by the nearest row that has some.
  GridNeighbourDensity(std::vector<std::vector<double>> rows,
                       std::string description);
  double Pdf(double x, double y) const override;
  double UpperTail(double x, double from) const override;
  std::string Describe() const override { return description_; }

 private:
  std::vector<GridDensity> rows_;
  std::string description_;
};

// A neighbour pair of normalised losses: x of the architecture, y of one of
// its neighbours.
struct LossPair {
  float x;
  float y;
};

// ---------------------------------------------------------------------------
// Estimators.

// Silverman's rule of thumb: 0.9 min(sd, IQR/1.34) N^(-1/5).
double SilvermanBandwidth(absl::Span<const double> samples);

// Gaussian kernel density estimate of pdf_n on [0, 1] with bandwidth h
// (Silverman's when h <= 0), the kernels reflected at 0 and 1 so that no
// mass leaks out of the interval. Computed on a 1024-interval grid from the
// samples linearly binned onto 4096 bins (binned KDE; its error is far
// below the estimator's own). `samples` in [0, 1], at least two.
std::unique_ptr<GridDensity> FitKernelDensity(absl::Span<const double> samples,
                                              double bandwidth = 0);

// Maximum-likelihood truncated normal on [0, 1] (mean in [-2, 3], sd in
// [0.005, 5]), by Brent's method on the profile likelihood.
std::unique_ptr<TruncatedNormalDensity> FitTruncatedNormal(
    absl::Span<const double> samples);

// Maximum-likelihood sd of pdf_e(x, .) = N(x, sd^2) truncated to [0, 1]
// over all neighbour pairs (Brent's method on sd in [0.005, 5]).
std::unique_ptr<TruncatedNormalNeighbourDensity> FitTruncatedNormalNeighbour(
    absl::Span<const LossPair> pairs);

// Conditional kernel estimate of pdf_e: a Gaussian product-kernel estimate
// of the joint density of (x, y) over the pairs, with Scott's bandwidths
// h = sd * N^(-1/6) per coordinate and reflection at 0 and 1, divided by
// its x-marginal. Computed on a 128 x 128 grid from pairs linearly binned
// onto 512 x 512 bins.
std::unique_ptr<GridNeighbourDensity> FitConditionalKernelDensity(
    absl::Span<const LossPair> pairs);

// ---------------------------------------------------------------------------
// Goodness of fit.

// Kolmogorov-Smirnov distance between the samples' empirical cdf and the
// density's cdf.
double KolmogorovSmirnov(absl::Span<const double> samples,
                         const Density& density);

// The same for pdf_e through the probability integral transform: if the
// model is right, u = F_e(y | x) = 1 - UpperTail(x, y) is uniform on
// [0, 1] over the pairs; returns the KS distance of the u's from U[0, 1].
// At most `max_pairs` pairs are used (every k-th, deterministically).
double NeighbourKolmogorovSmirnov(absl::Span<const LossPair> pairs,
                                  const NeighbourDensity& density,
                                  int64_t max_pairs = 1000000);

// Asymptotic p-value of a KS distance d from n samples (Kolmogorov's
// series). Tiny for large n unless the fit is near perfect: the distance
// itself is the figure to compare.
double KolmogorovSmirnovPValue(double d, int64_t n);

}  // namespace nas

#endif  // NASBENCH_LANDSCAPE_DENSITIES_H_
