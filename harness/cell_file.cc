#include "harness/cell_file.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
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

}  // namespace

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
    absl::StrAppend(&out, i + 1, ",", CsvField(space.ToString(r.arch)), ",",
                    r.fidelity, ",", ExactDouble(r.evaluation.valid_error), ",",
                    ExactDouble(r.evaluation.test_error), ",",
                    ExactDouble(r.evaluation.cost_seconds), ",",
                    ExactDouble(r.cumulative_seconds), ",",
                    ExactDouble(result.incumbent_valid_error[i]), ",",
                    ExactDouble(result.incumbent_test_error[i]));
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
