#ifndef NASBENCH_ALGORITHMS_MODEL_BASED_DNGO_PREDICTOR_H_
#define NASBENCH_ALGORITHMS_MODEL_BASED_DNGO_PREDICTOR_H_

#include "algorithms/model_based/feed_forward_network.h"
#include "algorithms/model_based/predictor.h"
#include "eigen3/Eigen/Dense"

namespace nas {

// Bayesian linear regression y = phi^T w + noise, with prior
// w ~ N(0, alpha^{-1} I) and noise precision beta (Bishop, PRML 3.3-3.5).
// With A = alpha I + beta Phi^T Phi:
//   posterior mean  m = beta A^{-1} Phi^T y,
//   predictive      mean phi*^T m, variance 1/beta + phi*^T A^{-1} phi*.
class BayesianLinearRegression {
 public:
  // alpha and beta maximise the evidence (log marginal likelihood), found
  // with MacKay's closed-form fixed-point updates (PRML 3.92, 3.95): with
  // lambda_i the eigenvalues of beta Phi^T Phi and
  // gamma = sum lambda_i / (alpha + lambda_i),
  //   alpha <- gamma / m^T m,   1/beta <- |y - Phi m|^2 / (n - gamma),
  // from alpha = beta = 1, until both change by less than 1e-9 relatively
  // (at most 500 rounds). Both stay within [1e-6, 1e9] so that a perfect
  // fit or a zero weight vector cannot send them to infinity.
  void Fit(const Eigen::MatrixXd& phi, const Eigen::VectorXd& y);
  void FitWithHyperparameters(const Eigen::MatrixXd& phi,
                              const Eigen::VectorXd& y, double alpha,
                              double beta);

  // Predictive mean and variance (noise included) for each row of `phi`.
  void Predict(const Eigen::MatrixXd& phi, Eigen::VectorXd* mean,
               Eigen::VectorXd* variance) const;

  // log p(y | alpha, beta) (PRML 3.86).
  static double LogEvidence(const Eigen::MatrixXd& phi,
                            const Eigen::VectorXd& y, double alpha,
                            double beta);

  double alpha() const { return alpha_; }
  double beta() const { return beta_; }
  const Eigen::VectorXd& weights() const { return mean_; }

 private:
  double alpha_ = 1;
  double beta_ = 1;
  Eigen::VectorXd mean_;
  Eigen::MatrixXd covariance_;  // A^{-1}
};

// DNGO (Snoek et al., "Scalable Bayesian Optimization Using Deep Neural
// Networks", ICML 2015): one network trained as BANANAS' members are, then
// Bayesian linear regression on its last hidden layer plus a constant
// feature, on standardised targets. The uncertainty is the BLR's predictive
// standard deviation.
class DngoPredictor : public Predictor {
 public:
  explicit DngoPredictor(const NetworkOptions& network) : network_(network) {}

  absl::Status Fit(const FeatureMatrix& x, const Eigen::VectorXd& y,
                   Rng& rng) override;
  Predictions Predict(const FeatureMatrix& x) const override;

  const BayesianLinearRegression& regression() const { return regression_; }

 private:
  Eigen::MatrixXd Basis(const FeatureMatrix& x) const;

  FeedForwardNetwork network_;
  BayesianLinearRegression regression_;
  double target_mean_ = 0;
  double target_scale_ = 1;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_MODEL_BASED_DNGO_PREDICTOR_H_
