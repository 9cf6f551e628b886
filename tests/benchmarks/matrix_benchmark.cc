// Harness overhead on the quickstart matrix (600 cells). BM_SumOfCells: each
// cell alone, one after another (search + appending its record to the store).
// BM_RunMatrix: the same cells through the harness's runner, as `nas run`
// executes them (scheduling, bookkeeping, fingerprinting each record).
// BM_Reports: the report phase that follows (statistics, tables, plots,
// HTML, manifest). Data loading is common to all and excluded; every
// iteration starts from an empty directory (not timed). BM_LoadQuickstart/T:
// the loading itself, cold, on T threads (LoadExperiment: the table read
// once, the three datasets indexed, the table hashed for the manifest).
//
//   NAS_DATA_DIR=$PWD/../shared/data TMPDIR=/dev/shm \
//       bazel run //tests/benchmarks:matrix_benchmark
//
// All on one thread so the comparison is like for like. Use TMPDIR=/dev/shm
// to keep the file system's inode allocation out of the numbers.

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "harness/cell_file.h"
#include "harness/config.h"
#include "harness/report.h"
#include "harness/runner.h"
#include "harness/store.h"
#include "tests/benchmarks/nasbench201_benchmark_util.h"

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

// An empty results directory for `config` (the lock is released at once).
void ResetDir(const std::string& dir, const Experiment& config) {
  Manifest manifest;
  manifest.set_schema(kManifestSchema);
  (void)OpenOutputDir(dir, config, manifest, OpenMode::kOverwrite,
                      "benchmark");
}

int NumFidelities(const LoadedExperiment& experiment, const CellId& id) {
  return static_cast<int>(
      experiment.benchmarks[id.benchmark].objective->fidelities().size());
}

void BM_SumOfCells(benchmark::State& state) {
  const LoadedExperiment& experiment = Quickstart();
  const std::string dir = ScratchDir("cells");
  const std::vector<CellId> cells = AllCells(experiment.config);
  for (auto _ : state) {
    // Both benchmarks start each iteration from an empty directory.
    state.PauseTiming();
    ResetDir(dir, experiment.config);
    state.ResumeTiming();
    std::unique_ptr<CellStoreWriter> store =
        *CellStoreWriter::Open(dir, experiment.config);
    for (const CellId& id : cells) {
      const CellResult result = RunCell(experiment, id);
      (void)store->Append(
          id, FormatCellRecord(result, NumFidelities(experiment, id)));
    }
  }
  state.counters["cells"] = static_cast<double>(cells.size());
}
BENCHMARK(BM_SumOfCells)->Unit(benchmark::kMillisecond)->MinTime(3);

// A finished cell's record, as each of the 600 is formatted before it is
// stored (a local-search cell on cifar10-valid, 300 queries).
void BM_FormatCellRecord(benchmark::State& state) {
  const LoadedExperiment& experiment = Quickstart();
  const CellId id = AllCells(experiment.config).front();
  const CellResult result = RunCell(experiment, id);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        FormatCellRecord(result, NumFidelities(experiment, id)));
  }
}
BENCHMARK(BM_FormatCellRecord);

// `nas run`'s run phase: the runner executes every cell; each finished cell
// is formatted, fingerprinted and written by the worker (harness/main.cc).
PreloadedCells RunMatrix(const LoadedExperiment& experiment,
                         const std::string& dir) {
  const std::vector<CellId> all = AllCells(experiment.config);
  std::map<std::tuple<int, int, int>, int> position;
  for (size_t i = 0; i < all.size(); ++i) {
    position[{all[i].benchmark, all[i].algorithm, all[i].seed}] =
        static_cast<int>(i);
  }
  PreloadedCells preloaded;
  std::unique_ptr<CellStoreWriter> store =
      *CellStoreWriter::Open(dir, experiment.config);
  RunOptions options;
  options.threads = 1;
  options.finish_cell = [&](CellResult* result) {
    const std::string contents =
        FormatCellRecord(*result, NumFidelities(experiment, result->id));
    (void)store->Append(result->id, contents);
    const int at =
        position[{result->id.benchmark, result->id.algorithm, result->id.seed}];
    preloaded[at] = {std::move(*result), ContentHash(contents)};
  };

  StreamCells(experiment, all, options);
  (void)store->Finish();
  return preloaded;
}

void BM_RunMatrix(benchmark::State& state) {
  const LoadedExperiment& experiment = Quickstart();
  const std::string dir = ScratchDir("matrix");
  for (auto _ : state) {
    state.PauseTiming();
    ResetDir(dir, experiment.config);
    state.ResumeTiming();
    benchmark::DoNotOptimize(RunMatrix(experiment, dir));
  }
}
BENCHMARK(BM_RunMatrix)->Unit(benchmark::kMillisecond)->MinTime(3);

// `nas run`'s report phase: statistics, tables, plots, HTML and manifest
// from the cells the run phase just wrote.
void BM_Reports(benchmark::State& state) {
  const LoadedExperiment& experiment = Quickstart();
  const std::string dir = ScratchDir("reports");
  ResetDir(dir, experiment.config);
  const PreloadedCells preloaded = RunMatrix(experiment, dir);
  Manifest manifest;
  manifest.set_schema(kManifestSchema);
  (void)WriteManifest(dir, manifest);
  for (auto _ : state) {
    state.PauseTiming();
    PreloadedCells cells = preloaded;  // WriteReports takes them over.
    state.ResumeTiming();
    const absl::StatusOr<Reports> reports = WriteReports(dir, &cells);
    if (!reports.ok()) {
      state.SkipWithError(std::string(reports.status().message()).c_str());
      break;
    }
  }
}
BENCHMARK(BM_Reports)->Unit(benchmark::kMillisecond)->MinTime(3);

// `nas run`'s loading phase, cold, as a process pays it: the quickstart's
// table is a private copy whose modification time moves before each
// iteration (untimed), so CsvTable::ReadShared reads it afresh every time.
void BM_LoadQuickstart(benchmark::State& state) {
  ColdNasbench201Table table;
  if (!table.ok()) {
    state.SkipWithError("cannot copy the table to a temporary directory");
    return;
  }
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  const std::string root = cwd && *cwd ? std::string(cwd) + "/" : "";
  LoadOptions options;
  options.data_dir = table.data_dir();
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    table.Touch();
    state.ResumeTiming();
    auto loaded =
        LoadExperiment(root + "configs/quickstart.textproto", options);
    if (!loaded.ok()) {
      state.SkipWithError(std::string(loaded.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(loaded);
  }
}
BENCHMARK(BM_LoadQuickstart)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace nas
