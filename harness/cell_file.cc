#include "harness/cell_file.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "core/check.h"
#include "xxhash.h"

namespace nas {
namespace {

constexpr char kHeader[] =
    "query,arch,fidelity,valid_error,test_error,cost_seconds,"
    "cumulative_seconds,incumbent_valid_error,incumbent_test_error";
constexpr char kMetricPrefix[] = ",metric_";
constexpr char kFailurePrefix[] = "# failed: ";
// The last line: "# end: <rows> queries, xxh3-128 <hash of all bytes before
// this line>". A cell cut short, extended or edited no longer matches it.
constexpr char kEndPrefix[] = "# end: ";

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool ParseDouble(absl::string_view text, double* value) {
  if (text == "nan") {
    *value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *value);
  return ec == std::errc() && ptr == end;
}

// The columns query..incumbent_test_error of query `i` (schema 4's cell
// file rows, and the export's).
void AppendQueryColumns(const SearchSpace& space, const CellResult& result,
                        size_t i, std::string* out) {
  const QueryRecord& r = result.records[i];
  absl::StrAppend(out, i + 1, ",", CsvField(space.ToString(r.arch)), ",",
                  r.fidelity, ",", ExactDouble(r.evaluation.valid_error), ",",
                  ExactDouble(r.evaluation.test_error), ",",
                  ExactDouble(r.evaluation.cost_seconds), ",",
                  ExactDouble(r.cumulative_seconds), ",",
                  ExactDouble(result.incumbent_valid_error[i]), ",",
                  ExactDouble(result.incumbent_test_error[i]));
}

constexpr size_t kChecksumBytes = 16;
// A query's bytes besides its genes and metrics: gene count, fidelity and
// three doubles.
constexpr size_t kQueryFixedBytes = 1 + 2 + 3 * 8;

// Writes little-endian integers and doubles into a buffer sized in advance.
class RecordWriter {
 public:
  explicit RecordWriter(char* out) : out_(out) {}
  void U8(uint8_t v) { *out_++ = static_cast<char>(v); }
  void U16(uint16_t v) { Bytes<2>(v); }
  void U32(uint32_t v) { Bytes<4>(v); }
  void U64(uint64_t v) { Bytes<8>(v); }
  void F64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof(bits));
    U64(bits);
  }
  void Text(absl::string_view text) {
    std::memcpy(out_, text.data(), text.size());
    out_ += text.size();
  }
  char* position() const { return out_; }

 private:
  // Little-endian. A byte-by-byte store through out_ could alias out_
  // itself, which the compiler then reloads after every byte: on a
  // little-endian host, one copy instead.
  template <int kBytes>
  void Bytes(uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    std::memcpy(out_, &v, kBytes);
    out_ += kBytes;
#else
    for (int i = 0; i < kBytes; ++i) *out_++ = static_cast<char>(v >> (8 * i));
#endif
  }
  char* out_;
};

// Reads what RecordWriter wrote; each read fails (false) past the end.
class RecordReader {
 public:
  explicit RecordReader(absl::string_view data) : data_(data) {}
  bool U8(uint8_t* v) { return Bytes(1, v); }
  bool U16(uint16_t* v) { return Bytes(2, v); }
  bool U32(uint32_t* v) { return Bytes(4, v); }
  bool U64(uint64_t* v) { return Bytes(8, v); }
  bool F64(double* v) {
    uint64_t bits;
    if (!U64(&bits)) return false;
    std::memcpy(v, &bits, sizeof(bits));
    return true;
  }
  bool Text(size_t n, absl::string_view* text) {
    if (n > remaining()) return false;
    *text = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  size_t position() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }

 private:
  template <typename T>
  bool Bytes(size_t n, T* v) {
    if (n > remaining()) return false;
    uint64_t value = 0;
    for (size_t i = 0; i < n; ++i) {
      value |= uint64_t{static_cast<unsigned char>(data_[pos_ + i])} << (8 * i);
    }
    pos_ += n;
    *v = static_cast<T>(value);
    return true;
  }
  absl::string_view data_;
  size_t pos_ = 0;
};

}  // namespace

std::string FormatCellRecord(const CellResult& result, int num_fidelities) {
  const std::string failure = result.ok() ? "" : result.failure();
  const size_t num_metrics = result.metric_names.size();
  size_t size = 1 + 4 + 1 + (result.ok() ? 0 : 4 + failure.size()) + 2 + 4 +
                kChecksumBytes;
  for (const std::string& name : result.metric_names) size += 2 + name.size();
  for (const QueryRecord& r : result.records) {
    size += kQueryFixedBytes + r.arch.size() + 8 * num_metrics;
  }
  if (num_fidelities < 1 || num_fidelities > 65536 || num_metrics > 65535 ||
      result.records.size() > UINT32_MAX || failure.size() > UINT32_MAX) {
    InternalError("FormatCellRecord", "a count does not fit its field");
  }
  std::string out(size, '\0');
  RecordWriter w(out.data());
  w.U8(kCellRecordVersion);
  w.U32(static_cast<uint32_t>(num_fidelities - 1));
  w.U8(result.ok() ? 0 : 1);
  if (!result.ok()) {
    w.U32(static_cast<uint32_t>(failure.size()));
    w.Text(failure);
  }
  w.U16(static_cast<uint16_t>(num_metrics));
  for (const std::string& name : result.metric_names) {
    if (name.size() > 65535) InternalError("FormatCellRecord", "metric name");
    w.U16(static_cast<uint16_t>(name.size()));
    w.Text(name);
  }
  w.U32(static_cast<uint32_t>(result.records.size()));
  for (const QueryRecord& r : result.records) {
    if (r.evaluation.metrics.size() < num_metrics || r.fidelity < 0 ||
        r.fidelity >= num_fidelities) {
      InternalError("FormatCellRecord", "a query does not fit its cell");
    }
    w.U8(static_cast<uint8_t>(r.arch.size()));
    const absl::Span<const uint8_t> genes = r.arch.genes();
    w.Text(absl::string_view(reinterpret_cast<const char*>(genes.data()),
                             genes.size()));
    w.U16(static_cast<uint16_t>(r.fidelity));
    w.F64(r.evaluation.valid_error);
    w.F64(r.evaluation.test_error);
    w.F64(r.evaluation.cost_seconds);
    for (size_t m = 0; m < num_metrics; ++m) w.F64(r.evaluation.metrics[m]);
  }
  const size_t body = static_cast<size_t>(w.position() - out.data());
  if (body + kChecksumBytes != size) {
    InternalError("FormatCellRecord", "the record's size was miscounted");
  }
  const XXH128_hash_t hash = XXH3_128bits(out.data(), body);
  w.U64(hash.low64);
  w.U64(hash.high64);
  return out;
}

absl::StatusOr<CellResult> ParseCellRecord(absl::string_view bytes,
                                           const CellId& id,
                                           const std::string& where) {
  auto error = [&](size_t offset, const std::string& what) {
    return absl::DataLossError(absl::StrCat(
        where, ": byte ", offset, " of the record: ", what,
        ". The cell is damaged; rerun the experiment with --overwrite, or "
        "with --resume after removing that record (harness/store.h)."));
  };
  // The checksum first: it vouches for every byte before it.
  if (bytes.size() < 1 + 4 + 1 + 2 + 4 + kChecksumBytes) {
    return error(bytes.size(), absl::StrCat("only ", bytes.size(),
                                            " bytes, too few for a cell "
                                            "record (cut short?)"));
  }
  const size_t body_size = bytes.size() - kChecksumBytes;
  {
    RecordReader tail(bytes.substr(body_size));
    uint64_t low = 0, high = 0;
    tail.U64(&low);
    tail.U64(&high);
    const XXH128_hash_t hash = XXH3_128bits(bytes.data(), body_size);
    if (hash.low64 != low || hash.high64 != high) {
      return error(body_size,
                   "the checksum at the end does not match the bytes before "
                   "it (the record was cut short, extended, edited or "
                   "damaged after it was written)");
    }
  }
  RecordReader in(bytes.substr(0, body_size));
  CellResult cell;
  cell.id = id;
  uint8_t version = 0, failed = 0;
  uint32_t full_fidelity = 0;
  in.U8(&version);
  if (version != kCellRecordVersion) {
    return error(0,
                 absl::StrCat("record format version ", version,
                              ", this nas reads version ", kCellRecordVersion));
  }
  in.U32(&full_fidelity);
  if (full_fidelity > 65535) {
    return error(1, absl::StrCat("full fidelity ", full_fidelity,
                                 " is beyond any fidelity a query can have"));
  }
  in.U8(&failed);
  if (failed > 1) return error(5, "the failure flag is neither 0 nor 1");
  if (failed == 1) {
    uint32_t length = 0;
    absl::string_view message;
    const size_t at = in.position();
    if (!in.U32(&length) || !in.Text(length, &message)) {
      return error(at, "the failure message runs past the record's end");
    }
    if (message.find('\n') != absl::string_view::npos) {
      return error(at, "the failure message spans lines (nas writes one)");
    }
    cell.status = absl::UnknownError(message);
  }
  uint16_t num_metrics = 0;
  if (!in.U16(&num_metrics)) {
    return error(in.position(), "the record ends before its metric count");
  }
  for (int m = 0; m < num_metrics; ++m) {
    uint16_t length = 0;
    absl::string_view name;
    const size_t at = in.position();
    if (!in.U16(&length) || !in.Text(length, &name)) {
      return error(at, "a metric name runs past the record's end");
    }
    cell.metric_names.emplace_back(name);
  }
  uint32_t num_queries = 0;
  const size_t count_at = in.position();
  if (!in.U32(&num_queries)) {
    return error(count_at, "the record ends before its query count");
  }
  // Bounds the allocation below by the record's size, not its claim.
  const size_t min_query_bytes = kQueryFixedBytes + 8 * size_t{num_metrics};
  if (num_queries > in.remaining() / min_query_bytes) {
    return error(count_at, absl::StrCat("the record claims ", num_queries,
                                        " queries but has room for at most ",
                                        in.remaining() / min_query_bytes));
  }
  cell.records.resize(num_queries);
  for (uint32_t q = 0; q < num_queries; ++q) {
    QueryRecord& r = cell.records[q];
    const size_t at = in.position();
    uint8_t num_genes = 0;
    absl::string_view genes;
    uint16_t fidelity = 0;
    in.U8(&num_genes);
    if (num_genes > Architecture::kMaxGenes) {
      return error(at, absl::StrCat("query ", q + 1, " has ", num_genes,
                                    " genes; an architecture has at most ",
                                    Architecture::kMaxGenes));
    }
    bool complete = in.Text(num_genes, &genes) && in.U16(&fidelity) &&
                    in.F64(&r.evaluation.valid_error) &&
                    in.F64(&r.evaluation.test_error) &&
                    in.F64(&r.evaluation.cost_seconds);
    if (complete && num_metrics > 0) {
      r.evaluation.metrics.resize(num_metrics);
      for (double& value : r.evaluation.metrics) {
        complete = complete && in.F64(&value);
      }
    }
    if (!complete) {
      return error(at, absl::StrCat("query ", q + 1, " of ", num_queries,
                                    " runs past the record's end"));
    }
    if (fidelity > full_fidelity) {
      return error(at,
                   absl::StrCat("query ", q + 1, " has fidelity ", fidelity,
                                ", beyond the full fidelity ", full_fidelity));
    }
    r.arch = Architecture(absl::Span<const uint8_t>(
        reinterpret_cast<const uint8_t*>(genes.data()), genes.size()));
    r.fidelity = fidelity;
  }
  if (in.remaining() != 0) {
    return error(in.position(),
                 absl::StrCat(in.remaining(),
                              " bytes after the last query (the query count "
                              "says ",
                              num_queries, ")"));
  }
  ComputeDerivedCurves(static_cast<int>(full_fidelity), &cell);
  return cell;
}

absl::StatusOr<std::string> TidyRecordRows(
    const SearchSpace& space, const CellResult& cell, absl::string_view key,
    const std::vector<std::string>& metrics, const std::string& where) {
  // Where each exported metric is among the cell's (-1: not there).
  std::vector<int> source(metrics.size(), -1);
  for (size_t m = 0; m < metrics.size(); ++m) {
    for (size_t c = 0; c < cell.metric_names.size(); ++c) {
      if (cell.metric_names[c] == metrics[m]) source[m] = static_cast<int>(c);
    }
  }
  std::string rows;
  for (size_t i = 0; i < cell.records.size(); ++i) {
    const QueryRecord& r = cell.records[i];
    // Spaces print only architectures they define.
    if (absl::Status s = space.Validate(r.arch); !s.ok()) {
      return absl::DataLossError(absl::StrCat(
          where, ": query ", i + 1, ": the stored genes ", r.arch.DebugString(),
          " are not an architecture of the space (", s.message(),
          "). The cell is damaged; rerun the experiment with "
          "--overwrite"));
    }
    rows.append(key.data(), key.size());
    AppendQueryColumns(space, cell, i, &rows);
    for (int c : source) {
      rows += ',';
      if (c >= 0) rows += ExactDouble(r.evaluation.metrics[c]);
    }
    rows += '\n';
  }
  return rows;
}

std::string ContentHash(absl::string_view bytes) {
  const XXH128_hash_t hash = XXH3_128bits(bytes.data(), bytes.size());
  return absl::StrFormat("%016x%016x", hash.high64, hash.low64);
}

std::string ExactDouble(double value) {
  if (std::isnan(value)) return "nan";
  char buffer[32];
  auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, ptr);
}

std::string FormatCellFile(const SearchSpace& space, const CellResult& result) {
  std::string out = kHeader;
  for (const std::string& name : result.metric_names) {
    absl::StrAppend(&out, kMetricPrefix, name);
  }
  out += "\n";
  for (size_t i = 0; i < result.records.size(); ++i) {
    const QueryRecord& r = result.records[i];
    AppendQueryColumns(space, result, i, &out);
    for (size_t m = 0; m < result.metric_names.size(); ++m) {
      absl::StrAppend(&out, ",", ExactDouble(r.evaluation.metrics[m]));
    }
    out += "\n";
  }
  if (!result.ok())
    absl::StrAppend(&out, kFailurePrefix, result.failure(), "\n");
  absl::StrAppend(&out, kEndPrefix, result.records.size(), " queries, xxh3-128 ",
                  ContentHash(out), "\n");
  return out;
}

std::string TidyCellsHeader(const std::vector<std::string>& metrics) {
  std::string header = absl::StrCat("benchmark,algorithm,seed,", kHeader);
  for (const std::string& name : metrics) {
    absl::StrAppend(&header, kMetricPrefix, name);
  }
  return header + "\n";
}

std::string TidyCellRows(absl::string_view cell_file, absl::string_view key,
                         const std::vector<std::string>& cell_metrics,
                         const std::vector<std::string>& metrics) {
  // Where each exported metric is among the cell's (-1: not there).
  std::vector<int> source(metrics.size(), -1);
  for (size_t m = 0; m < metrics.size(); ++m) {
    for (size_t c = 0; c < cell_metrics.size(); ++c) {
      if (cell_metrics[c] == metrics[m]) source[m] = static_cast<int>(c);
    }
  }
  std::string rows;
  std::vector<absl::string_view> values(cell_metrics.size());
  bool header = true;
  for (absl::string_view line : absl::StrSplit(cell_file, '\n')) {
    if (header || line.empty() || line[0] == '#') {
      header = false;  // The header, comment lines and the last newline.
      continue;
    }
    // The metrics are the last fields, and numbers (no quotes or commas).
    absl::string_view fixed = line;
    for (size_t c = cell_metrics.size(); c-- > 0;) {
      const size_t comma = fixed.rfind(',');
      values[c] = fixed.substr(comma + 1);
      fixed = fixed.substr(0, comma);
    }
    absl::StrAppend(&rows, key, fixed);
    for (int c : source) {
      absl::StrAppend(&rows, ",", c < 0 ? "" : values[c]);
    }
    rows += "\n";
  }
  return rows;
}

absl::StatusOr<CellResult> ParseCellFile(absl::string_view text,
                                         const CellId& id,
                                         const std::string& where) {
  CellResult cell;
  cell.id = id;
  auto error = [&](int line, const std::string& what) {
    return absl::DataLossError(absl::StrCat(
        where, ":", line, ": ", what,
        ". The cell is damaged; rerun the experiment with --overwrite, or "
        "with --resume after removing that record (harness/store.h)."));
  };
  // The end line first: it vouches for every byte before it.
  if (text.size() < 2 || text.back() != '\n') {
    return error(static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1,
                 "the file does not end with a complete line (cut short?)");
  }
  const size_t end_start = text.rfind('\n', text.size() - 2) + 1;
  const absl::string_view body = text.substr(0, end_start);
  const int end_line_number =
      static_cast<int>(std::count(body.begin(), body.end(), '\n')) + 1;
  absl::string_view end_line = text.substr(end_start);
  end_line.remove_suffix(1);
  int64_t declared_rows = -1;
  std::string declared_hash;
  {
    std::vector<absl::string_view> parts = absl::StrSplit(end_line, ' ');
    if (!absl::ConsumePrefix(&end_line, kEndPrefix) || parts.size() != 6 ||
        parts[3] != "queries," || parts[4] != "xxh3-128" ||
        !absl::SimpleAtoi(parts[2], &declared_rows)) {
      return error(end_line_number,
                   "missing end line '# end: N queries, xxh3-128 HASH' (the "
                   "file was cut short, or written by an older nas)");
    }
    declared_hash = std::string(parts[5]);
  }
  if (ContentHash(body) != declared_hash) {
    return error(end_line_number,
                 "the checksum on the end line does not match the rows above "
                 "it (the file was edited or damaged after it was written)");
  }
  std::vector<absl::string_view> lines = absl::StrSplit(body, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  absl::string_view header = lines.empty() ? "" : lines[0];
  if (!absl::ConsumePrefix(&header, kHeader)) {
    return error(1, "missing or unexpected header");
  }
  if (!header.empty()) {
    for (absl::string_view name : absl::StrSplit(header, kMetricPrefix)) {
      if (name.empty()) continue;  // Before the first prefix.
      cell.metric_names.push_back(std::string(name));
    }
    if (cell.metric_names.empty() || !absl::StartsWith(header, kMetricPrefix)) {
      return error(1, "unexpected header columns after incumbent_test_error");
    }
  }
  const size_t num_fields = 7 + cell.metric_names.size();
  for (size_t n = 1; n < lines.size(); ++n) {
    absl::string_view line = lines[n];
    const int line_number = static_cast<int>(n) + 1;
    if (absl::ConsumePrefix(&line, kFailurePrefix)) {
      if (n + 1 != lines.size()) return error(line_number, "text after failure");
      cell.status = absl::UnknownError(line);
      break;
    }
    // query, then arch (possibly quoted, and not parsed back), then the 7
    // numeric fields and the metrics.
    const size_t first_comma = line.find(',');
    if (first_comma == absl::string_view::npos) {
      return error(line_number, "too few fields");
    }
    int64_t query = 0;
    if (!absl::SimpleAtoi(line.substr(0, first_comma), &query) ||
        query != static_cast<int64_t>(n)) {
      return error(line_number,
                   absl::StrCat("query number '", line.substr(0, first_comma),
                                "' where ", n, " was expected (rows must be "
                                "the queries 1, 2, 3, ... in order)"));
    }
    absl::string_view rest = line.substr(first_comma + 1);
    if (!rest.empty() && rest[0] == '"') {
      size_t i = 1;
      while (i < rest.size()) {
        if (rest[i] == '"') {
          if (i + 1 < rest.size() && rest[i + 1] == '"') {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      if (i >= rest.size()) return error(line_number, "unterminated quote");
      rest = rest.substr(i + 1);
    } else {
      const size_t comma = rest.find(',');
      if (comma == absl::string_view::npos) {
        return error(line_number, "too few fields");
      }
      rest = rest.substr(comma);
    }
    if (!absl::ConsumePrefix(&rest, ",")) {
      return error(line_number, "expected ',' after the architecture");
    }
    // Inline: no allocation per row.
    absl::InlinedVector<absl::string_view, 12> fields;
    size_t start = 0;
    for (size_t i = 0; i <= rest.size(); ++i) {
      if (i == rest.size() || rest[i] == ',') {
        fields.push_back(rest.substr(start, i - start));
        if (fields.size() > num_fields) break;
        start = i + 1;
      }
    }
    if (fields.size() != num_fields) {
      return error(line_number,
                   absl::StrCat("expected ", num_fields,
                                " numeric fields after the architecture"));
    }
    QueryRecord record;
    double incumbent_valid = 0, incumbent_test = 0;
    double* const numbers[6] = {&record.evaluation.valid_error,
                                &record.evaluation.test_error,
                                &record.evaluation.cost_seconds,
                                &record.cumulative_seconds,
                                &incumbent_valid,
                                &incumbent_test};
    bool parsed = absl::SimpleAtoi(fields[0], &record.fidelity);
    for (int f = 0; parsed && f < 6; ++f) {
      parsed = ParseDouble(fields[1 + f], numbers[f]);
    }
    if (!parsed) {
      return error(
          line_number,
          "a fidelity, error, cost or incumbent field is not a number");
    }
    if (!cell.metric_names.empty()) {
      record.evaluation.metrics.resize(cell.metric_names.size());
      for (size_t m = 0; parsed && m < cell.metric_names.size(); ++m) {
        parsed = ParseDouble(fields[7 + m], &record.evaluation.metrics[m]);
      }
      if (!parsed) return error(line_number, "a metric field is not a number");
    }
    cell.cumulative_seconds.push_back(record.cumulative_seconds);
    cell.records.push_back(std::move(record));
    cell.incumbent_valid_error.push_back(incumbent_valid);
    cell.incumbent_test_error.push_back(incumbent_test);
  }
  if (cell.num_queries() != declared_rows) {
    return error(end_line_number,
                 absl::StrCat("the end line counts ", declared_rows,
                              " queries but the file has ",
                              cell.num_queries()));
  }
  return cell;
}

}  // namespace nas
