#ifndef NASBENCH_OBJECTIVES_PROXIES_PROXY_H_
#define NASBENCH_OBJECTIVES_PROXIES_PROXY_H_

// Zero-cost proxies: scores computed from a network at initialisation (and
// at most one minibatch) that are meant to rank architectures as training
// would. A proxy scores a built, freshly initialised network; the helpers
// below build and initialise it reproducibly from (seed, architecture).
// Proxies register by name from their own packages:
//
//   NAS_REGISTER_PROXY("synflow", "Synaptic flow (Tanaka et al. 2020)",
//                      [] { return std::make_unique<Synflow>(); });
//
// Convention: a higher score predicts a better (more accurate) network.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/architecture.h"
#include "core/registry.h"
#include "objectives/networks/network.h"
#include "objectives/proxies/proxy.pb.h"
#include "spaces/search_space.h"
#include "torch/types.h"

namespace nas {

// Images [batch, C, H, W] (normalised floats) and labels [batch] (int64).
// Empty tensors for data-free proxies. `digest` is the SHA-256 of both, for
// cache keys.
struct Minibatch {
  torch::Tensor images;
  torch::Tensor labels;
  std::string digest;
};

class Proxy {
 public:
  virtual ~Proxy() = default;

  // True when Score reads the minibatch.
  virtual bool needs_data() const = 0;

  // The score of `network` (built with `shape`, just initialised). May
  // change the network's weights, gradients and mode: callers build a fresh
  // network for every score. Deterministic for equal inputs on one thread.
  virtual absl::StatusOr<double> Score(Network& network,
                                       const NetworkShape& shape,
                                       const Minibatch& batch) const = 0;
};

using ProxyFactory = std::function<std::unique_ptr<Proxy>()>;
using ProxyRegistry = Registry<ProxyFactory>;

inline ProxyRegistry& GlobalProxyRegistry() {
  return ProxyRegistry::Global("proxy");
}

// The proxy registered as `name`; NotFound listing the registered ones.
absl::StatusOr<std::unique_ptr<Proxy>> MakeProxy(const std::string& name);

#define NAS_REGISTER_PROXY(name, description, factory)                      \
  static ::nas::PluginRegistrar NAS_INTERNAL_UNIQUE_NAME(nas_proxy_registrar_)( \
      [] {                                                                  \
        ::nas::GlobalProxyRegistry().Register(                              \
            {name, description, nullptr, factory, __FILE__});               \
      })

NetworkShape ShapeOf(const ProxySettings& settings);

// InvalidArgument naming the field for settings no network could take.
absl::Status CheckSettings(const ProxySettings& settings);

// The weights of every convolution and linear layer: the parameters the
// pruning-at-initialisation literature scores (not biases, not BatchNorm).
std::vector<torch::Tensor> PrunableWeights(torch::nn::Module& network);

// Mean cross-entropy of the network's logits on the minibatch.
torch::Tensor CrossEntropy(Network& network, const Minibatch& batch);

// Re-draws every parameter from `generator` with PyTorch's default ranges:
// conv and linear weights and linear biases uniform in +-1/sqrt(fan_in),
// BatchNorm scales 1 and shifts 0. The network then depends only on the
// generator's seed.
void InitializeDefaultWeights(torch::nn::Module& network,
                              at::Generator& generator);

// `batch_size` Fashion-MNIST training images (distinct, drawn with `seed`
// from the first 50,000, the trained objective's training split),
// normalised, zero-padded (centred) to shape's height and width and repeated
// over its input channels; labels must be < shape.num_classes.
absl::StatusOr<Minibatch> FashionMnistMinibatch(const std::string& dir,
                                                const NetworkShape& shape,
                                                int batch_size, uint64_t seed);

// Builds `arch`'s network with the builder registered for space.name(),
// initialises it from HashCombine(seed, space.Hash(arch)), and scores it
// with one intra-op thread (so the score does not depend on the machine).
absl::StatusOr<double> ScoreArchitecture(const Proxy& proxy,
                                         const SearchSpace& space,
                                         const Architecture& arch,
                                         const NetworkShape& shape,
                                         const Minibatch& batch, uint64_t seed);

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_PROXIES_PROXY_H_
