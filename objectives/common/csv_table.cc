#include "objectives/common/csv_table.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"

namespace nas {

absl::StatusOr<CsvTable> CsvTable::Read(const std::string& path,
                                        absl::string_view where_to_get_it) {
  struct stat st;
  const bool stat_ok = ::stat(path.c_str(), &st) == 0;
  if (stat_ok && S_ISDIR(st.st_mode)) {
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
  // One read and one buffer: the fields are views into it, so a table of
  // 15,625 x 17 fields costs a handful of allocations, not 265,000.
  auto data = std::make_shared<std::string>();
  if (stat_ok && S_ISREG(st.st_mode)) data->reserve(st.st_size);
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    data->append(chunk, in.gcount());
  }
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat("cannot read benchmark table '",
                                            path, "' (", std::strerror(errno),
                                            ")"));
  }
  CsvTable table;
  table.path_ = path;
  const absl::string_view text(*data);
  // At most this many data rows: room for their fields up front.
  const size_t max_rows = std::count(text.begin(), text.end(), '\n') + 1;
  int line_number = 0;
  size_t num_columns = 0;
  for (size_t begin = 0; begin < text.size();) {
    size_t end = text.find('\n', begin);
    if (end == absl::string_view::npos) end = text.size();
    absl::string_view line =
        absl::StripSuffix(text.substr(begin, end - begin), "\r");
    begin = end + 1;
    ++line_number;
    // Checked on the header too: a quoted column name would be kept with
    // its quotes and then reported missing under its own name.
    if (line.find('"') != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number,
                       ": quoted fields are not supported in benchmark "
                       "tables; the file does not match its documented "
                       "format."));
    }
    if (line_number == 1) {
      table.header_ = absl::StrSplit(line, ',');
      num_columns = table.header_.size();
      table.fields_.reserve(max_rows * num_columns);
      continue;
    }
    if (line.empty()) continue;  // A trailing blank line.
    const size_t first = table.fields_.size();
    for (absl::string_view field : absl::StrSplit(line, ',')) {
      table.fields_.push_back(field);
    }
    const size_t found = table.fields_.size() - first;
    if (found != num_columns) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_number, ": expected ", num_columns,
          " comma-separated fields (as in the header), found ", found,
          ". The file is truncated or corrupted; fetch it again."));
    }
    ++table.num_rows_;
  }
  if (line_number == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the file is empty; fetch it again."));
  }
  table.data_ = std::move(data);
  return table;
}

absl::StatusOr<std::shared_ptr<const CsvTable>> CsvTable::ReadShared(
    const std::string& path, absl::string_view where_to_get_it) {
  struct Cached {
    struct stat st;
    std::shared_ptr<const CsvTable> table;
  };
  static absl::Mutex mu(absl::kConstInit);
  static auto* cache = new std::map<std::string, Cached>();
  struct stat st;
  const bool stat_ok = ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  auto same_file = [&](const struct stat& a) {
    return a.st_dev == st.st_dev && a.st_ino == st.st_ino &&
           a.st_size == st.st_size && a.st_mtim.tv_sec == st.st_mtim.tv_sec &&
           a.st_mtim.tv_nsec == st.st_mtim.tv_nsec;
  };
  if (stat_ok) {
    absl::MutexLock lock(&mu);
    auto it = cache->find(path);
    if (it != cache->end() && same_file(it->second.st)) return it->second.table;
  }
  absl::StatusOr<CsvTable> table = Read(path, where_to_get_it);
  if (!table.ok()) return table.status();
  auto shared = std::make_shared<const CsvTable>(*std::move(table));
  if (stat_ok) {
    absl::MutexLock lock(&mu);
    (*cache)[path] = Cached{st, shared};
  }
  return shared;
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
  const absl::string_view cell = Cell(row, column);
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
  const absl::string_view cell = Cell(row, column);
  if (!absl::SimpleAtoi(cell, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Where(row), ": column '", header_[column], "': '", cell,
                     "' is not an integer. The file is corrupted; fetch it "
                     "again."));
  }
  return value;
}

}  // namespace nas
