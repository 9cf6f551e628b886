// Whole DNGO searches of 300 queries on NAS-Bench-201 cifar100.
//
//   bazel run //tests/benchmarks:dngo_benchmark

#include "tests/benchmarks/nasbench201_benchmark_util.h"
#include "benchmark/benchmark.h"

namespace nas {
namespace {

void BM_Dngo300Queries(benchmark::State& state) {
  RunSearch300(state, [] { return NewRegisteredAlgorithm("dngo"); });
}
BENCHMARK(BM_Dngo300Queries)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace nas
