// Speed of the hot paths: one table look-up through the objective, one
// budgeted query through the oracle, and whole 300-query searches (the
// quickstart's cells), on the real NAS-Bench-201 table.
//
//   NAS_DATA_DIR=$PWD/../shared/data bazel run //harness/benchmarks:search_benchmark

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "algorithms/local_search/local_search.h"
#include "algorithms/random_search/random_search.h"
#include "benchmark/benchmark.h"
#include "harness/oracle.h"
#include "objectives/nasbench201/nasbench201.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

std::string DataDir() {
  const char* env = std::getenv("NAS_DATA_DIR");
  std::string dir = env && *env ? env : "../shared/data";
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (dir[0] != '/' && cwd && *cwd) dir = absl::StrCat(cwd, "/", dir);
  return dir;
}

const Nasbench201Objective& Cifar100() {
  static const Nasbench201Objective* objective = [] {
    Nasbench201ObjectiveParams params;
    params.set_dataset("cifar100");
    auto loaded = Nasbench201Objective::New(
        std::shared_ptr<const SearchSpace>(*Nasbench201Space::New()), params,
        {DataDir()});
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
      std::exit(1);
    }
    return loaded->release();
  }();
  return *objective;
}

void BM_TableLookup(benchmark::State& state) {
  const Objective& objective = Cifar100();
  Rng rng(1);
  std::vector<Architecture> archs;
  for (int i = 0; i < 1024; ++i) archs.push_back(objective.space().Sample(rng));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(objective.Evaluate(archs[i++ & 1023], 0, nullptr));
  }
}
BENCHMARK(BM_TableLookup);

void BM_OracleQuery(benchmark::State& state) {
  const Objective& objective = Cifar100();
  Rng rng(2);
  std::vector<Architecture> archs;
  for (int i = 0; i < 1024; ++i) archs.push_back(objective.space().Sample(rng));
  BudgetedOracle oracle(objective, BudgetLimits{}, Rng(3));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(oracle.Query(archs[i++ & 1023], -1));
    if ((i & 0xffff) == 0) {
      state.PauseTiming();
      oracle.TakeRecords();
      state.ResumeTiming();
    }
  }
}
BENCHMARK(BM_OracleQuery);

template <typename MakeAlgorithm>
void RunSearch(benchmark::State& state, MakeAlgorithm make) {
  const Objective& objective = Cifar100();
  uint64_t seed = 0;
  for (auto _ : state) {
    BudgetLimits limits;
    limits.queries = 300;
    BudgetedOracle oracle(objective, limits, Rng(seed));
    Rng rng(seed++);
    auto algorithm = make();
    benchmark::DoNotOptimize((*algorithm)->Run(oracle, rng));
  }
}

void BM_LocalSearch300Queries(benchmark::State& state) {
  RunSearch(state, [] { return LocalSearch::New(LocalSearchParams()); });
}
BENCHMARK(BM_LocalSearch300Queries)->Unit(benchmark::kMicrosecond);

void BM_RandomSearch300Queries(benchmark::State& state) {
  RunSearch(state, [] { return RandomSearch::New(RandomSearchParams()); });
}
BENCHMARK(BM_RandomSearch300Queries)->Unit(benchmark::kMicrosecond);

void BM_LoadNasbench201Table(benchmark::State& state) {
  for (auto _ : state) {
    Nasbench201ObjectiveParams params;
    params.set_dataset("cifar100");
    benchmark::DoNotOptimize(Nasbench201Objective::New(
        std::shared_ptr<const SearchSpace>(*Nasbench201Space::New()), params,
        {DataDir()}));
  }
}
BENCHMARK(BM_LoadNasbench201Table)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nas
