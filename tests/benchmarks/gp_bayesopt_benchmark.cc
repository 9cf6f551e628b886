// Whole GP-BO searches of 300 queries on NAS-Bench-201 cifar100.
//
//   bazel run //tests/benchmarks:gp_bayesopt_benchmark

#include "algorithms/gp_bayesopt/gp_bayesopt.pb.h"
#include "benchmark/benchmark.h"
#include "tests/benchmarks/nasbench201_benchmark_util.h"

namespace nas {
namespace {

void BM_GpBayesopt300Queries(benchmark::State& state) {
  RunSearch300(state, [] { return NewRegisteredAlgorithm("gp_bayesopt"); });
}
BENCHMARK(BM_GpBayesopt300Queries)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_GpBayesoptPath300Queries(benchmark::State& state) {
  GpBayesoptParams params;
  params.mutable_search()->set_encoding(PredictorEncoding::PATH);
  RunSearch300(state, [&params] {
    return NewRegisteredAlgorithm("gp_bayesopt", &params);
  });
}
BENCHMARK(BM_GpBayesoptPath300Queries)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace nas
