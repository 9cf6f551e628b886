// The DARTS evaluation network (Liu et al., ICLR 2019, "NetworkCIFAR"),
// without the auxiliary head and without drop-path (neither changes the
// network that is evaluated; both are training-time regularisers).
//
// Stem: 3x3 conv to 3C channels + BN. Then `cells` cells (the paper's
// `layers`); the cells at positions floor(cells/3) and floor(2*cells/3) are
// reduction cells that double the width and halve the resolution. Each cell
// has width c (C, doubled at each reduction); it preprocesses its two inputs
// (the outputs of the two previous cells) to c channels (ReLU-1x1 conv-BN,
// or a factorized reduction when the previous cell reduced), computes nodes
// 2..5, each the sum of two ops on earlier nodes, and concatenates nodes
// 2..5 (4c channels). In a reduction cell, ops reading the cell inputs have
// stride 2. Head: global average pooling and a linear classifier.
// The paper's CIFAR-10 network is C = 36, cells = 20.
//
// NetworkShape: channels = C, cells = the number of cells (>= 3).

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "objectives/networks/network.h"
#include "objectives/networks/ops.h"
#include "spaces/darts/darts.h"
#include "torch/torch.h"

namespace nas {
namespace {

using ops::OpPtr;

// Op gene values, in DartsSpace::kOpNames order.
OpPtr MakeOp(int op, int c, int stride) {
  switch (op) {
    case 0:  // sep_conv_3x3
      return std::make_shared<ops::SepConv>(c, c, 3, stride, 1);
    case 1:  // sep_conv_5x5
      return std::make_shared<ops::SepConv>(c, c, 5, stride, 2);
    case 2:  // dil_conv_3x3
      return std::make_shared<ops::DilConv>(c, c, 3, stride, 2, 2);
    case 3:  // dil_conv_5x5
      return std::make_shared<ops::DilConv>(c, c, 5, stride, 4, 2);
    case 4:  // max_pool_3x3
      return std::make_shared<ops::Pool>(ops::Pool::kMax, stride);
    case 5:  // avg_pool_3x3
      return std::make_shared<ops::Pool>(ops::Pool::kAverage, stride);
    default:  // skip_connect
      if (stride == 1) return std::make_shared<ops::Identity>();
      return std::make_shared<ops::FactorizedReduce>(c, c);
  }
}

class Cell : public torch::nn::Module {
 public:
  Cell(const Architecture& arch, int prev_prev, int prev, int c,
       bool reduction, bool reduction_prev) {
    if (reduction_prev) {
      pre0_ = register_module("pre0",
                              std::make_shared<ops::FactorizedReduce>(prev_prev, c));
    } else {
      pre0_ = register_module(
          "pre0", std::make_shared<ops::ReluConvBn>(prev_prev, c, 1, 1, 0));
    }
    pre1_ = register_module("pre1",
                            std::make_shared<ops::ReluConvBn>(prev, c, 1, 1, 0));
    const int cell = reduction ? 1 : 0;
    for (int node = 0; node < DartsSpace::kNodesPerCell; ++node) {
      for (int pair = 0; pair < DartsSpace::kInputsPerNode; ++pair) {
        const int input = arch[DartsSpace::InputGene(cell, node, pair)];
        const int op = arch[DartsSpace::OpGene(cell, node, pair)];
        const int stride = reduction && input < 2 ? 2 : 1;
        inputs_.push_back(input);
        ops_.push_back(register_module(absl::StrCat("node", node + 2, "_", pair),
                                       MakeOp(op, c, stride)));
      }
    }
  }

  torch::Tensor forward(const torch::Tensor& s0, const torch::Tensor& s1) {
    std::vector<torch::Tensor> states = {pre0_->forward(s0), pre1_->forward(s1)};
    for (int node = 0; node < DartsSpace::kNodesPerCell; ++node) {
      const int a = 2 * node, b = 2 * node + 1;
      states.push_back(ops_[a]->forward(states[inputs_[a]]) +
                       ops_[b]->forward(states[inputs_[b]]));
    }
    return torch::cat({states[2], states[3], states[4], states[5]}, 1);
  }

 private:
  OpPtr pre0_, pre1_;
  std::vector<int> inputs_;
  std::vector<OpPtr> ops_;
};

class DartsNetwork : public Network {
 public:
  DartsNetwork(const Architecture& arch, const NetworkShape& shape) {
    constexpr int kStemMultiplier = 3;
    int c = shape.channels;
    const int stem = kStemMultiplier * c;
    stem_conv_ = register_module(
        "stem_conv", std::make_shared<ops::Conv>(shape.input_channels, stem, 3, 1, 1));
    stem_bn_ = register_module("stem_bn", std::make_shared<ops::BatchNorm>(stem));
    int prev_prev = stem, prev = stem;
    bool reduction_prev = false;
    for (int i = 0; i < shape.cells; ++i) {
      const bool reduction = i == shape.cells / 3 || i == 2 * shape.cells / 3;
      if (reduction) c *= 2;
      cells_.push_back(register_module(
          absl::StrCat("cell", i),
          std::make_shared<Cell>(arch, prev_prev, prev, c, reduction,
                                 reduction_prev)));
      reduction_prev = reduction;
      prev_prev = prev;
      prev = DartsSpace::kNodesPerCell * c;
    }
    classifier_ = register_module(
        "classifier", std::make_shared<ops::Linear>(prev, shape.num_classes));
  }

  torch::Tensor forward(const torch::Tensor& images) override {
    torch::Tensor s0 = stem_bn_->forward(stem_conv_->forward(images));
    torch::Tensor s1 = s0;
    for (const std::shared_ptr<Cell>& cell : cells_) {
      torch::Tensor next = cell->forward(s0, s1);
      s0 = s1;
      s1 = next;
    }
    s1 = torch::adaptive_avg_pool2d(s1, {1, 1}).flatten(1);
    return classifier_->forward(s1);
  }

 private:
  std::shared_ptr<ops::Conv> stem_conv_;
  std::shared_ptr<ops::BatchNorm> stem_bn_;
  std::vector<std::shared_ptr<Cell>> cells_;
  std::shared_ptr<ops::Linear> classifier_;
};

class DartsBuilder : public NetworkBuilder {
 public:
  absl::StatusOr<std::shared_ptr<Network>> Build(
      const SearchSpace& space, const Architecture& arch,
      const NetworkShape& shape) const override {
    static constexpr ShapeRequirements kRequirements{
        "DARTS network", /*min_channels=*/2, /*min_cells=*/3,
        "so that its two reduction cells are distinct",
        /*min_input_size=*/4, "two reduction cells"};
    if (absl::Status s = CheckBuildRequest(space, arch, shape, kRequirements);
        !s.ok()) {
      return s;
    }
    return std::shared_ptr<Network>(std::make_shared<DartsNetwork>(arch, shape));
  }
};

NAS_REGISTER_NETWORK_BUILDER(
    "darts",
    "DARTS NetworkCIFAR: 3C stem, cells with reductions at 1/3 and 2/3 of the "
    "depth, pooling-linear head (no auxiliary head)",
    [] { return std::make_unique<DartsBuilder>(); });

}  // namespace
}  // namespace nas
