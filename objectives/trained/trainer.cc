#include "objectives/trained/trainer.h"

#include <dlfcn.h>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/random.h"
#include "objectives/networks/network.h"
#include "torch/torch.h"
#include "torch/version.h"

namespace nas {

class PreparedData {
 public:
  NetworkShape shape;  // input and classes only
  torch::Tensor train_x, train_y, valid_x, valid_y, test_x, test_y;
};

namespace {

std::pair<torch::Tensor, torch::Tensor> ToTensors(const ImageSet& set,
                                                  const Dataset& data) {
  const int64_t n = set.size();
  torch::Tensor x =
      torch::from_blob(const_cast<uint8_t*>(set.pixels.data()),
                       {n, set.channels, set.height, set.width}, torch::kUInt8)
          .to(torch::kFloat32)
          .div_(255.0);
  torch::Tensor mean = torch::tensor(data.mean).view({1, -1, 1, 1});
  torch::Tensor stddev = torch::tensor(data.stddev).view({1, -1, 1, 1});
  x = ((x - mean) / stddev).contiguous();
  torch::Tensor y =
      torch::from_blob(const_cast<uint8_t*>(set.labels.data()), {n},
                       torch::kUInt8)
          .to(torch::kInt64);
  return {x, y};
}

NetworkShape ShapeOf(const TrainingRecipe& recipe, const NetworkShape& input) {
  NetworkShape shape = input;
  shape.channels = recipe.channels();
  shape.cells = recipe.cells();
  return shape;
}

// Re-draws every weight from `generator`, so that the initial network
// depends only on the seed: conv and linear weights uniform in
// +-1/sqrt(fan_in) (PyTorch's default bound), biases of linear layers zero,
// BatchNorm scales 1 and shifts 0.
void InitializeWeights(torch::nn::Module& network, at::Generator& generator) {
  torch::NoGradGuard no_grad;
  for (auto& item : network.named_parameters(/*recurse=*/true)) {
    torch::Tensor& p = item.value();
    if (p.dim() >= 2) {
      const double fan_in = static_cast<double>(p.numel() / p.size(0));
      const double bound = 1.0 / std::sqrt(fan_in);
      p.uniform_(-bound, bound, generator);
    } else if (absl::EndsWith(item.key(), "bn.weight")) {
      p.fill_(1.0);
    } else {
      p.zero_();
    }
  }
}

double ErrorPercent(Network& network, const torch::Tensor& x,
                    const torch::Tensor& y) {
  torch::NoGradGuard no_grad;
  network.eval();
  constexpr int64_t kBatch = 500;
  int64_t wrong = 0;
  for (int64_t begin = 0; begin < x.size(0); begin += kBatch) {
    const int64_t end = std::min<int64_t>(begin + kBatch, x.size(0));
    torch::Tensor predicted =
        network.forward(x.slice(0, begin, end)).argmax(1);
    wrong += predicted.ne(y.slice(0, begin, end)).sum().item<int64_t>();
  }
  network.train();
  return 100.0 * static_cast<double>(wrong) / static_cast<double>(x.size(0));
}

}  // namespace

absl::StatusOr<std::shared_ptr<const PreparedData>> PrepareData(
    const Dataset& data, const TrainingRecipe& recipe) {
  auto prepared = std::make_shared<PreparedData>();
  prepared->shape.input_channels = data.train.channels;
  prepared->shape.input_height = data.train.height;
  prepared->shape.input_width = data.train.width;
  prepared->shape.num_classes = data.num_classes;
  std::tie(prepared->train_x, prepared->train_y) =
      ToTensors(data.train.Head(recipe.train_images()), data);
  std::tie(prepared->valid_x, prepared->valid_y) =
      ToTensors(data.valid.Head(recipe.valid_images()), data);
  std::tie(prepared->test_x, prepared->test_y) =
      ToTensors(data.test.Head(recipe.test_images()), data);
  return std::shared_ptr<const PreparedData>(std::move(prepared));
}

absl::Status CheckRecipe(const SearchSpace& space, const TrainingRecipe& recipe,
                         const Dataset& data) {
  auto bad = [](const std::string& what) {
    return absl::InvalidArgumentError(
        absl::StrCat("objective 'trained': recipe.", what));
  };
  if (recipe.optimizer() != "sgd" && recipe.optimizer() != "adam") {
    return bad(absl::StrCat("optimizer '", recipe.optimizer(),
                            "' is not one of 'sgd', 'adam'"));
  }
  if (recipe.lr_schedule() != "cosine" && recipe.lr_schedule() != "constant") {
    return bad(absl::StrCat("lr_schedule '", recipe.lr_schedule(),
                            "' is not one of 'cosine', 'constant'"));
  }
  if (!(recipe.learning_rate() > 0) || !std::isfinite(recipe.learning_rate())) {
    return bad(absl::StrCat("learning_rate ", recipe.learning_rate(),
                            " must be a positive number"));
  }
  if (!(recipe.momentum() >= 0 && recipe.momentum() < 1)) {
    return bad(absl::StrCat("momentum ", recipe.momentum(),
                            " must be in [0, 1)"));
  }
  if (!(recipe.weight_decay() >= 0) || !std::isfinite(recipe.weight_decay())) {
    return bad(absl::StrCat("weight_decay ", recipe.weight_decay(),
                            " must be >= 0"));
  }
  if (recipe.batch_size() < 1 || recipe.batch_size() > 65536) {
    return bad(absl::StrCat("batch_size ", recipe.batch_size(),
                            " must be in 1..65536"));
  }
  int previous = 0;
  for (int epochs : recipe.fidelity_epochs()) {
    if (epochs <= previous || epochs > 10000) {
      return bad(absl::StrCat(
          "fidelity_epochs must be increasing epoch counts in 1..10000 "
          "(cheapest first); found ", epochs, " after ", previous));
    }
    previous = epochs;
  }
  struct Split {
    const char* field;
    int value;
    int64_t available;
  };
  for (const Split& s :
       {Split{"train_images", recipe.train_images(), data.train.size()},
        Split{"valid_images", recipe.valid_images(), data.valid.size()},
        Split{"test_images", recipe.test_images(), data.test.size()}}) {
    if (s.value < 0 || s.value > s.available) {
      return bad(absl::StrCat(s.field, " ", s.value, " must be in 0..",
                              s.available, " (0: the whole split of ",
                              data.name, ")"));
    }
  }
  if (recipe.threads() < 1 || recipe.threads() > 256) {
    return bad(absl::StrCat("threads ", recipe.threads(),
                            " must be in 1..256"));
  }
  absl::StatusOr<std::unique_ptr<NetworkBuilder>> builder =
      FindNetworkBuilder(space.name());
  if (!builder.ok()) return builder.status();
  NetworkShape shape;
  shape.input_channels = data.train.channels;
  shape.input_height = data.train.height;
  shape.input_width = data.train.width;
  shape.num_classes = data.num_classes;
  shape = ShapeOf(recipe, shape);
  // Build one network to let the builder check the shape.
  Rng rng(0);
  absl::StatusOr<std::shared_ptr<Network>> probe =
      (*builder)->Build(space, space.Sample(rng), shape);
  if (!probe.ok()) {
    return bad(absl::StrCat("channels/cells: ", probe.status().message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<TrainOutcome> TrainAndEvaluate(const SearchSpace& space,
                                              const Architecture& arch,
                                              const TrainingRecipe& recipe,
                                              const PreparedData& data,
                                              int epochs) {
  // Per thread with libtorch's OpenMP backend; every evaluation sets it.
  at::init_num_threads();
  at::set_num_threads(recipe.threads());

  absl::StatusOr<std::unique_ptr<NetworkBuilder>> builder =
      FindNetworkBuilder(space.name());
  if (!builder.ok()) return builder.status();
  const NetworkShape shape = ShapeOf(recipe, data.shape);
  absl::StatusOr<std::shared_ptr<Network>> built =
      (*builder)->Build(space, arch, shape);
  if (!built.ok()) return built.status();
  Network& network = **built;

  const uint64_t seed = HashCombine(recipe.seed(), space.Hash(arch));
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  InitializeWeights(network, generator);

  TrainOutcome outcome;
  outcome.parameters = CountParameters(network);
  outcome.flops = CountFlops(network, shape);

  std::unique_ptr<torch::optim::Optimizer> optimizer;
  if (recipe.optimizer() == "adam") {
    optimizer = std::make_unique<torch::optim::Adam>(
        network.parameters(), torch::optim::AdamOptions(recipe.learning_rate())
                                  .weight_decay(recipe.weight_decay()));
  } else {
    optimizer = std::make_unique<torch::optim::SGD>(
        network.parameters(),
        torch::optim::SGDOptions(recipe.learning_rate())
            .momentum(recipe.momentum())
            .nesterov(recipe.nesterov() && recipe.momentum() > 0)
            .weight_decay(recipe.weight_decay()));
  }

  const int64_t n = data.train_x.size(0);
  const int64_t batch = recipe.batch_size();
  const int64_t steps_per_epoch = (n + batch - 1) / batch;
  const int64_t total_steps = steps_per_epoch * epochs;
  Rng order_rng(HashCombine(seed, 0x6f72646572ULL));  // "order"
  std::vector<int64_t> order(n);
  network.train();
  const absl::Time start = absl::Now();
  int64_t step = 0;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    std::iota(order.begin(), order.end(), 0);
    order_rng.Shuffle(&order);
    torch::Tensor permutation = torch::tensor(order, torch::kInt64);
    for (int64_t begin = 0; begin < n; begin += batch, ++step) {
      const int64_t end = std::min(begin + batch, n);
      if (recipe.lr_schedule() == "cosine") {
        const double lr = 0.5 * recipe.learning_rate() *
                          (1 + std::cos(M_PI * static_cast<double>(step) /
                                        static_cast<double>(total_steps)));
        for (auto& group : optimizer->param_groups()) {
          group.options().set_lr(lr);
        }
      }
      torch::Tensor index = permutation.slice(0, begin, end);
      torch::Tensor x = data.train_x.index_select(0, index);
      torch::Tensor y = data.train_y.index_select(0, index);
      optimizer->zero_grad();
      torch::Tensor loss =
          torch::nn::functional::cross_entropy(network.forward(x), y);
      loss.backward();
      optimizer->step();
      outcome.images_trained += end - begin;
    }
  }
  outcome.train_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  outcome.valid_error = ErrorPercent(network, data.valid_x, data.valid_y);
  outcome.test_error = ErrorPercent(network, data.test_x, data.test_y);
  if (!std::isfinite(outcome.valid_error) || !std::isfinite(outcome.test_error)) {
    return absl::InternalError("training produced a non-finite error");
  }
  return outcome;
}

std::string LoadedLibtorchPath() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&at::get_num_threads), &info) == 0 ||
      info.dli_fname == nullptr) {
    return "";
  }
  std::error_code error;
  const std::filesystem::path path =
      std::filesystem::canonical(info.dli_fname, error);
  return error ? "" : path.string();
}

std::string LibraryVersions() {
  return absl::StrCat("libtorch ", TORCH_VERSION, ", compiler ", __VERSION__);
}

}  // namespace nas
