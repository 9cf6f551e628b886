// Speed of whole 300-query searches (a quickstart cell) for the baseline
// algorithms, created by name through the registry with default
// parameters, on the real NAS-Bench-201 CIFAR-100 table.
//
//   bazel run //tests/benchmarks:baselines_benchmark -- \
//       --data_dir=/work/shared/data   (or NAS_DATA_DIR)

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"
#include "benchmark/benchmark.h"
#include "tests/benchmarks/nasbench201_benchmark_util.h"
#include "harness/oracle.h"
#include "objectives/nasbench201/nasbench201.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

void BM_Search300Queries(benchmark::State& state, const char* name) {
  auto entry = GlobalAlgorithmRegistry().Find(name);
  if (!entry.ok()) {
    state.SkipWithError(std::string(entry.status().message()).c_str());
    return;
  }
  std::unique_ptr<google::protobuf::Message> params(
      (*entry)->params_prototype ? (*entry)->params_prototype->New() : nullptr);
  RunSearch300(state, [&] { return (*entry)->factory(params.get()); });
}

BENCHMARK_CAPTURE(BM_Search300Queries, regularized_evolution,
                  "regularized_evolution")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search300Queries, simulated_annealing,
                  "simulated_annealing")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search300Queries, iterated_local_search,
                  "iterated_local_search")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search300Queries, reinforce, "reinforce")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search300Queries, successive_halving, "successive_halving")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search300Queries, hyperband, "hyperband")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search300Queries, local_search, "local_search")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace nas
