#ifndef NASBENCH_OBJECTIVES_TABLE_TABLE_FILE_H_
#define NASBENCH_OBJECTIVES_TABLE_TABLE_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nas {

// A user's comma-separated table, read whole, with every error naming the
// file, the line and the column (1-based character position and header
// name) and saying how to fix it. Stricter than objectives/common's
// CsvTable, which reads the project's own published tables: user files get
// their header checked (no empty or repeated names) and need a data row.
class TableFile {
 public:
  // Reads `path` (named as given in every message).
  static absl::StatusOr<TableFile> Read(const std::string& path);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  int num_rows() const { return static_cast<int>(rows_.size()); }
  const std::string& Cell(int row, int column) const {
    return rows_[row].fields[column];
  }

  // Position of header `name`; InvalidArgument naming the file, `purpose`
  // (e.g. "the validation metric") and the header's names otherwise.
  absl::StatusOr<int> Column(absl::string_view name,
                             absl::string_view purpose) const;

  // "path:line:char (column 'name')" for messages about one cell.
  std::string Where(int row, int column) const;
  // "path:line" for messages about a whole row.
  std::string WhereRow(int row) const;

  // The cell as a finite number, or an error at the cell.
  absl::StatusOr<double> Number(int row, int column) const;

 private:
  struct Row {
    int line = 0;
    std::vector<std::string> fields;
    std::vector<int> starts;  // 1-based character position of each field.
  };
  std::string path_;
  std::vector<std::string> header_;
  std::vector<Row> rows_;
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_TABLE_TABLE_FILE_H_
