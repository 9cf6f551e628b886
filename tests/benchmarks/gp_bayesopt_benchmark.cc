// Whole GP-BO searches of 300 queries on NAS-Bench-201 cifar100.
//
//   bazel run //tests/benchmarks:gp_bayesopt_benchmark

#include "algorithms/gp_bayesopt/gp_bayesopt.h"
#include "tests/benchmarks/nasbench201_benchmark_util.h"
#include "benchmark/benchmark.h"

namespace nas {
namespace {

void BM_GpBayesopt300Queries(benchmark::State& state) {
  RunSearch300(state, [] { return GpBayesopt::New(GpBayesoptParams()); });
}
BENCHMARK(BM_GpBayesopt300Queries)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_GpBayesoptPath300Queries(benchmark::State& state) {
  GpBayesoptParams params;
  params.mutable_search()->set_encoding(PredictorEncoding::PATH);
  RunSearch300(state, [params] { return GpBayesopt::New(params); });
}
BENCHMARK(BM_GpBayesoptPath300Queries)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace nas
