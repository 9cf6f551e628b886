// Speed of the DARTS space's per-query operations:
//   bazel run -c opt //spaces/darts:darts_benchmark
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmark/benchmark.h"
#include "core/architecture.h"
#include "core/random.h"
#include "spaces/darts/darts.h"

namespace nas {
namespace {

constexpr const char* kDartsV2 = kDartsV2Genotype;

const DartsSpace& Space() {
  static const DartsSpace* const space = [] {
    absl::StatusOr<std::unique_ptr<DartsSpace>> made = DartsSpace::New();
    if (!made.ok()) {
      std::fprintf(stderr, "DartsSpace::New: %s\n",
                   made.status().ToString().c_str());
      std::abort();
    }
    return made->release();
  }();
  return *space;
}

Architecture DartsV2() {
  absl::StatusOr<Architecture> arch = Space().Parse(kDartsV2);
  if (!arch.ok()) {
    std::fprintf(stderr, "%s\n", arch.status().ToString().c_str());
    std::abort();
  }
  return *arch;
}

void BM_Parse(benchmark::State& state) {
  for (auto _ : state) {
    absl::StatusOr<Architecture> arch = Space().Parse(kDartsV2);
    benchmark::DoNotOptimize(arch);
  }
}
BENCHMARK(BM_Parse);

void BM_ParseError(benchmark::State& state) {
  // An error near the end: the cost of a rejected string.
  std::string text = kDartsV2;
  text.replace(text.rfind("('max_pool_3x3', 1)"), 19, "('max_pool_3x3', 5)");
  for (auto _ : state) {
    absl::StatusOr<Architecture> arch = Space().Parse(text);
    benchmark::DoNotOptimize(arch);
  }
}
BENCHMARK(BM_ParseError);

void BM_ToString(benchmark::State& state) {
  const Architecture arch = DartsV2();
  for (auto _ : state) {
    std::string text = Space().ToString(arch);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_ToString);

void BM_Neighbors(benchmark::State& state) {
  const Architecture arch = DartsV2();
  std::vector<Architecture> neighbors;
  for (auto _ : state) {
    Space().Neighbors(arch, &neighbors);
    benchmark::DoNotOptimize(neighbors.data());
  }
  state.SetItemsProcessed(state.iterations() *
                          DartsSpace::kNeighborsPerArchitecture);
}
BENCHMARK(BM_Neighbors);

void BM_Sample(benchmark::State& state) {
  Rng rng(1);
  for (auto _ : state) {
    Architecture arch = Space().Sample(rng);
    benchmark::DoNotOptimize(arch);
  }
}
BENCHMARK(BM_Sample);

void BM_Mutate(benchmark::State& state) {
  Rng rng(1);
  Architecture arch = DartsV2();
  for (auto _ : state) {
    arch = Space().Mutate(arch, rng);
    benchmark::DoNotOptimize(arch);
  }
}
BENCHMARK(BM_Mutate);

void BM_Hash(benchmark::State& state) {
  const Architecture arch = DartsV2();
  for (auto _ : state) {
    benchmark::DoNotOptimize(Space().Hash(arch));
  }
}
BENCHMARK(BM_Hash);

}  // namespace
}  // namespace nas
