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
#include <map>
#include <string>
#include <tuple>

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
    // As `nas run` does it (harness/main.cc).
    const std::vector<CellId> all = AllCells(experiment.config);
    std::map<std::tuple<int, int, int>, int> position;
    for (size_t i = 0; i < all.size(); ++i) {
      position[{all[i].benchmark, all[i].algorithm, all[i].seed}] =
          static_cast<int>(i);
    }
    PreloadedCells preloaded;
    RunOptions options;
    options.threads = 1;
    options.finish_cell = [&](const CellResult& result) {
      const std::string contents = FormatCellFile(
          *experiment.benchmarks[result.id.benchmark].space, result);
      (void)WriteCell(dir, experiment.config, result.id, contents);
      preloaded[position[{result.id.benchmark, result.id.algorithm,
                          result.id.seed}]] = {ToStoredCell(result),
                                               Sha256Hex(contents)};
    };
    RunCells(experiment, all, options);
    Manifest manifest;
    (void)WriteManifest(dir, manifest);
    benchmark::DoNotOptimize(WriteReports(dir, &preloaded));
  }
}
BENCHMARK(BM_WholeMatrix)->Unit(benchmark::kMillisecond)->MinTime(3);

}  // namespace
}  // namespace nas
