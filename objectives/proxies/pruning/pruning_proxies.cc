// Saliency scores of pruning at initialisation, summed over every weight of
// every convolution and linear layer (PrunableWeights), as Abdelfattah et
// al. (Zero-Cost Proxies for Lightweight NAS, ICLR 2021) turn them into
// network scores. Definitions and sources in docs/proxies.md.

#include <memory>
#include <vector>

#include "objectives/proxies/proxy.h"
#include "objectives/networks/ops.h"
#include "torch/torch.h"

namespace nas {
namespace {

// The gradient of `loss` for each weight, undefined for weights the loss
// does not depend on (e.g. a conv on a cell node no path reads).
std::vector<torch::Tensor> Gradients(const torch::Tensor& loss,
                                     const std::vector<torch::Tensor>& weights,
                                     bool create_graph) {
  return torch::autograd::grad({loss}, weights, /*grad_outputs=*/{},
                               /*retain_graph=*/create_graph, create_graph,
                               /*allow_unused=*/true);
}

// Sum over weights of f(weight, its gradient), skipping unused weights.
template <typename PerWeight>
double SumOver(const std::vector<torch::Tensor>& weights,
               const std::vector<torch::Tensor>& grads, PerWeight per_weight) {
  double total = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (!grads[i].defined()) continue;
    total += per_weight(weights[i].detach(), grads[i].detach());
  }
  return total;
}

// grad_norm (Abdelfattah et al. 2021): the Euclidean norm of each layer's
// loss gradient, summed over layers.
double GradientNorm(const torch::Tensor& w, const torch::Tensor& g) {
  return g.norm().item<double>();
}

// SNIP connection sensitivity (Lee et al., ICLR 2019): |theta * dL/dtheta|.
double ConnectionSensitivity(const torch::Tensor& w, const torch::Tensor& g) {
  return (w * g).abs().sum().item<double>();
}

// Synaptic flow (Tanaka et al., NeurIPS 2020): with every parameter
// replaced by its absolute value, R = sum of the outputs for an all-ones
// input; score = sum |theta * dR/dtheta|. Data-free. In double precision
// (the products of layer sums overflow floats in deep networks), with
// BatchNorm in inference mode at its initial statistics, where it is the
// identity up to 1/sqrt(1 + 1e-5): the reference implementation removes it.
class Synflow : public Proxy {
 public:
  bool needs_data() const override { return false; }
  absl::StatusOr<double> Score(Network& network, const NetworkShape& shape,
                               const Minibatch& batch) const override {
    network.to(torch::kFloat64);
    network.eval();
    {
      torch::NoGradGuard no_grad;
      for (torch::Tensor& p : network.parameters()) p.abs_();
    }
    const torch::Tensor ones = torch::ones(
        {1, shape.input_channels, shape.input_height, shape.input_width},
        torch::kFloat64);
    const std::vector<torch::Tensor> weights = PrunableWeights(network);
    const torch::Tensor r = network.forward(ones).sum();
    return SumOver(weights, Gradients(r, weights, /*create_graph=*/false),
                   &ConnectionSensitivity);
  }
};

// A sum over weights of f(theta, dL/dtheta), L the minibatch's loss.
class LossGradientSum : public Proxy {
 public:
  using PerWeight = double (*)(const torch::Tensor& w, const torch::Tensor& g);
  explicit LossGradientSum(PerWeight per_weight) : per_weight_(per_weight) {}
  bool needs_data() const override { return true; }
  absl::StatusOr<double> Score(Network& network, const NetworkShape& shape,
                               const Minibatch& batch) const override {
    const std::vector<torch::Tensor> weights = PrunableWeights(network);
    return SumOver(weights,
                   Gradients(CrossEntropy(network, batch), weights, false),
                   per_weight_);
  }

 private:
  PerWeight per_weight_;
};

// GraSP (Wang et al., ICLR 2020): sum of -theta * (H g), H the Hessian of
// the loss and g its gradient, by a Hessian-vector product.
class Grasp : public Proxy {
 public:
  bool needs_data() const override { return true; }
  absl::StatusOr<double> Score(Network& network, const NetworkShape& shape,
                               const Minibatch& batch) const override {
    const std::vector<torch::Tensor> weights = PrunableWeights(network);
    std::vector<torch::Tensor> g =
        Gradients(CrossEntropy(network, batch), weights, false);
    const std::vector<torch::Tensor> g_graph =
        Gradients(CrossEntropy(network, batch), weights, /*create_graph=*/true);
    torch::Tensor g_dot = torch::zeros({}, torch::kFloat32);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (g[i].defined() && g_graph[i].defined()) {
        g_dot = g_dot + (g_graph[i] * g[i].detach()).sum();
      }
    }
    if (!g_dot.requires_grad()) return 0.0;  // No weight reaches the loss.
    const std::vector<torch::Tensor> hg = Gradients(g_dot, weights, false);
    return SumOver(weights, hg,
                   [](const torch::Tensor& w, const torch::Tensor& h) {
                     return -(w * h).sum().item<double>();
                   });
  }
};

// Keeps every conv and linear output with its gradient.
class LayerOutputs : public ops::ActivationObserver {
 public:
  void LayerOutput(torch::Tensor& y) override {
    if (!y.requires_grad()) return;
    y.retain_grad();
    outputs.push_back(y);
  }
  std::vector<torch::Tensor> outputs;
};

// Fisher information of activations (Theis et al. 2018, as used for channel
// pruning by Turner et al., BlockSwap, ICLR 2020): for each channel of each
// conv / linear output a, 0.5 * mean over images of (sum over positions of
// a * dL/da)^2; summed.
class Fisher : public Proxy {
 public:
  bool needs_data() const override { return true; }
  absl::StatusOr<double> Score(Network& network, const NetworkShape& shape,
                               const Minibatch& batch) const override {
    LayerOutputs observed;
    CrossEntropy(network, batch).backward();
    double total = 0;
    torch::NoGradGuard no_grad;
    for (const torch::Tensor& a : observed.outputs) {
      if (!a.grad().defined()) continue;
      torch::Tensor per_channel = a * a.grad();
      if (per_channel.dim() > 2) per_channel = per_channel.sum({2, 3});
      total += per_channel.pow(2).mean(0).mul(0.5).sum().item<double>();
    }
    return total;
  }
};

NAS_REGISTER_PROXY("synflow",
                   "Synaptic flow at initialisation, data-free (Tanaka et al. "
                   "2020)",
                   [] { return std::make_unique<Synflow>(); });
NAS_REGISTER_PROXY("grad_norm", "Sum of per-layer loss-gradient norms",
                   [] { return std::make_unique<LossGradientSum>(&GradientNorm); });
NAS_REGISTER_PROXY("snip", "SNIP connection sensitivity (Lee et al. 2019)",
                   [] {
                     return std::make_unique<LossGradientSum>(
                         &ConnectionSensitivity);
                   });
NAS_REGISTER_PROXY("grasp", "GraSP gradient signal preservation (Wang et al. "
                            "2020)",
                   [] { return std::make_unique<Grasp>(); });
NAS_REGISTER_PROXY("fisher",
                   "Fisher information of activations (Turner et al. 2020)",
                   [] { return std::make_unique<Fisher>(); });

}  // namespace
}  // namespace nas
