// Training throughput (images per second) of real networks through the C++
// path: forward, cross-entropy, backward and an SGD (nesterov) step on
// Fashion-MNIST-shaped batches (1x28x28, batch 64), one intra-op thread;
// wall-clock (UseRealTime), as the Python script measures.
// tools/torch_throughput.py measures the same networks and steps in Python
// PyTorch; docs/performance.md has both, side by side.
//
//   bazel run //tests/benchmarks:throughput_benchmark

#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "objectives/networks/network.h"
#include "spaces/darts/darts.h"
#include "spaces/nasbench201/nasbench201.h"
#include "torch/torch.h"

namespace nas {
namespace {

constexpr char kNb201Best[] =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|"
    "nor_conv_3x3~1|nor_conv_3x3~2|";
constexpr const char* kDartsV2 = kDartsV2Genotype;

void Train(benchmark::State& state, const SearchSpace& space,
           const std::string& text, int channels, int cells) {
  at::set_num_threads(1);
  torch::manual_seed(0);
  NetworkShape shape;
  shape.channels = channels;
  shape.cells = cells;
  shape.input_channels = 1;
  shape.input_height = shape.input_width = 28;
  auto network =
      *(*FindNetworkBuilder(space.name()))->Build(space, *space.Parse(text), shape);
  torch::optim::SGD sgd(network->parameters(), torch::optim::SGDOptions(0.05)
                                                   .momentum(0.9)
                                                   .nesterov(true)
                                                   .weight_decay(5e-4));
  constexpr int kBatch = 64;
  torch::Tensor x = torch::randn({kBatch, 1, 28, 28});
  torch::Tensor y = torch::randint(0, 10, {kBatch}, torch::kInt64);
  network->train();
  for (auto _ : state) {
    sgd.zero_grad();
    torch::Tensor loss =
        torch::nn::functional::cross_entropy(network->forward(x), y);
    loss.backward();
    sgd.step();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["params"] = static_cast<double>(CountParameters(*network));
}

void BM_Nasbench201Train(benchmark::State& state) {
  auto space = *Nasbench201Space::New();
  Train(state, *space, kNb201Best, state.range(0), state.range(1));
}
// C = 16, N = 5 (the benchmark's network) and C = 8, N = 1.
BENCHMARK(BM_Nasbench201Train)->Args({16, 5})->Args({8, 1})->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();

void BM_DartsV2Train(benchmark::State& state) {
  auto space = *DartsSpace::New();
  Train(state, *space, kDartsV2, state.range(0), state.range(1));
}
// 8 channels, 5 cells.
BENCHMARK(BM_DartsV2Train)->Args({8, 5})->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();

}  // namespace
}  // namespace nas

BENCHMARK_MAIN();
