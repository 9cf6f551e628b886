#ifndef NASBENCH_OBJECTIVES_NETWORKS_NETWORK_H_
#define NASBENCH_OBJECTIVES_NETWORKS_NETWORK_H_

// Networks from architectures: the layer between search spaces (which know
// nothing of libtorch) and everything that trains or scores real networks
// (trained objectives, later zero-cost proxies).
//
// A NetworkBuilder turns an architecture of one search space into a libtorch
// module following that benchmark's published macro-architecture (stem,
// stacked cells, reductions, head), with width, depth and input shape as
// parameters. Builders register themselves by space name from their own
// packages (objectives/networks/<space>/), so nothing central lists them:
//
//   NAS_REGISTER_NETWORK_BUILDER("my_space", "the network of my_space's paper",
//                                &MakeBuilder);

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/architecture.h"
#include "core/registry.h"
#include "spaces/search_space.h"
#include "torch/nn/module.h"
#include "torch/types.h"

namespace nas {

// The macro-architecture's free parameters. `channels` is the initial width
// (NAS-Bench-201's C, DARTS's init_channels, NAS-Bench-101's stem filters);
// `cells` is the depth in each builder's own unit, documented by the builder
// (NAS-Bench-201: cells per stage, N; DARTS: total cells, `layers`;
// NAS-Bench-101: cells per stack).
struct NetworkShape {
  int channels = 16;
  int cells = 5;
  int input_channels = 3;
  int input_height = 32;
  int input_width = 32;
  int num_classes = 10;

  std::string DebugString() const;
};

// A built network: images [batch, input_channels, height, width] in, logits
// [batch, num_classes] out.
class Network : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& images) = 0;
};

class NetworkBuilder {
 public:
  virtual ~NetworkBuilder() = default;

  // Builds the network of `arch`, a valid architecture of `space` (the space
  // the builder is registered for). InvalidArgument for a shape the
  // macro-architecture cannot take (e.g. too small an input for its
  // reductions, channels not divisible as it needs), naming the field.
  virtual absl::StatusOr<std::shared_ptr<Network>> Build(
      const SearchSpace& space, const Architecture& arch,
      const NetworkShape& shape) const = 0;
};

// What a builder requires of the shape beyond its own checks, and the words
// its errors use.
struct ShapeRequirements {
  const char* network;       // e.g. "DARTS network"
  int min_channels = 1;
  int min_cells = 1;
  const char* cells_meaning;  // e.g. "cells per stage"
  int min_input_size = 1;     // Height and width.
  const char* reductions;     // e.g. "two stride-2 reductions"
};

// The checks every builder starts with: `arch` valid in `space`, the shape
// within `requirements` (input_channels >= 1 and classes >= 2 always).
// InvalidArgument naming the field otherwise.
absl::Status CheckBuildRequest(const SearchSpace& space,
                               const Architecture& arch,
                               const NetworkShape& shape,
                               const ShapeRequirements& requirements);

using NetworkBuilderFactory = std::function<std::unique_ptr<NetworkBuilder>()>;
using NetworkBuilderRegistry = Registry<NetworkBuilderFactory>;

inline NetworkBuilderRegistry& GlobalNetworkBuilderRegistry() {
  return NetworkBuilderRegistry::Global("network builder");
}

// The builder registered for `space_name`; NotFound (listing the spaces that
// have builders) otherwise.
absl::StatusOr<std::unique_ptr<NetworkBuilder>> FindNetworkBuilder(
    const std::string& space_name);

// Registers a builder for the search space named `space_name` from its own .cc.
#define NAS_REGISTER_NETWORK_BUILDER(space_name, description, factory) \
  static ::nas::PluginRegistrar NAS_INTERNAL_UNIQUE_NAME(              \
      nas_network_builder_registrar_)([] {                             \
    ::nas::GlobalNetworkBuilderRegistry().Register(                    \
        {space_name, description, nullptr, factory, __FILE__});        \
  })

// Number of parameters (all trainable tensors' elements; BatchNorm running
// statistics are buffers and do not count), exactly as PyTorch's
// sum(p.numel() for p in model.parameters()).
int64_t CountParameters(const torch::nn::Module& network);

// Multiply-accumulates of one forward pass of one image of `shape`, counted
// exactly for the network built: every convolution (k_h * k_w * C_in / groups
// per output element) and every linear layer ((in + 1) * out: MACs and bias
// additions), the convention of the NAS-Bench-201 / NATS-Bench "FLOPs"
// figures (checked against them in networks_test). Runs one forward pass.
int64_t CountFlops(Network& network, const NetworkShape& shape);

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_NETWORKS_NETWORK_H_
