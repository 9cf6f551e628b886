#include "objectives/common/csv_table.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace nas {

namespace {

// Appends to `begins` the offset just past each comma in [begin, end) of
// `text`: where a line's fields after its first start. 16 bytes at a time
// where SSE2 is there (every x86-64): splitting is most of a cold load.
void AppendFieldStarts(const char* text, size_t begin, size_t end,
                       std::vector<uint32_t>* begins) {
  size_t i = begin;
#ifdef __SSE2__
  const __m128i comma = _mm_set1_epi8(',');
  for (; i + 16 <= end; i += 16) {
    const __m128i block =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i));
    unsigned mask =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, comma)));
    while (mask != 0) {
      begins->push_back(static_cast<uint32_t>(i + __builtin_ctz(mask) + 1));
      mask &= mask - 1;
    }
  }
#endif
  for (; i < end; ++i) {
    if (text[i] == ',') begins->push_back(static_cast<uint32_t>(i + 1));
  }
}

// Reads what is left of `fd` into `out`; `size_hint` (the file's size) lets
// a regular file arrive in one read with no regrowth. False with errno set
// on a read error.
bool ReadAll(int fd, size_t size_hint, std::string* out) {
  out->resize(size_hint);
  size_t used = 0;
  while (used < out->size()) {
    const ssize_t got = ::read(fd, &(*out)[used], out->size() - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return false;
    if (got == 0) break;
    used += static_cast<size_t>(got);
  }
  out->resize(used);
  // Whatever is beyond the hint (a pipe, a file that grew).
  char chunk[1 << 16];
  while (true) {
    const ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return false;
    if (got == 0) return true;
    out->append(chunk, static_cast<size_t>(got));
  }
}

}  // namespace

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
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(absl::StrCat(
        "cannot open benchmark table '", path, "' (", std::strerror(errno),
        "). ", where_to_get_it,
        " Point --data_dir (or $NAS_DATA_DIR, or data_dir in the config) at "
        "the folder that holds it."));
  }
  // One read and one buffer: the fields are offsets into it, so a table of
  // 15,625 x 17 fields costs a handful of allocations, not 265,000.
  auto data = std::make_shared<std::string>();
  const bool read_ok = ReadAll(
      fd, stat_ok && S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) : 0,
      data.get());
  const int read_errno = errno;
  ::close(fd);
  if (!read_ok) {
    return absl::DataLossError(absl::StrCat("cannot read benchmark table '",
                                            path, "' (",
                                            std::strerror(read_errno), ")"));
  }
  if (data->size() >= std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "benchmark table '", path, "' is ", data->size(),
        " bytes; tables of 4 GB or more are not supported. Split it."));
  }
  CsvTable table;
  table.path_ = path;
  const char* const text = data->data();
  const size_t size = data->size();
  // The first quote, if any: the line holding it is refused when reached,
  // so an earlier malformed line is still the error reported.
  const char* const quote =
      static_cast<const char*>(std::memchr(text, '"', size));
  const size_t first_quote = quote ? static_cast<size_t>(quote - text) : size;
  // At most this many data rows: room for their fields up front.
  size_t max_rows = 1;
  for (const char* p = text;
       (p = static_cast<const char*>(std::memchr(p, '\n', text + size - p)));
       ++p) {
    ++max_rows;
  }
  int line_number = 0;
  size_t num_columns = 0;
  for (size_t begin = 0; begin < size;) {
    const char* newline =
        static_cast<const char*>(std::memchr(text + begin, '\n', size - begin));
    const size_t raw_end = newline ? static_cast<size_t>(newline - text) : size;
    size_t end = raw_end;
    if (end > begin && text[end - 1] == '\r') --end;
    const size_t line_begin = begin;
    begin = raw_end + 1;
    ++line_number;
    // Checked on the header too: a quoted column name would be kept with
    // its quotes and then reported missing under its own name.
    if (first_quote < end) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number,
                       ": quoted fields are not supported in benchmark "
                       "tables; the file does not match its documented "
                       "format."));
    }
    const absl::string_view line(text + line_begin, end - line_begin);
    if (line_number == 1) {
      table.header_ = absl::StrSplit(line, ',');
      num_columns = table.header_.size();
      table.field_begins_.reserve(max_rows * (num_columns + 1));
      continue;
    }
    if (line.empty()) continue;  // A trailing blank line.
    const size_t first = table.field_begins_.size();
    table.field_begins_.push_back(static_cast<uint32_t>(line_begin));
    AppendFieldStarts(text, line_begin, end, &table.field_begins_);
    const size_t found = table.field_begins_.size() - first;
    if (found != num_columns) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_number, ": expected ", num_columns,
          " comma-separated fields (as in the header), found ", found,
          ". The file is truncated or corrupted; fetch it again."));
    }
    // As if a comma followed the last field: Cell() needs no special case.
    table.field_begins_.push_back(static_cast<uint32_t>(end + 1));
    ++table.num_rows_;
  }
  if (line_number == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the file is empty; fetch it again."));
  }
  table.data_ = std::move(data);
  return table;
}

namespace {

// ReadShared's cache: one slot per path, each with its own lock, so that a
// second reader of a file waits for the first instead of reading it again,
// while other files load in parallel. std::mutex rather than absl::Mutex:
// Debian's Abseil is not built with ThreadSanitizer, which then cannot see
// absl::Mutex's synchronisation.
struct SharedSlot {
  std::mutex mu;
  struct stat st;                         // Guarded by mu.
  std::shared_ptr<const CsvTable> table;  // Guarded by mu.
};

std::shared_ptr<SharedSlot> SlotFor(const std::string& path, bool create) {
  static std::mutex mu;
  static auto* slots = new std::map<std::string, std::shared_ptr<SharedSlot>>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = slots->find(path);
  if (it != slots->end()) return it->second;
  if (!create) return nullptr;
  return (*slots)[path] = std::make_shared<SharedSlot>();
}

// The regular file at `path`, or nullopt.
std::optional<struct stat> StatRegular(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  return st;
}

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
         a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
         a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const CsvTable>> CsvTable::ReadShared(
    const std::string& path, absl::string_view where_to_get_it) {
  const std::optional<struct stat> st = StatRegular(path);
  // Not a regular file (missing, a directory): Read says why, uncached.
  if (!st.has_value()) {
    absl::StatusOr<CsvTable> table = Read(path, where_to_get_it);
    if (!table.ok()) return table.status();
    return std::make_shared<const CsvTable>(*std::move(table));
  }
  const std::shared_ptr<SharedSlot> slot = SlotFor(path, /*create=*/true);
  std::lock_guard<std::mutex> lock(slot->mu);
  if (slot->table != nullptr && SameFile(slot->st, *st)) return slot->table;
  absl::StatusOr<CsvTable> table = Read(path, where_to_get_it);
  if (!table.ok()) return table.status();
  slot->st = *st;
  slot->table = std::make_shared<const CsvTable>(*std::move(table));
  return slot->table;
}

std::shared_ptr<const CsvTable> CsvTable::FindShared(const std::string& path) {
  const std::shared_ptr<SharedSlot> slot = SlotFor(path, /*create=*/false);
  if (slot == nullptr) return nullptr;
  const std::optional<struct stat> st = StatRegular(path);
  std::lock_guard<std::mutex> lock(slot->mu);
  if (!st.has_value() || slot->table == nullptr || !SameFile(slot->st, *st)) {
    return nullptr;
  }
  return slot->table;
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
  // std::from_chars first (3x faster here); both it and SimpleAtod round
  // correctly, so they agree wherever from_chars takes the whole cell, and
  // SimpleAtod decides the rest (spaces, a '+' sign, out-of-range values).
  const char* const end = cell.data() + cell.size();
  const std::from_chars_result fast = std::from_chars(cell.data(), end, value);
  const bool parsed = (fast.ec == std::errc() && fast.ptr == end) ||
                      absl::SimpleAtod(cell, &value);
  if (!parsed || !std::isfinite(value)) {
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
