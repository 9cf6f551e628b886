#ifndef NASBENCH_HARNESS_CELL_FILE_H_
#define NASBENCH_HARNESS_CELL_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/runner.h"

namespace nas {

// The cell record, the content of a record of the results store
// (harness/store.h) since results schema 5: binary, explicit little-endian,
// versioned, holding only what a cell's queries were (derived numbers are
// recomputed on read by ComputeDerivedCurves, as the runner computes them):
//   u8  version (kCellRecordVersion)
//   u32 full fidelity (the objective's last fidelity index)
//   u8  failed (0 or 1); when 1: u32 length, the failure message (failure())
//   u16 metric count; per metric: u16 length, its name (CellResult::
//       metric_names: only on benchmarks with a `multiobjective` block)
//   u32 query count; per query: u8 gene count, the genes (one byte each),
//       u16 fidelity, f64 valid error, f64 test error, f64 cost seconds,
//       f64 per metric (IEEE-754 bits)
//   16 bytes: XXH3-128 of every byte before (low, then high 64 bits), so
//       that a record cut short, extended or edited is refused.
constexpr int kCellRecordVersion = 1;

// The record of `result`, formatted into one buffer of its exact size.
// `num_fidelities`: the objective's fidelities().size().
std::string FormatCellRecord(const CellResult& result, int num_fidelities);

// Parses a record written by FormatCellRecord; `where` names it in
// messages, which give the byte offset of a problem within the record. Every
// number equals the one formatted, bit for bit, and the records carry their
// architectures; not stored are the proxy-score count and the failure's
// status code (read back as kUnknown).
absl::StatusOr<CellResult> ParseCellRecord(absl::string_view bytes,
                                           const CellId& id,
                                           const std::string& where);

// The cell file of results schema 4, still read for `nas report` and `nas
// export` of old directories: a CSV with a header, one row per query
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
// FormatCellFile writes it (for tests of the reader: nas writes records).
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
// The query rows of `cell` (of `space`, from ParseCellRecord) in that form,
// each starting with `key` ("<benchmark>,<algorithm>,<seed>,"), the numbers
// as schema 4's cell files wrote them; a metric the cell lacks is empty.
// DataLoss naming `where` when a stored architecture is not one of `space`.
absl::StatusOr<std::string> TidyRecordRows(
    const SearchSpace& space, const CellResult& cell, absl::string_view key,
    const std::vector<std::string>& metrics, const std::string& where);
// The query rows of schema-4 `cell_file` (verified by ParseCellFile, whose
// metric names `cell_metrics` are) in that form, each starting with `key`
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
