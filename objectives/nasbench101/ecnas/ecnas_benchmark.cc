// Speed of the EC-NAS-Bench objective: loading a table (parse, hash-check
// every row, enumerate the space) and answering a query (one module hash of
// the architecture, then a hash-map look-up).
//
//   bazel run -c opt //objectives/nasbench101/ecnas:ecnas_benchmark  (from /work/main)

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "objectives/nasbench101/ecnas/ecnas.h"

namespace nas {
namespace {

// $NAS_DATA_DIR, else ../shared/data, relative to where `bazel run` started.
std::string DataDir() {
  const char* env = std::getenv("NAS_DATA_DIR");
  std::string dir = env && *env ? env : "../shared/data";
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (dir[0] != '/' && cwd && *cwd) dir = absl::StrCat(cwd, "/", dir);
  return dir;
}

std::shared_ptr<const SearchSpace> Space(int vertices) {
  Nasbench101SpaceParams params;
  params.set_max_vertices(vertices);
  return std::shared_ptr<const SearchSpace>(*Nasbench101Space::New(params));
}

std::unique_ptr<EcnasObjective> Load(int vertices) {
  EcnasObjectiveParams params;
  params.set_vertices(vertices);
  auto objective = EcnasObjective::New(Space(vertices), params,
                                       {DataDir()});
  if (!objective.ok()) return nullptr;
  return std::move(*objective);
}

void BM_Load(benchmark::State& state) {
  const int vertices = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto objective = Load(vertices);
    if (objective == nullptr) {
      state.SkipWithError("cannot load the table; set NAS_DATA_DIR");
      return;
    }
    benchmark::DoNotOptimize(objective);
  }
}
BENCHMARK(BM_Load)->Arg(4)->Arg(5)->Unit(benchmark::kMillisecond);

void BM_Evaluate(benchmark::State& state) {
  auto objective = Load(static_cast<int>(state.range(0)));
  if (objective == nullptr) {
    state.SkipWithError("cannot load the table; set NAS_DATA_DIR");
    return;
  }
  Rng rng(1);
  std::vector<Architecture> archs;
  for (int i = 0; i < 1024; ++i) {
    archs.push_back(objective->space().Sample(rng));
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        objective->Evaluate(archs[i++ & 1023], 0, nullptr));
  }
}
BENCHMARK(BM_Evaluate)->Arg(4)->Arg(5);

}  // namespace
}  // namespace nas
