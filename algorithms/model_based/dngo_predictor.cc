#include "algorithms/model_based/dngo_predictor.h"

#include <algorithm>
#include <cmath>

#include "eigen3/Eigen/Cholesky"
#include "eigen3/Eigen/Eigenvalues"

namespace nas {
namespace {

constexpr double kMinPrecision = 1e-6;
constexpr double kMaxPrecision = 1e9;
constexpr double kLog2Pi = 1.8378770664093453;

double ClampPrecision(double value) {
  if (!(value >= kMinPrecision)) return kMinPrecision;  // NaN too.
  return std::min(value, kMaxPrecision);
}

}  // namespace

void BayesianLinearRegression::FitWithHyperparameters(
    const Eigen::MatrixXd& phi, const Eigen::VectorXd& y, double alpha,
    double beta) {
  alpha_ = alpha;
  beta_ = beta;
  const int m = static_cast<int>(phi.cols());
  Eigen::MatrixXd a = beta * phi.transpose() * phi;
  a.diagonal().array() += alpha;
  const Eigen::LLT<Eigen::MatrixXd> llt(a);
  covariance_ = llt.solve(Eigen::MatrixXd::Identity(m, m));
  mean_ = beta * covariance_ * (phi.transpose() * y);
}

void BayesianLinearRegression::Fit(const Eigen::MatrixXd& phi,
                                   const Eigen::VectorXd& y) {
  const int n = static_cast<int>(phi.rows());
  const Eigen::MatrixXd gram = phi.transpose() * phi;
  const Eigen::VectorXd phi_y = phi.transpose() * y;
  const Eigen::VectorXd eigenvalues =
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(gram, Eigen::EigenvaluesOnly)
          .eigenvalues()
          .cwiseMax(0.0);
  double alpha = 1, beta = 1;
  for (int round = 0; round < 500; ++round) {
    Eigen::MatrixXd a = beta * gram;
    a.diagonal().array() += alpha;
    const Eigen::VectorXd w = beta * Eigen::LLT<Eigen::MatrixXd>(a).solve(phi_y);
    const Eigen::ArrayXd lambda = beta * eigenvalues.array();
    const double gamma = (lambda / (alpha + lambda)).sum();
    const double residual = (y - phi * w).squaredNorm();
    const double next_alpha =
        ClampPrecision(w.squaredNorm() > 0 ? gamma / w.squaredNorm()
                                           : kMaxPrecision);
    const double next_beta = ClampPrecision(
        residual > 0 && n - gamma > 0 ? (n - gamma) / residual : kMaxPrecision);
    const bool converged = std::abs(next_alpha - alpha) <= 1e-9 * alpha &&
                           std::abs(next_beta - beta) <= 1e-9 * beta;
    alpha = next_alpha;
    beta = next_beta;
    if (converged) break;
  }
  FitWithHyperparameters(phi, y, alpha, beta);
}

void BayesianLinearRegression::Predict(const Eigen::MatrixXd& phi,
                                       Eigen::VectorXd* mean,
                                       Eigen::VectorXd* variance) const {
  *mean = phi * mean_;
  *variance = ((phi * covariance_).cwiseProduct(phi)).rowwise().sum();
  variance->array() += 1.0 / beta_;
}

double BayesianLinearRegression::LogEvidence(const Eigen::MatrixXd& phi,
                                             const Eigen::VectorXd& y,
                                             double alpha, double beta) {
  const int n = static_cast<int>(phi.rows());
  const int m = static_cast<int>(phi.cols());
  Eigen::MatrixXd a = beta * phi.transpose() * phi;
  a.diagonal().array() += alpha;
  const Eigen::LLT<Eigen::MatrixXd> llt(a);
  const Eigen::VectorXd w = beta * llt.solve(phi.transpose() * y);
  const double energy =
      0.5 * beta * (y - phi * w).squaredNorm() + 0.5 * alpha * w.squaredNorm();
  const double log_det = 2 * llt.matrixLLT().diagonal().array().log().sum();
  return 0.5 * m * std::log(alpha) + 0.5 * n * std::log(beta) - energy -
         0.5 * log_det - 0.5 * n * kLog2Pi;
}

Eigen::MatrixXd DngoPredictor::Basis(const FeatureMatrix& x) const {
  const Eigen::MatrixXd hidden = network_.LastHiddenLayer(x);
  Eigen::MatrixXd basis(hidden.rows(), hidden.cols() + 1);
  basis << hidden, Eigen::VectorXd::Ones(hidden.rows());
  return basis;
}

absl::Status DngoPredictor::Fit(const FeatureMatrix& x,
                                const Eigen::VectorXd& y, Rng& rng) {
  network_.Fit(x, y, rng);
  target_mean_ = y.mean();
  const double variance = (y.array() - target_mean_).square().mean();
  target_scale_ = variance > 0 ? std::sqrt(variance) : 1.0;
  regression_.Fit(Basis(x), (y.array() - target_mean_) / target_scale_);
  return absl::OkStatus();
}

Predictions DngoPredictor::Predict(const FeatureMatrix& x) const {
  Eigen::VectorXd mean, variance;
  regression_.Predict(Basis(x), &mean, &variance);
  Predictions p;
  p.mean = (mean.array() * target_scale_ + target_mean_).matrix();
  p.stddev = (variance.array().sqrt() * target_scale_).matrix();
  return p;
}

}  // namespace nas
