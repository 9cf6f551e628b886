#ifndef NASBENCH_ALGORITHMS_MODEL_BASED_PREDICTOR_H_
#define NASBENCH_ALGORITHMS_MODEL_BASED_PREDICTOR_H_

#include "absl/status/status.h"
#include "core/random.h"
#include "eigen3/Eigen/Dense"

namespace nas {

// Encoded architectures, one per row. Row-major so that an encoder writes a
// row in place, and so that the same memory read column-major is the
// features x examples matrix the networks multiply with.
using FeatureMatrix =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A prediction per row: the predicted validation error and the model's
// uncertainty about it, both in the units of the training targets.
struct Predictions {
  Eigen::VectorXd mean;
  Eigen::VectorXd stddev;
};

// A performance predictor: fitted on (encoding, validation error) pairs,
// it predicts mean and uncertainty for new encodings. One instance per fit;
// Fit() replaces any earlier fit.
class Predictor {
 public:
  Predictor() = default;
  Predictor(const Predictor&) = delete;
  Predictor& operator=(const Predictor&) = delete;
  virtual ~Predictor() = default;

  // Fits rows of `x` to `y` (x.rows() == y.size() >= 1). Every random
  // choice (initial weights, mini-batch order) comes from `rng`, so a fit
  // is reproducible from it. Non-OK only on numerical failure.
  virtual absl::Status Fit(const FeatureMatrix& x, const Eigen::VectorXd& y,
                           Rng& rng) = 0;

  // Mean and standard deviation for every row of `x` (same number of
  // columns as the fit). Only after a successful Fit().
  virtual Predictions Predict(const FeatureMatrix& x) const = 0;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_MODEL_BASED_PREDICTOR_H_
