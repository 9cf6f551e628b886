// Fuzzes ParseCellRecord, the reader of the binary cell records that
// reports, --resume and `nas merge` are rebuilt from.
//
// Beyond not crashing: a refusal is DataLoss; an accepted record has one
// value per query in each column; and the promise of cell_file.h holds:
// writing what was read (FormatCellRecord) gives back the same bytes, and
// reading them again the same numbers, bit for bit (NaN as NaN).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "harness/cell_file.h"
#include "tests/fuzz/fuzz_util.h"

namespace nas {
namespace fuzz {
namespace {

bool SameDouble(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof(double)) == 0;
}

bool SameValues(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!SameDouble(a[i], b[i])) return false;
  }
  return true;
}

// Equal in everything a cell record stores (all but the proxy-score count
// and the failure's status code).
bool SameCell(const CellResult& a, const CellResult& b) {
  if (a.ok() != b.ok() || a.failure() != b.failure() ||
      a.metric_names != b.metric_names ||
      a.records.size() != b.records.size()) {
    return false;
  }
  for (size_t i = 0; i < a.records.size(); ++i) {
    const QueryRecord& x = a.records[i];
    const QueryRecord& y = b.records[i];
    if (x.arch != y.arch || x.fidelity != y.fidelity ||
        !SameDouble(x.evaluation.valid_error, y.evaluation.valid_error) ||
        !SameDouble(x.evaluation.test_error, y.evaluation.test_error) ||
        !SameDouble(x.evaluation.cost_seconds, y.evaluation.cost_seconds) ||
        !SameDouble(x.cumulative_seconds, y.cumulative_seconds) ||
        !SameValues(x.evaluation.metrics, y.evaluation.metrics)) {
      return false;
    }
  }
  return SameValues(a.incumbent_valid_error, b.incumbent_valid_error) &&
         SameValues(a.incumbent_test_error, b.incumbent_test_error);
}

}  // namespace

void FuzzOne(const uint8_t* data, size_t size) {
  const absl::string_view input = AsText(data, size);
  const CellId id{/*benchmark=*/1, /*algorithm=*/2, /*seed=*/3};
  absl::StatusOr<CellResult> cell = ParseCellRecord(input, id, "fuzz.rec");
  if (!cell.ok()) {
    Require(cell.status().code() == absl::StatusCode::kDataLoss,
            "a damaged cell record is DataLoss", input);
    return;
  }
  const size_t n = cell->incumbent_test_error.size();
  Require(cell->records.size() == n && cell->incumbent_valid_error.size() == n,
          "one value per query in every column", input);
  // The accessors reports use, at and around every position.
  for (int64_t q = -1; q <= static_cast<int64_t>(n) + 1; ++q) {
    cell->TestErrorAt(q);
    cell->ValidErrorAt(q);
  }
  for (const QueryRecord& record : cell->records) {
    cell->TestErrorAtSeconds(record.cumulative_seconds);
  }

  // Write it back with its full fidelity (bytes 1-4, little-endian), then
  // read it again.
  uint32_t full_fidelity = 0;
  for (int i = 0; i < 4; ++i) {
    full_fidelity |= uint32_t{data[1 + i]} << (8 * i);
  }
  const std::string written =
      FormatCellRecord(*cell, static_cast<int>(full_fidelity) + 1);
  Require(written == input, "a record is written back byte for byte", input);
  absl::StatusOr<CellResult> reread = ParseCellRecord(written, id, "fuzz.rec");
  Require(reread.ok(), "a formatted cell record parses", input);
  Require(SameCell(*reread, *cell), "values survive a write and a read", input);
}

}  // namespace fuzz
}  // namespace nas
