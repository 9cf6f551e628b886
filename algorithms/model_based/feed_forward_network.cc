#include "algorithms/model_based/feed_forward_network.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"

namespace nas {

absl::Status ValidateNetworkOptions(const NetworkOptions& options,
                                    absl::string_view owner) {
  auto bad = [&](absl::string_view field, double value,
                 absl::string_view rule) {
    return absl::InvalidArgumentError(absl::StrCat(
        owner, ": ", field, " is ", value, "; it must be ", rule));
  };
  if (options.num_layers < 1) {
    return bad("num_layers", options.num_layers,
               "at least 1 (BANANAS used 10)");
  }
  if (options.layer_width < 1) {
    return bad("layer_width", options.layer_width,
               "at least 1 (BANANAS used 20)");
  }
  if (!(options.learning_rate > 0) || !std::isfinite(options.learning_rate)) {
    return bad("learning_rate", options.learning_rate,
               "positive and finite (BANANAS used 0.01)");
  }
  if (options.epochs < 1) {
    return bad("epochs", options.epochs, "at least 1 (BANANAS used 200)");
  }
  if (options.batch_size < 1) {
    return bad("batch_size", options.batch_size,
               "at least 1 (BANANAS used 32)");
  }
  return absl::OkStatus();
}

void FeedForwardNetwork::Fit(const FeatureMatrix& x, const Eigen::VectorXd& y,
                             Rng& rng) {
  const int n = static_cast<int>(x.rows());
  const int d = static_cast<int>(x.cols());
  const int hidden = options_.num_layers;
  const int width = options_.layer_width;
  // Row-major n x d read column-major is d x n: one column per example.
  const Eigen::Map<const Eigen::MatrixXf> columns(x.data(), d, n);

  target_mean_ = y.mean();
  const double variance = (y.array() - target_mean_).square().mean();
  target_scale_ = variance > 0 ? std::sqrt(variance) : 1.0;
  const Eigen::VectorXf targets =
      ((y.array() - target_mean_) / target_scale_).cast<float>().matrix();

  // Glorot-uniform weights, zero biases; drawn in a fixed order.
  weights_.assign(hidden + 1, Eigen::MatrixXf());
  biases_.assign(hidden + 1, Eigen::VectorXf());
  for (int l = 0; l <= hidden; ++l) {
    const int in = l == 0 ? d : width;
    const int out = l == hidden ? 1 : width;
    const double limit = std::sqrt(6.0 / (in + out));
    weights_[l].resize(out, in);
    for (int j = 0; j < in; ++j) {
      for (int i = 0; i < out; ++i) {
        weights_[l](i, j) =
            static_cast<float>((2.0 * rng.UniformDouble() - 1.0) * limit);
      }
    }
    biases_[l] = Eigen::VectorXf::Zero(out);
  }

  // Adam moments, one per parameter array.
  std::vector<Eigen::MatrixXf> m_w, v_w, grad_w;
  std::vector<Eigen::VectorXf> m_b, v_b, grad_b;
  for (int l = 0; l <= hidden; ++l) {
    m_w.push_back(Eigen::MatrixXf::Zero(weights_[l].rows(), weights_[l].cols()));
    v_w.push_back(m_w.back());
    grad_w.push_back(m_w.back());
    m_b.push_back(Eigen::VectorXf::Zero(biases_[l].size()));
    v_b.push_back(m_b.back());
    grad_b.push_back(m_b.back());
  }

  std::vector<Eigen::MatrixXf> pre(hidden), act(hidden);
  Eigen::MatrixXf batch, delta, next_delta;
  Eigen::RowVectorXf out, grad_out;
  Eigen::RowVectorXf batch_targets;
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);

  const float beta1 = static_cast<float>(options_.beta1);
  const float beta2 = static_cast<float>(options_.beta2);
  const float epsilon = static_cast<float>(options_.epsilon);
  double beta1_power = 1, beta2_power = 1;

  for (int epoch = 0; epoch < options_.epochs; ++epoch) {
    rng.Shuffle(&order);
    for (int start = 0; start < n; start += options_.batch_size) {
      const int b = std::min(options_.batch_size, n - start);
      batch.resize(d, b);
      batch_targets.resize(b);
      for (int j = 0; j < b; ++j) {
        batch.col(j) = columns.col(order[start + j]);
        batch_targets(j) = targets(order[start + j]);
      }

      // Forward.
      for (int l = 0; l < hidden; ++l) {
        if (l == 0) {
          pre[l].noalias() = weights_[l] * batch;
        } else {
          pre[l].noalias() = weights_[l] * act[l - 1];
        }
        pre[l].colwise() += biases_[l];
        act[l] = pre[l].cwiseMax(0.0f);
      }
      out.noalias() = weights_[hidden] * act[hidden - 1];
      out.array() += biases_[hidden](0);

      // d(mean |out - t|)/d out; sign(0) = 0 as in TensorFlow.
      grad_out.resize(b);
      for (int j = 0; j < b; ++j) {
        const float r = out(j) - batch_targets(j);
        grad_out(j) = static_cast<float>((r > 0) - (r < 0)) / b;
      }

      // Backward.
      grad_w[hidden].noalias() = grad_out * act[hidden - 1].transpose();
      grad_b[hidden](0) = grad_out.sum();
      delta.noalias() = weights_[hidden].transpose() * grad_out;
      for (int l = hidden - 1; l >= 0; --l) {
        delta.array() *= (pre[l].array() > 0.0f).cast<float>();
        if (l == 0) {
          grad_w[l].noalias() = delta * batch.transpose();
        } else {
          grad_w[l].noalias() = delta * act[l - 1].transpose();
        }
        grad_b[l] = delta.rowwise().sum();
        if (l > 0) {
          next_delta.noalias() = weights_[l].transpose() * delta;
          delta.swap(next_delta);
        }
      }

      // Adam step (Keras' form: bias correction folded into the rate).
      beta1_power *= options_.beta1;
      beta2_power *= options_.beta2;
      const float rate = static_cast<float>(options_.learning_rate *
                                            std::sqrt(1 - beta2_power) /
                                            (1 - beta1_power));
      for (int l = 0; l <= hidden; ++l) {
        m_w[l] = beta1 * m_w[l] + (1 - beta1) * grad_w[l];
        v_w[l] = beta2 * v_w[l] + (1 - beta2) * grad_w[l].cwiseAbs2();
        weights_[l].array() -=
            rate * m_w[l].array() / (v_w[l].array().sqrt() + epsilon);
        m_b[l] = beta1 * m_b[l] + (1 - beta1) * grad_b[l];
        v_b[l] = beta2 * v_b[l] + (1 - beta2) * grad_b[l].cwiseAbs2();
        biases_[l].array() -=
            rate * m_b[l].array() / (v_b[l].array().sqrt() + epsilon);
      }
    }
  }
  training_mae_ = (Predict(x) - y).cwiseAbs().mean();
}

Eigen::MatrixXf FeedForwardNetwork::Hidden(
    const Eigen::Ref<const Eigen::MatrixXf>& columns) const {
  Eigen::MatrixXf activations = columns;
  const int hidden = static_cast<int>(weights_.size()) - 1;
  for (int l = 0; l < hidden; ++l) {
    Eigen::MatrixXf next = weights_[l] * activations;
    next.colwise() += biases_[l];
    activations = next.cwiseMax(0.0f);
  }
  return activations;
}

Eigen::VectorXd FeedForwardNetwork::Predict(const FeatureMatrix& x) const {
  const Eigen::Map<const Eigen::MatrixXf> columns(x.data(), x.cols(), x.rows());
  Eigen::RowVectorXf out = weights_.back() * Hidden(columns);
  out.array() += biases_.back()(0);
  return (out.transpose().cast<double>().array() * target_scale_ +
          target_mean_)
      .matrix();
}

Eigen::MatrixXd FeedForwardNetwork::LastHiddenLayer(
    const FeatureMatrix& x) const {
  const Eigen::Map<const Eigen::MatrixXf> columns(x.data(), x.cols(), x.rows());
  return Hidden(columns).transpose().cast<double>();
}

}  // namespace nas
