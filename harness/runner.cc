#include "harness/runner.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "harness/parallel.h"

namespace nas {
namespace {

// Sub-streams of a cell's stream.
constexpr uint64_t kAlgorithmStream = 1;
constexpr uint64_t kNoiseStream = 2;

}  // namespace

void ComputeDerivedCurves(int full_fidelity, CellResult* result) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  double seconds = 0, best_valid = nan, best_test = nan;
  result->incumbent_valid_error.clear();
  result->incumbent_test_error.clear();
  result->cumulative_seconds.clear();
  result->incumbent_valid_error.reserve(result->records.size());
  result->incumbent_test_error.reserve(result->records.size());
  result->cumulative_seconds.reserve(result->records.size());
  for (QueryRecord& r : result->records) {
    // The oracle's own sum, in the same order: the same bits.
    seconds += r.evaluation.cost_seconds;
    r.cumulative_seconds = seconds;
    result->cumulative_seconds.push_back(seconds);
    if (r.fidelity == full_fidelity &&
        (std::isnan(best_valid) || r.evaluation.valid_error < best_valid)) {
      best_valid = r.evaluation.valid_error;
      best_test = r.evaluation.test_error;
    }
    result->incumbent_valid_error.push_back(best_valid);
    result->incumbent_test_error.push_back(best_test);
  }
}

double IncumbentAt(const std::vector<double>& incumbents, int64_t queries) {
  if (incumbents.empty() || queries < 1) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const int64_t n = static_cast<int64_t>(incumbents.size());
  return incumbents[std::min(queries, n) - 1];
}

double CellResult::TestErrorAt(int64_t queries) const {
  return IncumbentAt(incumbent_test_error, queries);
}

double CellResult::ValidErrorAt(int64_t queries) const {
  return IncumbentAt(incumbent_valid_error, queries);
}

double CellResult::TestErrorAtSeconds(double seconds) const {
  double value = std::numeric_limits<double>::quiet_NaN();
  for (size_t i = 0; i < cumulative_seconds.size(); ++i) {
    if (cumulative_seconds[i] > seconds) break;
    value = incumbent_test_error[i];
  }
  return value;
}

void CellResult::ReleaseRecordsReportsDoNotRead() {
  if (!metric_names.empty()) return;
  std::vector<QueryRecord>().swap(records);
}

std::string CellResult::failure() const {
  std::string message(status.message());
  std::replace(message.begin(), message.end(), '\n', ' ');
  return message;
}

uint64_t CellSeed(uint64_t experiment_seed, const std::string& benchmark,
                  int seed_index) {
  return HashCombine(HashCombine(experiment_seed, StableHash(benchmark)),
                     static_cast<uint64_t>(seed_index));
}

std::vector<CellId> AllCells(const Experiment& config) {
  std::vector<CellId> cells;
  for (int b = 0; b < config.benchmark_size(); ++b) {
    for (int a = 0; a < config.algorithm_size(); ++a) {
      for (int s = 0; s < config.num_seeds(); ++s) cells.push_back({b, a, s});
    }
  }
  return cells;
}

CellResult RunCell(const LoadedExperiment& experiment, const CellId& id) {
  const LoadedBenchmark& benchmark = experiment.benchmarks[id.benchmark];
  const LoadedAlgorithm& algorithm = experiment.algorithms[id.algorithm];
  const Experiment& config = experiment.config;

  const Rng cell_rng(CellSeed(config.seed(), benchmark.name, id.seed));
  BudgetLimits limits;
  if (config.budget().has_queries()) limits.queries = config.budget().queries();
  if (config.budget().has_seconds()) limits.seconds = config.budget().seconds();
  BudgetedOracle oracle(*benchmark.objective, limits,
                        cell_rng.Fork(kNoiseStream), benchmark.proxy.get());
  Rng algorithm_rng = cell_rng.Fork(kAlgorithmStream);

  CellResult result;
  result.id = id;
  absl::StatusOr<std::unique_ptr<Algorithm>> instance = algorithm.Make();
  if (!instance.ok()) {
    result.status = instance.status();
  } else {
    result.status = RunAlgorithm(**instance, oracle, algorithm_rng);
    if (result.status.ok() && !config.budget().has_queries() &&
        oracle.queries_used() > 0 && oracle.records().back().cumulative_seconds == 0) {
      result.status = absl::FailedPreconditionError(
          "the budget is in seconds but the objective reports no training "
          "times; set budget.queries");
    }
  }
  if (!result.status.ok()) {
    result.status = absl::Status(
        result.status.code(),
        absl::StrCat(algorithm.label, " on ", benchmark.name, ", seed ",
                     id.seed, ": ", result.status.message()));
  }
  result.proxy_scores = oracle.proxy_scores();
  result.records = oracle.TakeRecords();
  // Only hypervolume reports read metrics back: other benchmarks' cell
  // files stay as they were.
  if (benchmark.multiobjective.has_value()) {
    for (const MetricInfo& metric : benchmark.objective->metrics()) {
      result.metric_names.push_back(metric.name);
    }
  }
  ComputeDerivedCurves(
      static_cast<int>(benchmark.objective->fidelities().size()) - 1, &result);
  return result;
}

void StreamCells(const LoadedExperiment& experiment,
                 const std::vector<CellId>& cells, const RunOptions& options) {
  // std::mutex rather than absl::Mutex: Debian's Abseil is not built with
  // ThreadSanitizer, which then cannot see absl::Mutex's synchronisation.
  std::mutex mu;
  int done = 0;
  ForEachIndexInParallel(
      static_cast<int>(cells.size()), options.threads, [&](int i) {
        if (options.on_cell_start) {
          std::lock_guard<std::mutex> lock(mu);
          options.on_cell_start(cells[i]);
        }
        CellResult result = RunCell(experiment, cells[i]);
        if (options.finish_cell) options.finish_cell(&result);
        std::lock_guard<std::mutex> lock(mu);
        ++done;
        if (options.on_cell_done) {
          options.on_cell_done(result, done, static_cast<int>(cells.size()));
        }
      });
}

std::vector<CellResult> RunCells(const LoadedExperiment& experiment,
                                 const std::vector<CellId>& cells,
                                 const RunOptions& options) {
  std::vector<CellResult> results(cells.size());
  std::map<std::tuple<int, int, int>, size_t> position;
  for (size_t i = 0; i < cells.size(); ++i) {
    position[{cells[i].benchmark, cells[i].algorithm, cells[i].seed}] = i;
  }
  RunOptions collecting = options;
  collecting.finish_cell = [&](CellResult* result) {
    // Distinct cells go to distinct slots: no lock needed. Kept before the
    // caller's finish_cell, which may move the result out.
    results[position.at({result->id.benchmark, result->id.algorithm,
                         result->id.seed})] = *result;
    if (options.finish_cell) options.finish_cell(result);
  };
  StreamCells(experiment, cells, collecting);
  return results;
}

}  // namespace nas
