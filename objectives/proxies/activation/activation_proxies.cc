// Scores of how a network at initialisation separates the images of one
// minibatch. Definitions and sources in docs/proxies.md.

#include <cmath>
#include <limits>
#include <memory>

#include "objectives/networks/ops.h"
#include "objectives/proxies/proxy.h"
#include "torch/torch.h"

namespace nas {
namespace {

// Jacobian covariance (Mellor et al., Neural Architecture Search without
// Training, 2021 preprint v1; scored as by Abdelfattah et al. 2021): J is
// the gradient of the summed logits for each image's input pixels; with
// sigma the eigenvalues of the correlation matrix of J's rows and k = 1e-5,
// score = -sum(log(sigma + k) + 1 / (sigma + k)). A network that maps two
// images' inputs to exactly proportional Jacobians, or one image's to a
// constant, or whose output does not depend on its input, cannot tell them
// apart: -infinity.
class JacobCov : public Proxy {
 public:
  bool needs_data() const override { return true; }
  absl::StatusOr<double> Score(Network& network, const NetworkShape& shape,
                               const Minibatch& batch) const override {
    torch::Tensor x = batch.images.clone().requires_grad_(true);
    torch::Tensor y = network.forward(x);
    y.backward(torch::ones_like(y));
    // No path from the input to the output (every cell edge 'none' on it):
    // the network cannot tell any images apart.
    if (!x.grad().defined()) return -std::numeric_limits<double>::infinity();
    torch::Tensor j =
        x.grad().reshape({x.size(0), -1}).to(torch::kFloat64);
    j = j - j.mean(1, /*keepdim=*/true);
    const torch::Tensor norms = j.norm(2, 1, /*keepdim=*/true);
    if (norms.min().item<double>() == 0) {
      return -std::numeric_limits<double>::infinity();
    }
    j = j / norms;
    const torch::Tensor eigenvalues = torch::linalg::eigvalsh(j.matmul(j.t()), "L");
    constexpr double k = 1e-5;
    return -(torch::log(eigenvalues + k) + 1.0 / (eigenvalues + k))
                .sum()
                .item<double>();
  }
};

// Sums the binary activation kernel: for the codes c (1 where a ReLU's
// input is positive) of images i and j over every ReLU unit,
// K_ij = #units where both are active + #units where both are inactive.
class ActivationKernel : public ops::ActivationObserver {
 public:
  explicit ActivationKernel(int64_t batch)
      : kernel(torch::zeros({batch, batch}, torch::kFloat64)) {}
  void ReluInput(const torch::Tensor& x) override {
    const torch::Tensor c = x.detach().gt(0).reshape({x.size(0), -1}).to(torch::kFloat64);
    const torch::Tensor off = 1.0 - c;
    kernel += c.matmul(c.t()) + off.matmul(off.t());
  }
  torch::Tensor kernel;
};

// NASWOT (Mellor et al., Neural Architecture Search without Training, ICML
// 2021): score = log |det K|, K the binary activation kernel above.
// -infinity when K is singular (two images share every code).
class Naswot : public Proxy {
 public:
  bool needs_data() const override { return true; }
  absl::StatusOr<double> Score(Network& network, const NetworkShape& shape,
                               const Minibatch& batch) const override {
    torch::NoGradGuard no_grad;
    ActivationKernel kernel(batch.images.size(0));
    network.forward(batch.images);
    const auto [sign, log_abs_det] = torch::linalg::slogdet(kernel.kernel);
    if (sign.item<double>() == 0) return -std::numeric_limits<double>::infinity();
    return log_abs_det.item<double>();
  }
};

NAS_REGISTER_PROXY("jacob_cov",
                   "Jacobian covariance of the inputs (Mellor et al. 2021 v1)",
                   [] { return std::make_unique<JacobCov>(); });
NAS_REGISTER_PROXY("naswot",
                   "Log-determinant of the binary ReLU activation kernel "
                   "(Mellor et al. 2021)",
                   [] { return std::make_unique<Naswot>(); });

}  // namespace
}  // namespace nas
