// Fuzzes CsvTable::Read, the reader of every benchmark table. It reads only
// files, so each input is written to a scratch file first (docs/fuzzing.md,
// Limits, proposes a string entry point that would avoid the write).
//
// Beyond not crashing: a refusal is InvalidArgument naming the file; an
// accepted table holds no quote character (refused, as csv_table.h
// promises) and has header().size() fields in every row (each one read
// here, so AddressSanitizer sees a short row), Column() finds each header
// name at its first position, and the typed accessors either succeed or say
// which line and column.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "objectives/common/csv_table.h"
#include "tests/fuzz/fuzz_util.h"

namespace nas {
namespace fuzz {

void FuzzOne(const uint8_t* data, size_t size) {
  static const std::string* const path =
      new std::string(ScratchDir() + "/table.csv");
  const absl::string_view input = AsText(data, size);
  WriteFileOrDie(*path, input);
  absl::StatusOr<CsvTable> table = CsvTable::Read(*path, "(fuzz input)");
  if (!table.ok()) {
    Require(table.status().code() == absl::StatusCode::kInvalidArgument,
            "a malformed table is InvalidArgument", input);
    Require(absl::StrContains(table.status().message(), *path),
            "the error names the file", input);
    return;
  }
  const int columns = static_cast<int>(table->header().size());
  Require(columns >= 1, "a table has at least one column", input);
  for (int c = 0; c < columns; ++c) {
    // csv_table.h: "a quote character is refused rather than misparsed".
    Require(table->header()[c].find('"') == std::string::npos,
            "no header name holds a quote", input);
    absl::StatusOr<int> found = table->Column(table->header()[c]);
    Require(found.ok() && *found <= c &&
                table->header()[*found] == table->header()[c],
            "Column() finds a header name at its first position", input);
  }
  for (int row = 0; row < table->num_rows(); ++row) {
    for (int c = 0; c < columns; ++c) {
      const absl::string_view cell = table->Cell(row, c);
      Require(cell.find(',') == std::string::npos &&
                  cell.find('\n') == std::string::npos &&
                  cell.find('"') == std::string::npos,
              "a field holds no separator and no quote", input);
      absl::StatusOr<double> value = table->Double(row, c);
      Require(value.ok() ? std::isfinite(*value)
                         : absl::StrContains(value.status().message(),
                                             table->Where(row)),
              "Double() is finite or names the line", input);
      absl::StatusOr<int64_t> integer = table->Int(row, c);
      Require(integer.ok() || absl::StrContains(integer.status().message(),
                                                table->Where(row)),
              "Int() names the line of a bad integer", input);
    }
  }
}

}  // namespace fuzz
}  // namespace nas
