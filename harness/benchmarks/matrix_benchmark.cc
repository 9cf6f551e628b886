// Harness overhead: the whole quickstart matrix as `nas run` executes it
// (prepare the output directory, run every cell on the runner, write each
// cell file, rebuild every report from the stored files) against the summed
// cost of its cells alone (search + writing the cell's own file). Data
// loading is the same for both and excluded.
//
//   bazel run //harness/benchmarks:matrix_benchmark -- --data_dir=../shared/data
//
// Both run on one thread so the comparison is like for like.

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "harness/cell_file.h"
#include "harness/config.h"
#include "harness/report.h"
#include "harness/runner.h"
#include "harness/store.h"

namespace nas {
namespace {

const LoadedExperiment& Quickstart() {
  static const LoadedExperiment* experiment = [] {
    const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
    const std::string root = cwd && *cwd ? std::string(cwd) + "/" : "";
    const char* env = std::getenv("NAS_DATA_DIR");
    LoadOptions options;
    options.data_dir = env && *env ? env : root + "../shared/data";
    auto loaded = LoadExperiment(root + "configs/quickstart.textproto", options);
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
      std::exit(1);
    }
    return new LoadedExperiment(*std::move(loaded));
  }();
  return *experiment;
}

std::string ScratchDir(const char* name) {
  const char* tmp = std::getenv("TMPDIR");
  return absl::StrCat(tmp && *tmp ? tmp : "/tmp", "/nas_matrix_benchmark_",
                      name);
}

void BM_SumOfCells(benchmark::State& state) {
  const LoadedExperiment& experiment = Quickstart();
  const std::string dir = ScratchDir("cells");
  const std::vector<CellId> cells = AllCells(experiment.config);
  for (auto _ : state) {
    // Both benchmarks start each iteration from an empty directory.
    state.PauseTiming();
    (void)PrepareOutputDir(dir, experiment.config, OpenMode::kOverwrite);
    state.ResumeTiming();
    for (const CellId& id : cells) {
      const CellResult result = RunCell(experiment, id);
      (void)WriteCell(dir, experiment.config, id,
                      FormatCellFile(*experiment.benchmarks[id.benchmark].space,
                                     result));
    }
  }
  state.counters["cells"] = static_cast<double>(cells.size());
}
BENCHMARK(BM_SumOfCells)->Unit(benchmark::kMillisecond)->MinTime(3);

void BM_WholeMatrix(benchmark::State& state) {
  const LoadedExperiment& experiment = Quickstart();
  const std::string dir = ScratchDir("matrix");
  for (auto _ : state) {
    state.PauseTiming();
    (void)PrepareOutputDir(dir, experiment.config, OpenMode::kOverwrite);
    state.ResumeTiming();
    RunOptions options;
    options.threads = 1;
    options.on_cell_done = [&](const CellResult& result, int, int) {
      (void)WriteCell(dir, experiment.config, result.id,
                      FormatCellFile(
                          *experiment.benchmarks[result.id.benchmark].space,
                          result));
    };
    RunCells(experiment, AllCells(experiment.config), options);
    Manifest manifest;
    (void)WriteManifest(dir, manifest);
    benchmark::DoNotOptimize(WriteReports(dir));
  }
}
BENCHMARK(BM_WholeMatrix)->Unit(benchmark::kMillisecond)->MinTime(3);

}  // namespace
}  // namespace nas
