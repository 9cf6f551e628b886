// The statistics `nas run`'s reports compute most often, at the
// quickstart's sizes (100 seeds, 2,000 resamples, 300-point curves).
//
//   bazel run -c opt //harness/stats:stats_benchmark

#include <vector>

#include "benchmark/benchmark.h"
#include "core/random.h"
#include "harness/stats/comparisons.h"
#include "harness/stats/stats.h"

namespace nas {
namespace {

std::vector<double> Errors(int n) {
  Rng rng(1);
  std::vector<double> values;
  for (int i = 0; i < n; ++i) values.push_back(8 + rng.UniformDouble());
  return values;
}

// One leaderboard row's headline interval (the quickstart has 6).
void BM_BootstrapMeanInterval(benchmark::State& state) {
  const std::vector<double> values = Errors(100);
  for (auto _ : state) {
    benchmark::DoNotOptimize(BootstrapMeanInterval(values, 0.95, 2000, 7));
  }
}
BENCHMARK(BM_BootstrapMeanInterval)->Unit(benchmark::kMicrosecond);

// One point of a curve's band: mean and standard deviation of 100 seeds,
// the deviation computing the mean again (as before) or given it.
void BM_MeanAndStdDev(benchmark::State& state) {
  const std::vector<double> values = Errors(100);
  for (auto _ : state) {
    const double mean = Mean(values);
    benchmark::DoNotOptimize(mean);
    benchmark::DoNotOptimize(SampleStdDev(values));
  }
}
BENCHMARK(BM_MeanAndStdDev);

void BM_MeanAndStdDevGivenMean(benchmark::State& state) {
  const std::vector<double> values = Errors(100);
  for (auto _ : state) {
    const double mean = Mean(values);
    benchmark::DoNotOptimize(mean);
    benchmark::DoNotOptimize(SampleStdDev(values, mean));
  }
}
BENCHMARK(BM_MeanAndStdDevGivenMean);

}  // namespace
}  // namespace nas
