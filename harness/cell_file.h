#ifndef NASBENCH_HARNESS_CELL_FILE_H_
#define NASBENCH_HARNESS_CELL_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/runner.h"

namespace nas {

// The cell file, the content of a record of the results store
// (harness/store.h): a CSV with a header, one row per query
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

// Parses a cell file written by FormatCellFile. `where` names it in
// messages. Numbers are stored exactly, so the result equals the one that was
// formatted except for what is not stored: the records' architectures, the
// proxy-score count and the failure's status code (a test checks it).
absl::StatusOr<CellResult> ParseCellFile(absl::string_view text,
                                         const CellId& id,
                                         const std::string& where);

// The tidy export of cell files (`nas export`): one CSV for many cells,
// "benchmark,algorithm,seed," then a cell file's columns, with a
// "metric_<name>" column for each of `metrics` (the union over the cells).
std::string TidyCellsHeader(const std::vector<std::string>& metrics);
// The query rows of `cell_file` (verified by ParseCellFile, whose metric
// names `cell_metrics` are) in that form, each starting with `key`
// ("<benchmark>,<algorithm>,<seed>,"); a metric the cell lacks is empty.
std::string TidyCellRows(absl::string_view cell_file, absl::string_view key,
                         const std::vector<std::string>& cell_metrics,
                         const std::vector<std::string>& metrics);

// XXH3-128 of bytes, in hex: cell checksums and the results fingerprint
// (fast enough to run over every cell file without showing up next to the
// searches).
std::string ContentHash(absl::string_view bytes);

// Shortest decimal form that parses back to exactly `value` ("nan" for NaN).
std::string ExactDouble(double value);

}  // namespace nas

#endif  // NASBENCH_HARNESS_CELL_FILE_H_
