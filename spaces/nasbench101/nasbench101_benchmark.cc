// Speed of the NAS-Bench-101 space: exhaustive enumeration (the full space
// and EC-NAS-Bench's sub-spaces), the module hash, canonicalisation and the
// neighbourhood of one cell. Run with
//   bazel run -c opt //spaces/nasbench101:nasbench101_benchmark
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "spaces/nasbench101/nasbench101.h"

namespace nas {
namespace {

// PRUNED unless asked: the figures in docs/performance.md are of pruned
// canonical cells (STUDY's Canonicalize is the identity).
std::unique_ptr<Nasbench101Space> Space(
    int max_vertices, Nasbench101SpaceParams::Neighborhood neighborhood =
                          Nasbench101SpaceParams::PRUNED) {
  Nasbench101SpaceParams params;
  params.set_max_vertices(max_vertices);
  params.set_neighborhood(neighborhood);
  return *Nasbench101Space::New(params);
}

// The Inception-like cell of nasbench's api.py: 7 vertices, 9 edges.
Architecture Inception(const Nasbench101Space& space) {
  return *space.Parse(
      "adj=0111010000000100000010000100000000100000010000000 "
      "ops=input|conv1x1-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|"
      "conv3x3-bn-relu|maxpool3x3|output");
}

// Counting only: every canonical cell is visited, nothing is stored.
void BM_CountCells(benchmark::State& state) {
  const int max_vertices = static_cast<int>(state.range(0));
  int64_t count = 0;
  for (auto _ : state) {
    count = nasbench101::CountCells(max_vertices, 9);
    benchmark::DoNotOptimize(count);
  }
  state.counters["cells"] = static_cast<double>(count);
}
BENCHMARK(BM_CountCells)->Arg(4)->Arg(5)->Arg(7)->Unit(benchmark::kMillisecond);

// Materialising every canonical Architecture.
void BM_EnumerateAll(benchmark::State& state) {
  const int max_vertices = static_cast<int>(state.range(0));
  size_t count = 0;
  for (auto _ : state) {
    std::vector<Architecture> all = nasbench101::EnumerateAll(max_vertices, 9);
    count = all.size();
    benchmark::DoNotOptimize(all.data());
  }
  state.counters["cells"] = static_cast<double>(count);
}
BENCHMARK(BM_EnumerateAll)->Arg(5)->Arg(7)->Unit(benchmark::kMillisecond);

// Enumeration plus the module hash of every cell (what a table lookup of the
// whole space costs).
void BM_EnumerateAndHashAll(benchmark::State& state) {
  for (auto _ : state) {
    uint64_t mix = 0;
    nasbench101::ForEachCanonicalCell(7, 9, [&](const nasbench101::Cell& c) {
      mix ^= *nasbench101::ModuleHashPrefix(nasbench101::ModuleHash(c));
    });
    benchmark::DoNotOptimize(mix);
  }
}
BENCHMARK(BM_EnumerateAndHashAll)->Unit(benchmark::kMillisecond)->Iterations(1);

// The same through ModuleHashesOfAll on 1 and 2 threads (wall time is the
// figure: CPU time counts only the main thread).
void BM_ModuleHashesOfAll(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const std::vector<std::string> hashes =
        nasbench101::ModuleHashesOfAll(7, 9, threads);
    benchmark::DoNotOptimize(hashes.data());
  }
}
BENCHMARK(BM_ModuleHashesOfAll)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

void BM_Hash(benchmark::State& state) {
  auto space = Space(7);
  const Architecture arch = Inception(*space);
  for (auto _ : state) benchmark::DoNotOptimize(space->Hash(arch));
}
BENCHMARK(BM_Hash);

void BM_Canonicalize(benchmark::State& state) {
  auto space = Space(7);
  const Architecture arch = Inception(*space);
  for (auto _ : state) benchmark::DoNotOptimize(space->Canonicalize(arch));
}
BENCHMARK(BM_Canonicalize);

// Arg: the neighbourhood (1 STUDY, 2 PRUNED, 3 STUDY_ON_CELLS); the study's
// moves start from the cell as written, which has no dangling vertex.
void BM_Neighbors(benchmark::State& state) {
  auto space = Space(7, static_cast<Nasbench101SpaceParams::Neighborhood>(
                            state.range(0)));
  const Architecture arch = Inception(*space);
  std::vector<Architecture> neighbors;
  for (auto _ : state) {
    space->Neighbors(arch, &neighbors);
    benchmark::DoNotOptimize(neighbors.data());
  }
  state.counters["neighbors"] = static_cast<double>(neighbors.size());
}
BENCHMARK(BM_Neighbors)
    ->Arg(Nasbench101SpaceParams::PRUNED)
    ->Arg(Nasbench101SpaceParams::STUDY)
    ->Arg(Nasbench101SpaceParams::STUDY_ON_CELLS);

void BM_Sample(benchmark::State& state) {
  auto space = Space(7);
  Rng rng(1);
  for (auto _ : state) benchmark::DoNotOptimize(space->Sample(rng));
}
BENCHMARK(BM_Sample);

void BM_Parse(benchmark::State& state) {
  auto space = Space(7);
  const std::string text = space->ToString(Inception(*space));
  for (auto _ : state) benchmark::DoNotOptimize(space->Parse(text));
}
BENCHMARK(BM_Parse);

}  // namespace
}  // namespace nas
