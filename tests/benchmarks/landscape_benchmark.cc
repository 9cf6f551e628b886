// Speed of the exact landscape analysis. Run with
//   bazel run -c opt //tests/benchmarks:landscape_benchmark
// (the NAS-Bench-201 table comes from the declared data).
#include <memory>
#include <vector>

#include "benchmark/benchmark.h"
#include "harness/config.h"
#include "landscape/densities.h"
#include "landscape/exact.h"
#include "landscape/graph.h"
#include "landscape/landscape.h"
#include "landscape/sampling.h"
#include "landscape/theory.h"
#include "objectives/nasbench201/nasbench201.h"
#include "objectives/random_uniform/random_uniform.h"
#include "spaces/nasbench101/nasbench101.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

constexpr char kDataDir[] = "external/shared_data";

std::shared_ptr<const SearchSpace> Nb201() {
  static const auto* space =
      new std::shared_ptr<const SearchSpace>(*Nasbench201Space::New());
  return *space;
}

// The pruned neighbourhood: the exact analysis enumerates canonical cells,
// and docs/performance.md's figures are for it (the study's neighbourhood,
// the default at 7 vertices, works on raw specs and has no enumerator).
std::shared_ptr<const SearchSpace> Nb101() {
  static const auto* space = [] {
    Nasbench101SpaceParams params;
    params.set_neighborhood(Nasbench101SpaceParams::PRUNED);
    return new std::shared_ptr<const SearchSpace>(
        *Nasbench101Space::New(params));
  }();
  return *space;
}

const std::vector<std::unique_ptr<Nasbench201Objective>>& Nb201Objectives() {
  static const auto* objectives = [] {
    auto* list = new std::vector<std::unique_ptr<Nasbench201Objective>>;
    for (const char* dataset : {"cifar10-valid", "cifar100", "ImageNet16-120"}) {
      Nasbench201ObjectiveParams params;
      params.set_dataset(dataset);
      auto objective = Nasbench201Objective::New(Nb201(), params, {kDataDir});
      if (!objective.ok()) {
        std::fprintf(stderr, "%s\n", std::string(objective.status().message()).c_str());
        std::abort();
      }
      list->push_back(std::move(*objective));
    }
    return list;
  }();
  return *objectives;
}

std::vector<double> EpsilonGrid() {
  std::vector<double> grid;
  for (int k = 0; k <= 54; ++k) grid.push_back(std::pow(10.0, -3 + 0.05 * k));
  return grid;
}

// What the landscape command computes exactly for one objective once the
// graph exists: every loss, LS, LS*, basins, the epsilon-curve, FDC.
int64_t AnalyzeOne(const NeighbourGraph& graph, const Objective& objective,
                   int threads) {
  const std::vector<double> loss = EvaluateAll(objective, graph, threads);
  const ExactAnalysis a = AnalyzeExact(graph, loss);
  const std::vector<double> curve = EpsilonCurve(a, loss, EpsilonGrid());
  const FitnessDistance fd = ComputeFitnessDistance(graph, loss, a.global_minimum());
  benchmark::DoNotOptimize(curve.data());
  benchmark::DoNotOptimize(fd.correlation);
  return static_cast<int64_t>(a.minima.size());
}

// The brief's figure: all three NAS-Bench-201 datasets from scratch (the
// neighbour graph built once, as the command does), one thread.
void BM_ExactNasbench201ThreeDatasets(benchmark::State& state) {
  const auto& objectives = Nb201Objectives();
  int64_t minima = 0;
  for (auto _ : state) {
    const NeighbourGraph graph = *BuildNeighbourGraph(*Nb201(), 1);
    minima = 0;
    for (const auto& o : objectives) minima += AnalyzeOne(graph, *o, 1);
  }
  state.counters["minima"] = static_cast<double>(minima);
}
BENCHMARK(BM_ExactNasbench201ThreeDatasets)->Unit(benchmark::kMillisecond);

void BM_BuildGraphNasbench201(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(BuildNeighbourGraph(*Nb201(), 1)->num_edges());
  }
}
BENCHMARK(BM_BuildGraphNasbench201)->Unit(benchmark::kMillisecond);

void BM_AnalyzeOneNasbench201Dataset(benchmark::State& state) {
  const NeighbourGraph graph = *BuildNeighbourGraph(*Nb201(), 1);
  for (auto _ : state) AnalyzeOne(graph, *Nb201Objectives()[0], 1);
}
BENCHMARK(BM_AnalyzeOneNasbench201Dataset)->Unit(benchmark::kMillisecond);

// Exact autocorrelation, 10 lags (20 sparse products over 375,000 edges).
void BM_WalkAutocorrelationNasbench201(benchmark::State& state) {
  const NeighbourGraph graph = *BuildNeighbourGraph(*Nb201(), 1);
  const std::vector<double> loss = EvaluateAll(*Nb201Objectives()[0], graph, 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ExactWalkAutocorrelation(graph, loss, 10, 1).data());
  }
}
BENCHMARK(BM_WalkAutocorrelationNasbench201)->Unit(benchmark::kMillisecond);

// The brief's other figure: a synthetic objective (iid uniform) over the
// whole enumerated NAS-Bench-101 space, from scratch: enumeration, every
// cell's neighbours mapped to vertices, every loss, the analysis. Arg:
// threads.
void BM_ExactNasbench101Uniform(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const auto objective = *RandomUniformObjective::New(Nb101(), {});
  int64_t minima = 0;
  for (auto _ : state) {
    const NeighbourGraph graph = *BuildNeighbourGraph(*Nb101(), threads);
    minima = AnalyzeOne(graph, *objective, threads);
  }
  state.counters["minima"] = static_cast<double>(minima);
}
BENCHMARK(BM_ExactNasbench101Uniform)
    ->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1);

// Only the neighbour graph (423,624 Neighbors() calls and ~7.8 million
// hash look-ups). Arg: threads.
void BM_BuildGraphNasbench101(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    benchmark::DoNotOptimize(BuildNeighbourGraph(*Nb101(), threads)->num_edges());
  }
}
BENCHMARK(BM_BuildGraphNasbench101)
    ->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1);

// The analysis once the graph exists (a new objective seed).
void BM_AnalyzeNasbench101Uniform(benchmark::State& state) {
  const NeighbourGraph graph = *BuildNeighbourGraph(*Nb101(), 2);
  const auto objective = *RandomUniformObjective::New(Nb101(), {});
  for (auto _ : state) AnalyzeOne(graph, *objective, 1);
}
BENCHMARK(BM_AnalyzeNasbench101Uniform)->Unit(benchmark::kMillisecond);

// One Neighbors() call of NAS-Bench-101, averaged over 1000 cells.
void BM_Nasbench101Neighbors(benchmark::State& state) {
  const std::vector<Architecture> all = nasbench101::EnumerateAll(7, 9);
  std::vector<Architecture> out;
  size_t i = 0;
  for (auto _ : state) {
    Nb101()->Neighbors(all[(i += 401) % all.size()], &out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_Nasbench101Neighbors);

// The preimage lemma for the study's local density on NAS-Bench-201.
void BM_PreimageModelTruncatedNormal(benchmark::State& state) {
  const TruncatedNormalNeighbourDensity pdf_e(0.325);
  for (auto _ : state) {
    const PreimageModel model = PreimageModel::Compute(24, pdf_e);
    benchmark::DoNotOptimize(model.Total(0.01));
  }
}
BENCHMARK(BM_PreimageModelTruncatedNormal)->Unit(benchmark::kMillisecond);

// 1,000 simulated climbs on NAS-Bench-201 (cifar10-valid).
void BM_SimulatedClimbsNasbench201(benchmark::State& state) {
  SamplingOptions options;
  options.climbs = 1000;
  options.walks = 2;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        SampleLandscape(*Nb201(), *Nb201Objectives()[0], options).climbs.size());
  }
}
BENCHMARK(BM_SimulatedClimbsNasbench201)->Unit(benchmark::kMillisecond);

// `nas landscape configs/landscape/nasbench201.textproto` without the file
// writing: three datasets and 100 seeds of iid losses, densities, theory,
// 10,000 climbs and walks each, the search comparison. Arg: threads (wall
// time is the figure).
void BM_LandscapeCommandNasbench201(benchmark::State& state) {
  LoadOptions load;
  load.data_dir = kDataDir;
  const auto experiment =
      LoadExperiment("configs/landscape/nasbench201.textproto", load);
  if (!experiment.ok()) {
    state.SkipWithError(std::string(experiment.status().message()).c_str());
    return;
  }
  LandscapeOptions options;
  options.print = false;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const auto output = ComputeLandscape(*experiment, options);
    benchmark::DoNotOptimize(output->csv.data());
  }
}
BENCHMARK(BM_LandscapeCommandNasbench201)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace nas
