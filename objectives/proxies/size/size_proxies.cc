// The size baselines of the zero-cost proxy literature (Abdelfattah et al.,
// ICLR 2021, Table 1 reports both): bigger networks tend to train to higher
// accuracy, so a useful proxy must at least beat them.

#include <memory>

#include "objectives/proxies/proxy.h"

namespace nas {
namespace {

// Trainable parameters (CountParameters: BatchNorm statistics excluded).
class ParameterCount : public Proxy {
 public:
  bool needs_data() const override { return false; }
  absl::StatusOr<double> Score(Network& network, const NetworkShape& shape,
                               const Minibatch& batch) const override {
    return static_cast<double>(CountParameters(network));
  }
};

// Multiply-accumulates of one image's forward pass (CountFlops, the
// NAS-Bench-201 convention).
class FlopCount : public Proxy {
 public:
  bool needs_data() const override { return false; }
  absl::StatusOr<double> Score(Network& network, const NetworkShape& shape,
                               const Minibatch& batch) const override {
    return static_cast<double>(CountFlops(network, shape));
  }
};

NAS_REGISTER_PROXY("params", "Number of trainable parameters",
                   [] { return std::make_unique<ParameterCount>(); });
NAS_REGISTER_PROXY("flops",
                   "Multiply-accumulates of one forward pass of one image",
                   [] { return std::make_unique<FlopCount>(); });

}  // namespace
}  // namespace nas
