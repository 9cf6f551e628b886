#ifndef NASBENCH_HARNESS_RUNNER_H_
#define NASBENCH_HARNESS_RUNNER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "harness/config.h"
#include "harness/oracle.h"

namespace nas {

// One cell of the matrix, by position in the config.
struct CellId {
  int benchmark = 0;
  int algorithm = 0;
  int seed = 0;
};

// What one cell produced, fresh from RunCell or read back from the results
// store (ParseCellRecord): the one type for a cell's result. A failed cell (its
// algorithm returned an error) is a result too: it keeps the queries made
// before the failure. Read back, every number equals the one written, bit for
// bit, so reports are the same whether a cell ran just now, in a resumed run
// or on another machine (merged shards).
struct CellResult {
  CellId id;
  // Read back, a failure has code kUnknown and the one-line message that was
  // stored (failure()).
  absl::Status status;
  // Per query. Read back from a store of schema 4 (CSV cell files), `arch`
  // is left empty; schema 5 stores the genes.
  std::vector<QueryRecord> records;
  // On a benchmark with a `multiobjective` block: the names of the
  // objective's metrics (Objective::metrics()), which each record's
  // evaluation carries in this order; else empty (and the records' metrics
  // are not stored).
  std::vector<std::string> metric_names;
  // Proxy scores the algorithm asked for (free; not among the records; not
  // stored).
  int64_t proxy_scores = 0;
  // Per query: the validation and test error of the incumbent, the
  // full-fidelity architecture with the lowest validation error so far
  // (earliest wins ties). NaN until the first full-fidelity query.
  std::vector<double> incumbent_valid_error;
  std::vector<double> incumbent_test_error;
  // Per query: the simulated training seconds spent so far (each record's
  // cumulative_seconds, also kept here so that reports can do without the
  // records).
  std::vector<double> cumulative_seconds;

  bool ok() const { return status.ok(); }
  // The error on one line, as stored ("" when ok()).
  std::string failure() const;
  // Frees the records unless they carry metric values: reports read the
  // curves above, and the records only for their metrics (the hypervolume
  // report of multi-objective benchmarks). `nas run` keeps every finished
  // cell for its reports, and the records are most of a cell's memory.
  void ReleaseRecordsReportsDoNotRead();
  int64_t num_queries() const {
    return static_cast<int64_t>(incumbent_test_error.size());
  }
  // Incumbent test error after `queries` queries (the last value if the
  // cell stopped earlier); NaN if it has none.
  double TestErrorAt(int64_t queries) const;
  double ValidErrorAt(int64_t queries) const;
  // Incumbent test error once `seconds` of simulated training were spent
  // (the last query finishing at or before `seconds`); NaN before that.
  double TestErrorAtSeconds(double seconds) const;
};

// incumbents[queries - 1], the last value if there are fewer (the cell
// stopped earlier); NaN when there is none or queries < 1. The one rule for
// reading an incumbent curve, for fresh and stored cells alike.
double IncumbentAt(const std::vector<double>& incumbents, int64_t queries);

// Fills in what a cell's queries determine: each record's
// cumulative_seconds (the running sum of cost_seconds, as the oracle charges
// it), the cumulative_seconds curve and the incumbent curves (`full_fidelity`:
// the index of the objective's full fidelity). The one computation for fresh
// cells (RunCell) and stored ones (ParseCellRecord, which stores only the
// queries), so both hold the same bits.
void ComputeDerivedCurves(int full_fidelity, CellResult* result);

// The random stream of a cell: a fixed hash of (experiment seed, benchmark
// name, seed index). The algorithm's name is deliberately left out so that
// all algorithms on a benchmark and seed share their randomness.
uint64_t CellSeed(uint64_t experiment_seed, const std::string& benchmark,
                  int seed_index);

// Every cell of `config` in canonical order: benchmark, algorithm, seed
// (the one place that enumerates them: runs, the store and reports).
std::vector<CellId> AllCells(const Experiment& config);

// Runs one cell to completion.
CellResult RunCell(const LoadedExperiment& experiment, const CellId& id);

struct RunOptions {
  int threads = 1;
  // Called in the worker thread right after each cell, concurrently with
  // other workers (it must be thread-safe): where each cell's result is
  // formatted and written, so that I/O runs in parallel too. It may move
  // the result out (`nas run` keeps it for its reports without a copy) as
  // long as it leaves the id and status, which on_cell_done reads.
  std::function<void(CellResult*)> finish_cell;
  // Called as a worker takes a cell, serialised by the runner with
  // on_cell_done (progress output).
  std::function<void(const CellId&)> on_cell_start;
  // Called after finish_cell, serialised by the runner (progress output).
  std::function<void(const CellResult&, int done, int total)> on_cell_done;
};

// Runs `cells` on a pool of threads, handing each result to
// options.finish_cell as soon as it is done and then dropping it, so memory
// stays bounded by the cells in flight however large the experiment. What a
// result contains never depends on the thread count or completion order.
void StreamCells(const LoadedExperiment& experiment,
                 const std::vector<CellId>& cells, const RunOptions& options);

// StreamCells that also keeps every result: position i holds cells[i]'s.
// For small matrices (tests, analyses); `nas run` streams.
std::vector<CellResult> RunCells(const LoadedExperiment& experiment,
                                 const std::vector<CellId>& cells,
                                 const RunOptions& options);

}  // namespace nas

#endif  // NASBENCH_HARNESS_RUNNER_H_
