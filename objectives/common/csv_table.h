#ifndef NASBENCH_OBJECTIVES_COMMON_CSV_TABLE_H_
#define NASBENCH_OBJECTIVES_COMMON_CSV_TABLE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nas {

// A comma-separated table read whole into memory, for benchmark files.
// Fields are not quoted in any table we read; a quote character is refused
// rather than misparsed. Every error names the file and the 1-based line.
class CsvTable {
 public:
  // Reads `path`. NotFound names the path and appends `where_to_get_it`
  // (e.g. "see ../shared/data/<benchmark>/README.txt").
  static absl::StatusOr<CsvTable> Read(const std::string& path,
                                       absl::string_view where_to_get_it);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  int num_rows() const { return static_cast<int>(rows_.size()); }

  // Column position by name; InvalidArgument listing the header if absent.
  absl::StatusOr<int> Column(absl::string_view name) const;

  const std::string& Cell(int row, int column) const {
    return rows_[row][column];
  }

  // Typed access with "file:line: column 'x': '...' is not a number" errors.
  absl::StatusOr<double> Double(int row, int column) const;
  absl::StatusOr<int64_t> Int(int row, int column) const;

  // 1-based line number of data row `row` in the file (header is line 1).
  int LineOf(int row) const { return row + 2; }

  // "path:line" for messages about data row `row`.
  std::string Where(int row) const;

 private:
  std::string path_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_COMMON_CSV_TABLE_H_
