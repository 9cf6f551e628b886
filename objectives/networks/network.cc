#include "objectives/networks/network.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "objectives/networks/ops.h"
#include "torch/torch.h"

namespace nas {

std::string NetworkShape::DebugString() const {
  return absl::StrCat("channels ", channels, ", cells ", cells, ", input ",
                      input_channels, "x", input_height, "x", input_width,
                      ", classes ", num_classes);
}

absl::Status CheckBuildRequest(const SearchSpace& space,
                               const Architecture& arch,
                               const NetworkShape& shape,
                               const ShapeRequirements& requirements) {
  if (absl::Status s = space.Validate(arch); !s.ok()) return s;
  if (shape.channels < requirements.min_channels ||
      shape.cells < requirements.min_cells || shape.input_channels < 1 ||
      shape.num_classes < 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        requirements.network, ": shape (", shape.DebugString(),
        ") needs channels >= ", requirements.min_channels, ", cells >= ",
        requirements.min_cells, " (", requirements.cells_meaning,
        "), input_channels >= 1 and classes >= 2"));
  }
  if (shape.input_height < requirements.min_input_size ||
      shape.input_width < requirements.min_input_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        requirements.network, ": input ", shape.input_height, "x",
        shape.input_width, " is too small for its ", requirements.reductions,
        "; use at least ", requirements.min_input_size, "x",
        requirements.min_input_size));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<NetworkBuilder>> FindNetworkBuilder(
    const std::string& space_name) {
  auto entry = GlobalNetworkBuilderRegistry().Find(space_name);
  if (!entry.ok()) {
    return absl::NotFoundError(absl::StrCat(
        "no network builder for search space '", space_name,
        "': networks can be built for ",
        absl::StrJoin(GlobalNetworkBuilderRegistry().Names(), ", "),
        ". A space gains one by adding a package under objectives/networks/ "
        "that calls NAS_REGISTER_NETWORK_BUILDER and linking it in."));
  }
  return (*entry)->factory();
}

int64_t CountParameters(const torch::nn::Module& network) {
  int64_t total = 0;
  for (const torch::Tensor& p : network.parameters(/*recurse=*/true)) {
    total += p.numel();
  }
  return total;
}

int64_t CountFlops(Network& network, const NetworkShape& shape) {
  torch::NoGradGuard no_grad;
  const bool was_training = network.is_training();
  network.eval();
  ops::FlopCounter counter;
  network.forward(torch::zeros(
      {1, shape.input_channels, shape.input_height, shape.input_width}));
  network.train(was_training);
  return counter.flops();
}

}  // namespace nas
