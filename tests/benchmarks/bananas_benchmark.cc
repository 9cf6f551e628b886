// Whole BANANAS searches of 300 queries on NAS-Bench-201 cifar100 (the
// study's setting), at the published defaults and at the fast preset.
// Wall-clock time (the ensemble trains on several threads).
//
//   bazel run //tests/benchmarks:bananas_benchmark

#include "algorithms/bananas/bananas.pb.h"
#include "benchmark/benchmark.h"
#include "tests/benchmarks/nasbench201_benchmark_util.h"

namespace nas {
namespace {

// The fast preset of docs/predictor_algorithms.md.
BananasParams FastPreset() {
  BananasParams params;
  params.mutable_network()->set_num_layers(3);
  params.mutable_network()->set_epochs(50);
  return params;
}

void BM_Bananas300Queries(benchmark::State& state) {
  RunSearch300(state, [] { return NewRegisteredAlgorithm("bananas"); });
}
BENCHMARK(BM_Bananas300Queries)->Unit(benchmark::kSecond)->UseRealTime();

void BM_BananasFast300Queries(benchmark::State& state) {
  const BananasParams params = FastPreset();
  RunSearch300(
      state, [&params] { return NewRegisteredAlgorithm("bananas", &params); });
}
BENCHMARK(BM_BananasFast300Queries)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace nas
