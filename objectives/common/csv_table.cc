#include "objectives/common/csv_table.h"

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace nas {

absl::StatusOr<CsvTable> CsvTable::Read(const std::string& path,
                                        absl::string_view where_to_get_it) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "benchmark table '", path, "' is a directory, not a file. ",
        where_to_get_it,
        " Point --data_dir (or $NAS_DATA_DIR, or data_dir in the config) at "
        "the folder that holds the table file."));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        "cannot open benchmark table '", path, "' (", std::strerror(errno),
        "). ", where_to_get_it,
        " Point --data_dir (or $NAS_DATA_DIR, or data_dir in the config) at "
        "the folder that holds it."));
  }
  CsvTable table;
  table.path_ = path;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    absl::string_view text = absl::StripSuffix(line, "\r");
    // Checked on the header too: a quoted column name would be kept with
    // its quotes and then reported missing under its own name.
    if (text.find('"') != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number,
                       ": quoted fields are not supported in benchmark "
                       "tables; the file does not match its documented "
                       "format."));
    }
    if (line_number == 1) {
      table.header_ = absl::StrSplit(text, ',');
      continue;
    }
    if (text.empty()) continue;  // A trailing blank line.
    std::vector<std::string> fields = absl::StrSplit(text, ',');
    if (fields.size() != table.header_.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_number, ": expected ", table.header_.size(),
          " comma-separated fields (as in the header), found ", fields.size(),
          ". The file is truncated or corrupted; fetch it again."));
    }
    table.rows_.push_back(std::move(fields));
  }
  if (line_number == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the file is empty; fetch it again."));
  }
  return table;
}

absl::StatusOr<int> CsvTable::Column(absl::string_view name) const {
  for (int i = 0; i < static_cast<int>(header_.size()); ++i) {
    if (header_[i] == name) return i;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      path_, ":1: no column '", name,
      "' in the header; the columns are: ", absl::StrJoin(header_, ", "),
      ". Is this the right file?"));
}

std::string CsvTable::Where(int row) const {
  return absl::StrCat(path_, ":", LineOf(row));
}

absl::StatusOr<double> CsvTable::Double(int row, int column) const {
  double value;
  const std::string& cell = rows_[row][column];
  if (!absl::SimpleAtod(cell, &value) || !std::isfinite(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Where(row), ": column '", header_[column], "': '", cell,
                     "' is not a finite number. The file is corrupted; fetch "
                     "it again."));
  }
  return value;
}

absl::StatusOr<int64_t> CsvTable::Int(int row, int column) const {
  int64_t value;
  const std::string& cell = rows_[row][column];
  if (!absl::SimpleAtoi(cell, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Where(row), ": column '", header_[column], "': '", cell,
                     "' is not an integer. The file is corrupted; fetch it "
                     "again."));
  }
  return value;
}

}  // namespace nas
