// Time per architecture of each registered proxy, as `nas correlate` spends
// it: build NAS-Bench-201's own network (C = 16, N = 5, 3x32x32, 10
// classes), initialise it from the seed and score it, one intra-op thread,
// wall-clock. Iterations cycle through 64 seeded random architectures (the
// cost depends on the cell). Data-dependent proxies get the Fashion-MNIST
// minibatch of configs/proxies (32 images, padded to 32x32).
//
//   bazel run -c opt //tests/benchmarks:proxies_benchmark

#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/random.h"
#include "objectives/proxies/proxy.h"
#include "objectives/trained/data.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

void ScoreOne(benchmark::State& state, const std::string& name) {
  auto space = Nasbench201Space::New();
  std::unique_ptr<Proxy> proxy = *MakeProxy(name);
  ProxySettings settings;
  settings.set_batch_size(32);
  const NetworkShape shape = ShapeOf(settings);
  Minibatch batch;
  if (proxy->needs_data()) {
    absl::StatusOr<Minibatch> loaded =
        FashionMnistMinibatch(kFashionMnistDefaultDir, shape,
                              settings.batch_size(), settings.seed());
    if (!loaded.ok()) {
      state.SkipWithError(std::string(loaded.status().message()).c_str());
      return;
    }
    batch = *loaded;
  }
  Rng rng(1);
  std::vector<Architecture> archs;
  for (int i = 0; i < 64; ++i) archs.push_back((*space)->Sample(rng));
  size_t next = 0;
  for (auto _ : state) {
    absl::StatusOr<double> score = ScoreArchitecture(
        *proxy, **space, archs[next++ % archs.size()], shape, batch,
        settings.seed());
    benchmark::DoNotOptimize(score);
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace
}  // namespace nas

int main(int argc, char** argv) {
  for (const std::string& name : nas::GlobalProxyRegistry().Names()) {
    benchmark::RegisterBenchmark(("BM_Score/" + name).c_str(), nas::ScoreOne,
                                 name)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MinTime(2.0);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
