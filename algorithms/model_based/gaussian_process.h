#ifndef NASBENCH_ALGORITHMS_MODEL_BASED_GAUSSIAN_PROCESS_H_
#define NASBENCH_ALGORITHMS_MODEL_BASED_GAUSSIAN_PROCESS_H_

#include <vector>

#include "algorithms/model_based/predictor.h"
#include "eigen3/Eigen/Cholesky"
#include "eigen3/Eigen/Dense"

namespace nas {

// k(a, b) = signal_variance * exp(-d(a, b)^2 / (2 length_scale^2)), plus
// noise_variance on the diagonal of the training covariance. d is the
// Euclidean distance between encodings, so for 0/1 encodings d^2 is the
// number of differing features: the path distance for path encodings, and
// twice the edit distance for one-hot/adjacency encodings. (A squared
// exponential of the Euclidean distance is positive definite; one of the
// raw edit distance squared would not be in general.)
struct GpHyperparameters {
  double length_scale = 1;
  double signal_variance = 1;
  double noise_variance = 1e-6;
};

// Squared Euclidean distances between the rows of `a` and of `b`.
Eigen::MatrixXd PairwiseSquaredDistances(const FeatureMatrix& a,
                                         const FeatureMatrix& b);

// GP regression with a constant mean (the training mean) and the kernel
// above. Posterior at x*:
//   mean = m + k*^T (K + noise I)^{-1} (y - m)
//   var  = k(x*, x*) - k*^T (K + noise I)^{-1} k*
// (the latent function's variance: what the acquisition needs; the
// benchmark tables are noise-free). Cholesky factorisation via Eigen's LLT.
//
// Fit() chooses the hyperparameters by maximising the log marginal
// likelihood over a grid, on standardised targets (zero mean, unit
// variance):
//   length_scale = c * (median distance between distinct training
//                  encodings), c in {1/4, 1/2, 1, 2, 4};
//   noise_variance = g * signal_variance, g in {1e-4, 1e-3, 1e-2, 1e-1, 1};
//   signal_variance profiled out in closed form for each (c, g):
//   s^2 = y^T (R + g I)^{-1} y / n with R the correlation matrix.
// 25 Cholesky factorisations per fit. Ties go to the first grid point in
// the order above (c outer, g inner). With a single training point or
// constant targets there is nothing to fit: c = 1, g = 1e-2 and unit
// standardised signal variance.
class GaussianProcessPredictor : public Predictor {
 public:
  GaussianProcessPredictor() = default;

  absl::Status Fit(const FeatureMatrix& x, const Eigen::VectorXd& y,
                   Rng& rng) override;

  // Conditions on (x, y) with fixed hyperparameters. FailedPrecondition
  // when the covariance is not positive definite.
  absl::Status FitWithHyperparameters(const FeatureMatrix& x,
                                      const Eigen::VectorXd& y,
                                      const GpHyperparameters& hyper);

  Predictions Predict(const FeatureMatrix& x) const override;

  const GpHyperparameters& hyperparameters() const { return hyper_; }
  // The grid point Fit() chose.
  double length_scale_factor() const { return length_scale_factor_; }
  double noise_ratio() const { return noise_ratio_; }

  // log p(y | x, hyper) with the constant mean mean(y):
  //   -1/2 r^T K^{-1} r - 1/2 log|K| - n/2 log(2 pi),  r = y - mean(y),
  // K = the kernel matrix plus noise. -infinity if K is not positive
  // definite.
  static double LogMarginalLikelihood(const FeatureMatrix& x,
                                      const Eigen::VectorXd& y,
                                      const GpHyperparameters& hyper);

  static const std::vector<double>& LengthScaleFactors();
  static const std::vector<double>& NoiseRatios();

 private:
  FeatureMatrix train_x_;
  GpHyperparameters hyper_;
  double mean_ = 0;
  Eigen::LLT<Eigen::MatrixXd> llt_;
  Eigen::VectorXd alpha_;  // (K + noise I)^{-1} (y - mean)
  double length_scale_factor_ = 1;
  double noise_ratio_ = 1e-2;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_MODEL_BASED_GAUSSIAN_PROCESS_H_
