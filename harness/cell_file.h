#ifndef NASBENCH_HARNESS_CELL_FILE_H_
#define NASBENCH_HARNESS_CELL_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/runner.h"

namespace nas {

// A cell's results as stored on disk: what reports need. Values read back
// from a cell file equal the values that were written, bit for bit (numbers
// are stored in shortest round-trip form), so reports built from files are
// the same whether the cells ran just now, in an earlier (resumed) run or
// on another machine (merged shards).
struct StoredCell {
  CellId id;
  bool ok = true;
  std::string failure;  // When !ok: the algorithm's error.
  // Per query. The per-query valid/test errors and fidelities stay in the
  // file for people; reports need only these, so only these are parsed.
  std::vector<double> cumulative_seconds;
  std::vector<double> incumbent_valid_error;
  std::vector<double> incumbent_test_error;
  // Only for cells with metric columns (benchmarks with a
  // `multiobjective` block), which hypervolume reports need: the objective's
  // metric names, and per query its fidelity, errors and metric values (stored
  // lower-is-better).
  std::vector<std::string> metric_names;
  std::vector<int> fidelity;
  std::vector<double> valid_error;
  std::vector<double> test_error;
  std::vector<std::vector<double>> metrics;

  int64_t num_queries() const {
    return static_cast<int64_t>(incumbent_test_error.size());
  }
  // Incumbent after `queries` queries (its last value if the cell stopped
  // earlier); NaN before the first full-fidelity query.
  double TestErrorAt(int64_t queries) const;
  double ValidErrorAt(int64_t queries) const;
  // Incumbent test error once `seconds` of simulated training were spent
  // (the last query finishing at or before `seconds`); NaN before that.
  double TestErrorAtSeconds(double seconds) const;
};

// The cell file: a CSV with a header, one row per query
//   query,arch,fidelity,valid_error,test_error,cost_seconds,
//   cumulative_seconds,incumbent_valid_error,incumbent_test_error
// then, on a benchmark with a `multiobjective` block, a column
// "metric_<name>" per metric of the objective (CellResult::metric_names,
// values as stored: lower is better)
// (arch quoted when it contains commas or quotes, as DARTS genotypes do),
// and, for a failed cell, a line "# failed: <message>"; last, a line
// "# end: <rows> queries, xxh3-128 <ContentHash of every byte before it>",
// which ParseCellFile checks, so that a cell file cut short, extended or
// edited is refused instead of counted.
std::string FormatCellFile(const SearchSpace& space, const CellResult& result);

// Parses a cell file written by FormatCellFile. `path` is for messages.
absl::StatusOr<StoredCell> ParseCellFile(absl::string_view text,
                                         const CellId& id,
                                         const std::string& path);

// What ParseCellFile(FormatCellFile(space, result)) returns, without the
// round trip (numbers are stored exactly, so the two are equal; a test
// checks it).
StoredCell ToStoredCell(const CellResult& result);

// XXH3-128 of bytes, in hex: cell checksums and the results fingerprint
// (fast enough to run over every cell file without showing up next to the
// searches).
std::string ContentHash(absl::string_view bytes);

// Shortest decimal form that parses back to exactly `value` ("nan" for NaN).
std::string ExactDouble(double value);

}  // namespace nas

#endif  // NASBENCH_HARNESS_CELL_FILE_H_
