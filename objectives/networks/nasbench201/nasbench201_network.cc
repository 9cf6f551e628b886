// NAS-Bench-201's network (Dong & Yang, ICLR 2020, "TinyNetwork"): a 3x3
// conv + BN stem with C channels; three stages of N cells at C, 2C and 4C
// channels, joined by residual basic blocks that halve the resolution and
// double the width; then BN, ReLU, global average pooling and a linear
// classifier. The benchmark's tables use C = 16, N = 5 on 32x32 inputs.
//
// A cell has 4 nodes; node j sums op_e(node i) over its incoming edges
// e = (i -> j); the cell's output is node 3. All ops keep the cell's width
// and resolution: none (zeros), skip_connect (identity), nor_conv_1x1 and
// nor_conv_3x3 (ReLU -> conv -> BN), avg_pool_3x3 (no padding counted).
//
// NetworkShape: channels = C, cells = N (cells per stage).

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "objectives/networks/network.h"
#include "objectives/networks/ops.h"
#include "spaces/nasbench201/nasbench201.h"
#include "torch/torch.h"

namespace nas {
namespace {

using ops::OpPtr;

OpPtr MakeCellOp(int op, int channels) {
  switch (op) {
    case 0:
      return std::make_shared<ops::Zero>();
    case 1:
      return std::make_shared<ops::Identity>();
    case 2:
      return std::make_shared<ops::ReluConvBn>(channels, channels, 1, 1, 0);
    case 3:
      return std::make_shared<ops::ReluConvBn>(channels, channels, 3, 1, 1);
    default:
      return std::make_shared<ops::Pool>(ops::Pool::kAverage, 1);
  }
}

// Edge e of the cell goes from node kFrom[e] to node kTo[e].
constexpr int kFrom[6] = {0, 0, 1, 0, 1, 2};
constexpr int kTo[6] = {1, 2, 2, 3, 3, 3};

class Cell : public ops::Op {
 public:
  Cell(const Architecture& arch, int channels) : genes_(arch.genes().begin(), arch.genes().end()) {
    for (int e = 0; e < 6; ++e) {
      edges_.push_back(register_module(absl::StrCat("edge", e),
                                       MakeCellOp(arch[e], channels)));
    }
  }

  torch::Tensor forward(const torch::Tensor& x) override {
    // Edges are ordered by target node, so a node is complete before any
    // edge reads it. 'none' edges add nothing and are skipped (same values
    // and gradients as adding zeros); a node whose edges are all 'none' is
    // zero, and the ops after it still run on those zeros (a BN of zeros is
    // its bias, as in the reference network).
    torch::Tensor nodes[4] = {x};
    auto node = [&](int i) {
      if (!nodes[i].defined()) nodes[i] = torch::zeros_like(x);
      return nodes[i];
    };
    for (int e = 0; e < 6; ++e) {
      if (genes_[e] == 0) continue;
      torch::Tensor out = edges_[e]->forward(node(kFrom[e]));
      nodes[kTo[e]] = nodes[kTo[e]].defined() ? nodes[kTo[e]] + out : out;
    }
    return node(3);
  }

 private:
  std::vector<uint8_t> genes_;
  std::vector<OpPtr> edges_;
};

// The reduction between stages: ReLU-conv3x3(stride 2)-BN, ReLU-conv3x3-BN,
// plus a shortcut of 2x2 average pooling and a 1x1 conv.
class ResidualReduction : public ops::Op {
 public:
  ResidualReduction(int in, int out) {
    conv_a_ = register_module("conv_a",
                              std::make_shared<ops::ReluConvBn>(in, out, 3, 2, 1));
    conv_b_ = register_module("conv_b",
                              std::make_shared<ops::ReluConvBn>(out, out, 3, 1, 1));
    shortcut_ = register_module("shortcut",
                                std::make_shared<ops::Conv>(in, out, 1, 1, 0));
  }

  torch::Tensor forward(const torch::Tensor& x) override {
    torch::Tensor residual = shortcut_->forward(torch::avg_pool2d(x, {2, 2}, {2, 2}));
    return residual + conv_b_->forward(conv_a_->forward(x));
  }

 private:
  std::shared_ptr<ops::ReluConvBn> conv_a_, conv_b_;
  std::shared_ptr<ops::Conv> shortcut_;
};

class Nasbench201Network : public Network {
 public:
  Nasbench201Network(const Architecture& arch, const NetworkShape& shape) {
    const int c = shape.channels;
    stem_conv_ = register_module(
        "stem_conv", std::make_shared<ops::Conv>(shape.input_channels, c, 3, 1, 1));
    stem_bn_ = register_module("stem_bn", std::make_shared<ops::BatchNorm>(c));
    int width = c;
    for (int stage = 0; stage < 3; ++stage) {
      if (stage > 0) {
        layers_.push_back(register_module(
            absl::StrCat("reduction", stage),
            std::make_shared<ResidualReduction>(width, 2 * width)));
        width *= 2;
      }
      for (int i = 0; i < shape.cells; ++i) {
        layers_.push_back(register_module(
            absl::StrCat("cell", stage, "_", i),
            std::make_shared<Cell>(arch, width)));
      }
    }
    last_bn_ = register_module("last_bn", std::make_shared<ops::BatchNorm>(width));
    classifier_ = register_module(
        "classifier", std::make_shared<ops::Linear>(width, shape.num_classes));
  }

  torch::Tensor forward(const torch::Tensor& images) override {
    torch::Tensor x = stem_bn_->forward(stem_conv_->forward(images));
    for (const OpPtr& layer : layers_) x = layer->forward(x);
    x = ops::Relu(last_bn_->forward(x));
    x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
    return classifier_->forward(x);
  }

 private:
  std::shared_ptr<ops::Conv> stem_conv_;
  std::shared_ptr<ops::BatchNorm> stem_bn_, last_bn_;
  std::vector<OpPtr> layers_;
  std::shared_ptr<ops::Linear> classifier_;
};

class Nasbench201Builder : public NetworkBuilder {
 public:
  absl::StatusOr<std::shared_ptr<Network>> Build(
      const SearchSpace& space, const Architecture& arch,
      const NetworkShape& shape) const override {
    static constexpr ShapeRequirements kRequirements{
        "NAS-Bench-201 network", /*min_channels=*/1, /*min_cells=*/1,
        "cells per stage", /*min_input_size=*/4, "two stride-2 reductions"};
    if (absl::Status s = CheckBuildRequest(space, arch, shape, kRequirements);
        !s.ok()) {
      return s;
    }
    return std::shared_ptr<Network>(
        std::make_shared<Nasbench201Network>(arch, shape));
  }
};

NAS_REGISTER_NETWORK_BUILDER(
    "nasbench201",
    "NAS-Bench-201 TinyNetwork: stem, 3 stages of N cells (C, 2C, 4C), "
    "residual reductions, BN-ReLU-pool-linear head",
    [] { return std::make_unique<Nasbench201Builder>(); });

}  // namespace
}  // namespace nas
