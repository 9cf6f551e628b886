#include "objectives/proxies/proxy.h"

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/random.h"
#include "objectives/trained/cache.h"
#include "objectives/trained/data.h"
#include "torch/torch.h"

namespace nas {

absl::StatusOr<std::unique_ptr<Proxy>> MakeProxy(const std::string& name) {
  auto entry = GlobalProxyRegistry().Find(name);
  if (!entry.ok()) return entry.status();
  return (*entry)->factory();
}

NetworkShape ShapeOf(const ProxySettings& settings) {
  NetworkShape shape;
  shape.channels = settings.channels();
  shape.cells = settings.cells();
  shape.input_channels = settings.input_channels();
  shape.input_height = settings.input_height();
  shape.input_width = settings.input_width();
  shape.num_classes = settings.num_classes();
  return shape;
}

absl::Status CheckSettings(const ProxySettings& settings) {
  auto bad = [](const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat("proxy settings: ", what));
  };
  if (settings.channels() < 1 || settings.cells() < 1) {
    return bad("channels and cells must be at least 1");
  }
  if (settings.input_channels() < 1 || settings.input_height() < 28 ||
      settings.input_width() < 28) {
    return bad(absl::StrCat(
        "input ", settings.input_channels(), "x", settings.input_height(), "x",
        settings.input_width(),
        " cannot hold a Fashion-MNIST image: use input_channels >= 1 and "
        "input_height, input_width >= 28 (the default is 3x32x32)"));
  }
  if (settings.num_classes() < 10) {
    return bad(absl::StrCat("num_classes is ", settings.num_classes(),
                            "; Fashion-MNIST has 10 classes, use >= 10"));
  }
  if (settings.batch_size() < 2 || settings.batch_size() > 50000) {
    return bad(absl::StrCat("batch_size is ", settings.batch_size(),
                            "; use 2 .. 50000 (jacob_cov and naswot compare "
                            "images, so one is not enough)"));
  }
  return absl::OkStatus();
}

std::vector<torch::Tensor> PrunableWeights(torch::nn::Module& network) {
  std::vector<torch::Tensor> weights;
  for (const std::shared_ptr<torch::nn::Module>& module :
       network.modules(/*include_self=*/true)) {
    if (auto* conv = module->as<torch::nn::Conv2dImpl>()) {
      weights.push_back(conv->weight);
    } else if (auto* linear = module->as<torch::nn::LinearImpl>()) {
      weights.push_back(linear->weight);
    }
  }
  return weights;
}

torch::Tensor CrossEntropy(Network& network, const Minibatch& batch) {
  return torch::nn::functional::cross_entropy(network.forward(batch.images),
                                              batch.labels);
}

void InitializeDefaultWeights(torch::nn::Module& network,
                              at::Generator& generator) {
  torch::NoGradGuard no_grad;
  for (const std::shared_ptr<torch::nn::Module>& module :
       network.modules(/*include_self=*/true)) {
    if (auto* conv = module->as<torch::nn::Conv2dImpl>()) {
      const double bound = 1.0 / std::sqrt(static_cast<double>(
                                     conv->weight.numel() / conv->weight.size(0)));
      conv->weight.uniform_(-bound, bound, generator);
    } else if (auto* linear = module->as<torch::nn::LinearImpl>()) {
      const double bound =
          1.0 / std::sqrt(static_cast<double>(linear->weight.size(1)));
      linear->weight.uniform_(-bound, bound, generator);
      linear->bias.uniform_(-bound, bound, generator);
    } else if (auto* bn = module->as<torch::nn::BatchNorm2dImpl>()) {
      bn->weight.fill_(1.0);
      bn->bias.zero_();
    }
  }
}

absl::StatusOr<Minibatch> FashionMnistMinibatch(const std::string& dir,
                                                const NetworkShape& shape,
                                                int batch_size, uint64_t seed) {
  absl::StatusOr<Dataset> data =
      LoadFashionMnist(dir.empty() ? kFashionMnistDefaultDir : dir);
  if (!data.ok()) return data.status();
  const ImageSet& train = data->train;
  if (shape.input_height < train.height || shape.input_width < train.width ||
      shape.num_classes < data->num_classes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a ", train.height, "x", train.width, " Fashion-MNIST image with ",
        data->num_classes, " classes does not fit the network's input (",
        shape.DebugString(), ")"));
  }
  if (batch_size < 1 || batch_size > train.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "batch_size ", batch_size, " is not in 1 .. ", train.size()));
  }
  // A partial Fisher-Yates draw: distinct images, fixed by the seed.
  Rng rng(HashCombine(seed, 0x6d696e6962617463ULL));  // "minibatc"
  std::vector<int64_t> order(train.size());
  std::iota(order.begin(), order.end(), 0);
  for (int i = 0; i < batch_size; ++i) {
    const int64_t j = i + static_cast<int64_t>(rng.UniformInt(train.size() - i));
    std::swap(order[i], order[j]);
  }
  const int64_t h = shape.input_height, w = shape.input_width;
  const int64_t top = (h - train.height) / 2, left = (w - train.width) / 2;
  std::vector<float> pixels(static_cast<size_t>(batch_size) * h * w, 0.0f);
  std::vector<int64_t> labels(batch_size);
  std::string bytes;
  for (int i = 0; i < batch_size; ++i) {
    const uint8_t* image = train.pixels.data() + order[i] * train.image_bytes();
    bytes.append(reinterpret_cast<const char*>(image), train.image_bytes());
    labels[i] = train.labels[order[i]];
    bytes.push_back(static_cast<char>(labels[i]));
    for (int64_t r = 0; r < train.height; ++r) {
      for (int64_t c = 0; c < train.width; ++c) {
        pixels[(i * h + top + r) * w + left + c] =
            image[r * train.width + c] / 255.0f;
      }
    }
  }
  Minibatch batch;
  // Normalised with the dataset's statistics; the padding is black, as the
  // images' own background.
  torch::Tensor x =
      (torch::from_blob(pixels.data(), {batch_size, 1, h, w}, torch::kFloat32) -
       data->mean[0]) /
      data->stddev[0];
  batch.images =
      x.expand({batch_size, shape.input_channels, h, w}).contiguous();
  batch.labels =
      torch::from_blob(labels.data(), {batch_size}, torch::kInt64).clone();
  batch.digest = ResultCache::KeyHash(
      absl::StrCat(bytes, "|", shape.input_channels, "x", h, "x", w));
  return batch;
}

absl::StatusOr<double> ScoreArchitecture(const Proxy& proxy,
                                         const SearchSpace& space,
                                         const Architecture& arch,
                                         const NetworkShape& shape,
                                         const Minibatch& batch,
                                         uint64_t seed) {
  if (proxy.needs_data() && !batch.images.defined()) {
    return absl::InvalidArgumentError(
        "this proxy needs a minibatch and none was given");
  }
  at::init_num_threads();
  at::set_num_threads(1);
  absl::StatusOr<std::unique_ptr<NetworkBuilder>> builder =
      FindNetworkBuilder(space.name());
  if (!builder.ok()) return builder.status();
  absl::StatusOr<std::shared_ptr<Network>> network =
      (*builder)->Build(space, arch, shape);
  if (!network.ok()) return network.status();
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(
      HashCombine(seed, space.Hash(arch)));
  InitializeDefaultWeights(**network, generator);
  absl::StatusOr<double> score = proxy.Score(**network, shape, batch);
  if (score.ok() && std::isnan(*score)) {
    return absl::InternalError(absl::StrCat("the score of ",
                                            space.ToString(arch), " is NaN"));
  }
  return score;
}

}  // namespace nas
