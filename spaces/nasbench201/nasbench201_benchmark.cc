#include <vector>

#include "benchmark/benchmark.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

void BM_ToIndex(benchmark::State& state) {
  auto space = *Nasbench201Space::New();
  Rng rng(1);
  const Architecture arch = space->Sample(rng);
  for (auto _ : state) benchmark::DoNotOptimize(space->ToIndex(arch));
}
BENCHMARK(BM_ToIndex);

void BM_Neighbors(benchmark::State& state) {
  auto space = *Nasbench201Space::New();
  Rng rng(1);
  const Architecture arch = space->Sample(rng);
  std::vector<Architecture> neighbors;
  for (auto _ : state) {
    space->Neighbors(arch, &neighbors);
    benchmark::DoNotOptimize(neighbors.data());
  }
}
BENCHMARK(BM_Neighbors);

void BM_ParseString(benchmark::State& state) {
  auto space = *Nasbench201Space::New();
  const std::string text = space->ToString(space->FromIndex(1));
  for (auto _ : state) benchmark::DoNotOptimize(space->Parse(text));
}
BENCHMARK(BM_ParseString);

void BM_NewSpace(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Nasbench201Space::New());
}
BENCHMARK(BM_NewSpace);

}  // namespace
}  // namespace nas
