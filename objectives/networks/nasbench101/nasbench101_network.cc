// NAS-Bench-101's network (Ying et al., ICML 2019; nasbench's
// model_builder.py): a 3x3 conv-BN-ReLU stem of `channels` filters (128 in
// the benchmark); three stacks of `cells` cells (3 in the benchmark), the
// second and third preceded by 2x2 stride-2 max pooling and doubling the
// width; global average pooling and a dense layer with bias.
//
// A cell (module) of width C on an input of width C_in: vertex channels are
// split so that the concatenation feeding the output has C channels (the
// interior vertices joined to the output get C / k channels, the first
// C mod k of them one more; every other vertex the most of its successors).
// Vertex t sums its inputs: the cell input through its own 1x1 conv-BN-ReLU
// projection to t's width when the input feeds t, and each earlier interior
// vertex's output cut to t's first channels; then applies its op (3x3 or 1x1
// conv-BN-ReLU, or 3x3 stride-1 max pooling). The output concatenates the
// vertices joined to it, plus a projection of the input when the input is
// joined to it directly (the projection alone when nothing else is).
// Convolutions have no bias; BatchNorm is affine (beta and gamma trainable,
// as TensorFlow's batch_normalization), so parameter counts match the
// published trainable_parameters exactly.
//
// NetworkShape: channels = stem filters, cells = cells per stack.

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/check.h"
#include "objectives/networks/network.h"
#include "objectives/networks/ops.h"
#include "spaces/nasbench101/nasbench101.h"
#include "torch/torch.h"

namespace nas {
namespace {

constexpr int kStacks = 3;

// conv (no bias, "same" padding) -> BN -> ReLU: nasbench's conv_bn_relu.
class ConvBnRelu : public ops::Op {
 public:
  ConvBnRelu(int in, int out, int kernel) {
    conv_ = register_module(
        "conv", std::make_shared<ops::Conv>(in, out, kernel, 1, kernel / 2));
    bn_ = register_module("bn", std::make_shared<ops::BatchNorm>(out));
  }
  torch::Tensor forward(const torch::Tensor& x) override {
    return torch::relu(bn_->forward(conv_->forward(x)));
  }

 private:
  std::shared_ptr<ops::Conv> conv_;
  std::shared_ptr<ops::BatchNorm> bn_;
};

// nasbench's compute_vertex_channels for a pruned, upper-triangular cell.
std::vector<int> VertexChannels(const nasbench101::Cell& cell, int in,
                                int out) {
  const int n = cell.num_vertices;
  // A pruned cell keeps at least its input and output (and saying so lets
  // the compiler see that channels[n - 1] is in bounds).
  if (n < 2) InternalError("nasbench101 network", "cell without an output");
  std::vector<int> channels(n, 0);
  channels[0] = in;
  channels[n - 1] = out;
  if (n == 2) return channels;
  int fan_in = 0;
  for (int v = 1; v < n - 1; ++v) fan_in += cell.HasEdge(v, n - 1);
  // Pruning keeps only vertices on an input-output path, and n > 2, so some
  // interior vertex feeds the output.
  const int share = out / fan_in;
  int remainder = out % fan_in;
  for (int v = 1; v < n - 1; ++v) {
    if (!cell.HasEdge(v, n - 1)) continue;
    channels[v] = share + (remainder > 0 ? 1 : 0);
    if (remainder > 0) --remainder;
  }
  for (int v = n - 3; v > 0; --v) {
    if (cell.HasEdge(v, n - 1)) continue;
    for (int to = v + 1; to < n - 1; ++to) {
      if (cell.HasEdge(v, to)) channels[v] = std::max(channels[v], channels[to]);
    }
  }
  return channels;
}

class CellModule : public ops::Op {
 public:
  CellModule(const nasbench101::Cell& cell, int in, int out)
      : cell_(cell), channels_(VertexChannels(cell, in, out)) {
    const int n = cell.num_vertices;
    projections_.resize(n);
    vertex_ops_.resize(n);
    for (int t = 1; t < n; ++t) {
      const bool needs_projection =
          cell.HasEdge(0, t) || (t == n - 1 && n == 2);
      if (needs_projection) {
        projections_[t] = register_module(
            absl::StrCat("projection", t),
            std::make_shared<ConvBnRelu>(in, channels_[t], 1));
      }
      if (t == n - 1) continue;
      const int c = channels_[t];
      switch (cell.ops[t]) {
        case 0:
          vertex_ops_[t] = std::make_shared<ConvBnRelu>(c, c, 3);
          break;
        case 1:
          vertex_ops_[t] = std::make_shared<ConvBnRelu>(c, c, 1);
          break;
        default:
          vertex_ops_[t] = std::make_shared<ops::Pool>(ops::Pool::kMax, 1);
      }
      register_module(absl::StrCat("vertex", t), vertex_ops_[t]);
    }
  }

  torch::Tensor forward(const torch::Tensor& x) override {
    const int n = cell_.num_vertices;
    std::vector<torch::Tensor> values(n);
    values[0] = x;
    std::vector<torch::Tensor> to_output;
    for (int t = 1; t < n - 1; ++t) {
      torch::Tensor sum;
      auto add = [&](const torch::Tensor& term) {
        sum = sum.defined() ? sum + term : term;
      };
      for (int from = 1; from < t; ++from) {
        if (cell_.HasEdge(from, t)) {
          add(values[from].narrow(1, 0, channels_[t]));
        }
      }
      if (cell_.HasEdge(0, t)) add(projections_[t]->forward(x));
      values[t] = vertex_ops_[t]->forward(sum);
      if (cell_.HasEdge(t, n - 1)) to_output.push_back(values[t]);
    }
    if (to_output.empty()) return projections_[n - 1]->forward(x);
    torch::Tensor out =
        to_output.size() == 1 ? to_output[0] : torch::cat(to_output, 1);
    if (cell_.HasEdge(0, n - 1)) out = out + projections_[n - 1]->forward(x);
    return out;
  }

 private:
  nasbench101::Cell cell_;
  std::vector<int> channels_;
  std::vector<std::shared_ptr<ConvBnRelu>> projections_;
  std::vector<ops::OpPtr> vertex_ops_;
};

class Nasbench101Network : public Network {
 public:
  Nasbench101Network(const nasbench101::Cell& cell, const NetworkShape& shape) {
    stem_ = register_module(
        "stem", std::make_shared<ConvBnRelu>(shape.input_channels,
                                             shape.channels, 3));
    int width = shape.channels;
    for (int stack = 0; stack < kStacks; ++stack) {
      const int in = width;
      if (stack > 0) width *= 2;
      for (int i = 0; i < shape.cells; ++i) {
        modules_.push_back(register_module(
            absl::StrCat("stack", stack, "_module", i),
            std::make_shared<CellModule>(cell, i == 0 ? in : width, width)));
      }
    }
    dense_ = register_module(
        "dense", std::make_shared<ops::Linear>(width, shape.num_classes));
  }

  torch::Tensor forward(const torch::Tensor& images) override {
    torch::Tensor x = stem_->forward(images);
    size_t next = 0;
    for (int stack = 0; stack < kStacks; ++stack) {
      if (stack > 0) {
        // TensorFlow's "same" 2x2 pooling: odd sizes keep their last row.
        x = torch::max_pool2d(x, {2, 2}, {2, 2}, {0, 0}, {1, 1},
                              /*ceil_mode=*/true);
      }
      for (size_t i = 0; i < modules_.size() / kStacks; ++i) {
        x = modules_[next++]->forward(x);
      }
    }
    return dense_->forward(x.mean({2, 3}));
  }

 private:
  std::shared_ptr<ConvBnRelu> stem_;
  std::vector<std::shared_ptr<CellModule>> modules_;
  std::shared_ptr<ops::Linear> dense_;
};

class Nasbench101Builder : public NetworkBuilder {
 public:
  absl::StatusOr<std::shared_ptr<Network>> Build(
      const SearchSpace& space, const Architecture& arch,
      const NetworkShape& shape) const override {
    static constexpr ShapeRequirements kRequirements{
        "NAS-Bench-101 network", /*min_channels=*/1, /*min_cells=*/1,
        "cells per stack", /*min_input_size=*/1, "max-pool downsampling"};
    if (absl::Status s = CheckBuildRequest(space, arch, shape, kRequirements);
        !s.ok()) {
      return s;
    }
    // The canonical text form is upper triangular (vertices in topological
    // order), which the forward pass relies on.
    absl::StatusOr<nasbench101::Cell> parsed =
        nasbench101::ParseCell(space.ToString(space.Canonicalize(arch)));
    if (!parsed.ok()) return parsed.status();
    absl::StatusOr<nasbench101::Cell> cell = nasbench101::Prune(*parsed);
    if (!cell.ok()) return cell.status();
    // Every vertex feeding the output gets at least one channel.
    int fan_in = 0;
    for (int v = 1; v + 1 < cell->num_vertices; ++v) {
      fan_in += cell->HasEdge(v, cell->num_vertices - 1);
    }
    if (shape.channels < fan_in) {
      return absl::InvalidArgumentError(absl::StrCat(
          "NAS-Bench-101 network: channels ", shape.channels,
          " cannot be split among the ", fan_in,
          " vertices that feed the cell's output; use at least ", fan_in));
    }
    return std::shared_ptr<Network>(
        std::make_shared<Nasbench101Network>(*cell, shape));
  }
};

NAS_REGISTER_NETWORK_BUILDER(
    "nasbench101",
    "NAS-Bench-101 network: conv stem, 3 stacks of cells with max-pool "
    "downsampling and channel doubling, global pooling, dense head",
    [] { return std::make_unique<Nasbench101Builder>(); });

}  // namespace
}  // namespace nas
