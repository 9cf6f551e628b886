// Speed of the hot paths: one table look-up through the objective, one
// budgeted query through the oracle, and whole 300-query searches (the
// quickstart's cells), on the real NAS-Bench-201 table.
//
//   NAS_DATA_DIR=$PWD/../shared/data bazel run //tests/benchmarks:search_benchmark

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "algorithms/local_search/local_search.h"
#include "algorithms/random_search/random_search.h"
#include "benchmark/benchmark.h"
#include "harness/oracle.h"
#include "objectives/common/csv_table.h"
#include "objectives/nasbench201/nasbench201.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/benchmarks/nasbench201_benchmark_util.h"

namespace nas {
namespace {

const Nasbench201Objective& Cifar100() { return Cifar100Objective(); }

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

void BM_LocalSearch300Queries(benchmark::State& state) {
  RunSearch300(state, [] { return LocalSearch::New(LocalSearchParams()); });
}
BENCHMARK(BM_LocalSearch300Queries)->Unit(benchmark::kMicrosecond);

void BM_RandomSearch300Queries(benchmark::State& state) {
  RunSearch300(state, [] { return RandomSearch::New(RandomSearchParams()); });
}
BENCHMARK(BM_RandomSearch300Queries)->Unit(benchmark::kMicrosecond);

// The whole CSV (2.9 MB, 15,625 rows x 17 fields) read and split, as the
// first NAS-Bench-201 objective of a process does.
void BM_ReadNasbench201Csv(benchmark::State& state) {
  const std::string path = absl::StrCat(
      BenchmarkDataDir(), "/nasbench201/nb201_v1_1_200ep_seedavg.csv");
  for (auto _ : state) {
    absl::StatusOr<CsvTable> table = CsvTable::Read(path, "");
    if (!table.ok()) state.SkipWithError(table.status().ToString().c_str());
    benchmark::DoNotOptimize(table);
  }
}
BENCHMARK(BM_ReadNasbench201Csv)->Unit(benchmark::kMillisecond);

// One dataset's objective from the parsed table (CsvTable::ReadShared):
// every row's architecture string parsed and checked, two columns converted.
// A cold load costs this plus BM_ReadNasbench201Csv.
void BM_LoadNasbench201Table(benchmark::State& state) {
  for (auto _ : state) {
    Nasbench201ObjectiveParams params;
    params.set_dataset("cifar100");
    benchmark::DoNotOptimize(Nasbench201Objective::New(
        std::shared_ptr<const SearchSpace>(*Nasbench201Space::New()), params,
        {BenchmarkDataDir()}));
  }
}
BENCHMARK(BM_LoadNasbench201Table)->Unit(benchmark::kMillisecond);

// A cold load, as a process's first NAS-Bench-201 objective pays it: the
// file read and split, every row's architecture parsed and checked, one
// dataset's columns converted. The table is a private copy whose
// modification time moves before each iteration (untimed), so
// CsvTable::ReadShared reads it afresh every time.
void BM_ColdLoadNasbench201Table(benchmark::State& state) {
  ColdNasbench201Table table;
  if (!table.ok()) {
    state.SkipWithError("cannot copy the table to a temporary directory");
    return;
  }
  std::shared_ptr<const SearchSpace> space(*Nasbench201Space::New());
  Nasbench201ObjectiveParams params;
  params.set_dataset("cifar100");
  for (auto _ : state) {
    state.PauseTiming();
    table.Touch();
    state.ResumeTiming();
    auto objective =
        Nasbench201Objective::New(space, params, {table.data_dir()});
    if (!objective.ok()) {
      state.SkipWithError(objective.status().ToString().c_str());
    }
    benchmark::DoNotOptimize(objective);
  }
}
BENCHMARK(BM_ColdLoadNasbench201Table)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nas
