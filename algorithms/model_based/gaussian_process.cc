#include "algorithms/model_based/gaussian_process.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"

namespace nas {
namespace {

constexpr double kLog2Pi = 1.8378770664093453;  // log(2 pi)

// Median of the nonzero pairwise distances (1 when there are none): the
// natural unit of length for the kernel on these encodings.
double MedianDistance(const Eigen::MatrixXd& squared) {
  std::vector<double> distances;
  for (int j = 0; j < squared.cols(); ++j) {
    for (int i = 0; i < j; ++i) {
      if (squared(i, j) > 0) distances.push_back(std::sqrt(squared(i, j)));
    }
  }
  if (distances.empty()) return 1.0;
  const size_t middle = (distances.size() - 1) / 2;
  std::nth_element(distances.begin(), distances.begin() + middle,
                   distances.end());
  return distances[middle];
}

Eigen::MatrixXd Correlation(const Eigen::MatrixXd& squared,
                            double length_scale) {
  return (-squared.array() / (2 * length_scale * length_scale)).exp().matrix();
}

}  // namespace

Eigen::MatrixXd PairwiseSquaredDistances(const FeatureMatrix& a,
                                         const FeatureMatrix& b) {
  const Eigen::MatrixXd da = a.cast<double>();
  const Eigen::MatrixXd db = b.cast<double>();
  Eigen::MatrixXd d = -2.0 * da * db.transpose();
  d.colwise() += da.rowwise().squaredNorm();
  d.rowwise() += db.rowwise().squaredNorm().transpose();
  return d.cwiseMax(0.0);
}

const std::vector<double>& GaussianProcessPredictor::LengthScaleFactors() {
  static const std::vector<double> factors = {0.25, 0.5, 1, 2, 4};
  return factors;
}

const std::vector<double>& GaussianProcessPredictor::NoiseRatios() {
  static const std::vector<double> ratios = {1e-4, 1e-3, 1e-2, 1e-1, 1};
  return ratios;
}

absl::Status GaussianProcessPredictor::Fit(const FeatureMatrix& x,
                                           const Eigen::VectorXd& y, Rng&) {
  const int n = static_cast<int>(x.rows());
  const Eigen::MatrixXd squared = PairwiseSquaredDistances(x, x);
  const double median = MedianDistance(squared);
  const double mean = y.mean();
  const double variance = (y.array() - mean).square().mean();

  if (n < 2 || variance == 0) {
    const double signal = variance > 0 ? variance : 1.0;
    length_scale_factor_ = 1;
    noise_ratio_ = 1e-2;
    return FitWithHyperparameters(x, y, {median, signal, 1e-2 * signal});
  }

  const Eigen::VectorXd z = (y.array() - mean) / std::sqrt(variance);
  double best = -std::numeric_limits<double>::infinity();
  GpHyperparameters chosen;
  for (double factor : LengthScaleFactors()) {
    const Eigen::MatrixXd correlation = Correlation(squared, factor * median);
    for (double ratio : NoiseRatios()) {
      Eigen::MatrixXd k = correlation;
      k.diagonal().array() += ratio;
      const Eigen::LLT<Eigen::MatrixXd> llt(k);
      if (llt.info() != Eigen::Success) continue;
      const double signal = z.dot(llt.solve(z)) / n;
      if (!(signal > 0)) continue;
      const double log_det =
          2 * llt.matrixLLT().diagonal().array().log().sum();
      const double lml =
          -0.5 * n * std::log(signal) - 0.5 * log_det - 0.5 * n * (1 + kLog2Pi);
      if (lml > best) {
        best = lml;
        chosen = {factor * median, signal * variance, ratio * signal * variance};
        length_scale_factor_ = factor;
        noise_ratio_ = ratio;
      }
    }
  }
  if (!std::isfinite(best)) {
    return absl::FailedPreconditionError(
        "gaussian process: no grid point gives a positive definite "
        "covariance");
  }
  return FitWithHyperparameters(x, y, chosen);
}

double GaussianProcessPredictor::LogMarginalLikelihood(
    const FeatureMatrix& x, const Eigen::VectorXd& y,
    const GpHyperparameters& hyper) {
  const int n = static_cast<int>(x.rows());
  Eigen::MatrixXd k =
      hyper.signal_variance *
      Correlation(PairwiseSquaredDistances(x, x), hyper.length_scale);
  k.diagonal().array() += hyper.noise_variance;
  const Eigen::LLT<Eigen::MatrixXd> llt(k);
  if (llt.info() != Eigen::Success) {
    return -std::numeric_limits<double>::infinity();
  }
  const Eigen::VectorXd r = (y.array() - y.mean()).matrix();
  const double log_det = 2 * llt.matrixLLT().diagonal().array().log().sum();
  return -0.5 * r.dot(llt.solve(r)) - 0.5 * log_det - 0.5 * n * kLog2Pi;
}

absl::Status GaussianProcessPredictor::FitWithHyperparameters(
    const FeatureMatrix& x, const Eigen::VectorXd& y,
    const GpHyperparameters& hyper) {
  train_x_ = x;
  hyper_ = hyper;
  mean_ = y.mean();
  Eigen::MatrixXd k = hyper.signal_variance *
                      Correlation(PairwiseSquaredDistances(x, x),
                                  hyper.length_scale);
  k.diagonal().array() += hyper.noise_variance;
  llt_.compute(k);
  if (llt_.info() != Eigen::Success) {
    return absl::FailedPreconditionError(absl::StrCat(
        "gaussian process: covariance not positive definite (length scale ",
        hyper.length_scale, ", signal variance ", hyper.signal_variance,
        ", noise variance ", hyper.noise_variance, ")"));
  }
  alpha_ = llt_.solve((y.array() - mean_).matrix());
  return absl::OkStatus();
}

Predictions GaussianProcessPredictor::Predict(const FeatureMatrix& x) const {
  const Eigen::MatrixXd cross =
      hyper_.signal_variance *
      Correlation(PairwiseSquaredDistances(x, train_x_), hyper_.length_scale);
  Predictions p;
  p.mean = (cross * alpha_).array() + mean_;
  const Eigen::MatrixXd v = llt_.matrixL().solve(cross.transpose());
  p.stddev = (hyper_.signal_variance - v.colwise().squaredNorm().array())
                 .max(0.0)
                 .sqrt()
                 .transpose()
                 .matrix();
  return p;
}

}  // namespace nas
