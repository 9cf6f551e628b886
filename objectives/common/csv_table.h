#ifndef NASBENCH_OBJECTIVES_COMMON_CSV_TABLE_H_
#define NASBENCH_OBJECTIVES_COMMON_CSV_TABLE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nas {

// A comma-separated table read whole into memory, for benchmark files: one
// buffer holding the file, fields are views into it.
// Fields are not quoted in any table we read; a quote character is refused
// rather than misparsed. Every error names the file and the 1-based line.
class CsvTable {
 public:
  // Reads `path`. NotFound names the path and appends `where_to_get_it`
  // (e.g. "see ../shared/data/<benchmark>/README.txt").
  static absl::StatusOr<CsvTable> Read(const std::string& path,
                                       absl::string_view where_to_get_it);

  // Read(), once per process for each file: later calls return the table
  // parsed the first time while the file's size and modification time are
  // unchanged (the three NAS-Bench-201 datasets share one 3.9 MB table).
  // Thread-safe: concurrent calls for one file wait for a single read
  // (objectives are loaded in parallel). Errors are not cached.
  static absl::StatusOr<std::shared_ptr<const CsvTable>> ReadShared(
      const std::string& path, absl::string_view where_to_get_it);

  // The table ReadShared holds for `path` if the file is still the one it
  // read (same size and modification time), else null; never reads. Lets
  // the manifest hash the bytes already in memory.
  static std::shared_ptr<const CsvTable> FindShared(const std::string& path);

  // The file's bytes exactly as read.
  absl::string_view bytes() const { return *data_; }

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  int num_rows() const { return num_rows_; }

  // Column position by name; InvalidArgument listing the header if absent.
  absl::StatusOr<int> Column(absl::string_view name) const;

  absl::string_view Cell(int row, int column) const {
    const uint32_t* begins =
        &field_begins_[static_cast<size_t>(row) * (header_.size() + 1) +
                       column];
    return absl::string_view(data_->data() + begins[0],
                             begins[1] - 1 - begins[0]);
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
  // The file's bytes, shared by copies of the table.
  std::shared_ptr<const std::string> data_;
  // Per row, where each field starts in data_, then one past its last
  // field's end plus one (as if a comma followed it): field c of a row is
  // [begins[c], begins[c + 1] - 1). Offsets, not views: 4 bytes a field.
  std::vector<uint32_t> field_begins_;
  int num_rows_ = 0;
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_COMMON_CSV_TABLE_H_
