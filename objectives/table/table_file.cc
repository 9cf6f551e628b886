#include "objectives/table/table_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace nas {
namespace {

constexpr char kSchemaHint[] =
    " The schema is in docs/your-own-benchmark.md.";

// Splits one line into fields at commas, recording where each field
// starts (1-based), RFC 4180 style: a field that starts with a quote runs to
// the next lone quote, with "" standing for a quote inside it, so values may
// hold commas (`nas tabulate` quotes DARTS genotypes). A quote anywhere
// else, or a quoted field left open, is an error at its position.
absl::Status SplitFields(absl::string_view path, int line_number,
                         absl::string_view text,
                         std::vector<std::string>* fields,
                         std::vector<int>* starts) {
  auto error_at = [&](size_t position, absl::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", line_number, ":", position + 1, ": ", what));
  };
  size_t pos = 0;
  while (true) {
    starts->push_back(static_cast<int>(pos) + 1);
    std::string field;
    if (pos < text.size() && text[pos] == '"') {
      const size_t open = pos++;
      while (true) {
        if (pos >= text.size()) {
          return error_at(
              open,
              "a quoted field that is not closed on its line; close it with "
              "a quote (a field may not span lines).");
        }
        if (text[pos] == '"') {
          if (pos + 1 < text.size() && text[pos + 1] == '"') {
            field += '"';
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        field += text[pos++];
      }
      if (pos < text.size() && text[pos] != ',') {
        return error_at(
            pos,
            "text after the closing quote of a quoted field; a quoted field "
            "ends at a comma or at the end of the line (write a quote inside "
            "it as two quotes, \"\").");
      }
    } else {
      const size_t comma = std::min(text.find(',', pos), text.size());
      field = std::string(text.substr(pos, comma - pos));
      if (const size_t quote = field.find('"'); quote != std::string::npos) {
        return error_at(
            pos + quote,
            "a quote character inside an unquoted field. Remove the quote, "
            "or quote the whole field (\"...\") and double the quotes in it.");
      }
      pos = comma;
    }
    fields->push_back(std::move(field));
    if (pos >= text.size()) return absl::OkStatus();
    ++pos;  // The comma.
  }
}

}  // namespace

absl::StatusOr<TableFile> TableFile::Read(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "table '", path, "' is a directory; name the CSV file inside it "
        "(relative to the data directory)."));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        "cannot open table '", path, "' (", std::strerror(errno),
        "). Table paths are relative to the data directory; point --data_dir "
        "(or $NAS_DATA_DIR, or data_dir in the config) at the folder that "
        "holds it, or fix the path in the objective's `table`."));
  }
  TableFile file;
  file.path_ = path;
  std::vector<int> header_starts;
  std::string line;
  int line_number = 0;
  bool seen_blank = false;
  int blank_line = 0;
  while (std::getline(in, line)) {
    ++line_number;
    absl::string_view text = absl::StripSuffix(line, "\r");
    if (line_number == 1) {
      std::vector<std::string> names;
      if (absl::Status split =
              SplitFields(path, line_number, text, &names, &header_starts);
          !split.ok()) {
        return split;
      }
      absl::flat_hash_map<std::string, int> seen;
      for (size_t c = 0; c < names.size(); ++c) {
        if (names[c].empty()) {
          return absl::InvalidArgumentError(absl::StrCat(
              path, ":1:", header_starts[c], ": header field ", c + 1,
              " is empty; give every column a name (the first line is the "
              "header).",
              kSchemaHint));
        }
        auto [it, inserted] = seen.emplace(names[c], static_cast<int>(c));
        if (!inserted) {
          return absl::InvalidArgumentError(absl::StrCat(
              path, ":1:", header_starts[c], ": column name '", names[c],
              "' appears twice (fields ", it->second + 1, " and ", c + 1,
              "); rename one so that every column is named once."));
        }
      }
      file.header_ = std::move(names);
      continue;
    }
    if (text.empty()) {
      if (!seen_blank) blank_line = line_number;
      seen_blank = true;
      continue;
    }
    if (seen_blank) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", blank_line, ":1: a blank line inside the table; delete "
          "it (only trailing blank lines are allowed)."));
    }
    Row row;
    row.line = line_number;
    if (absl::Status split =
            SplitFields(path, line_number, text, &row.fields, &row.starts);
        !split.ok()) {
      return split;
    }
    const size_t width = file.header_.size();
    if (row.fields.size() > width) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_number, ":", row.starts[width] - 1, ": ",
          row.fields.size(), " fields where the header has ", width,
          "; the row has a comma too many from here (a value with a comma, "
          "or a stray trailing comma). Remove it or add the column to the "
          "header."));
    }
    if (row.fields.size() < width) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_number, ":", text.size() + 1, ": ",
          row.fields.size(), " fields where the header has ", width,
          "; column '", file.header_[row.fields.size()],
          "' and those after it are missing. Complete the row (an empty "
          "value still needs its comma)."));
    }
    file.rows_.push_back(std::move(row));
  }
  if (line_number == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":1:1: the file is empty; a table needs a header line and at "
        "least one data row.",
        kSchemaHint));
  }
  if (file.rows_.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":2:1: the table has a header but no data rows; add one row "
        "per architecture (and fidelity, and repeat).",
        kSchemaHint));
  }
  return file;
}

absl::StatusOr<int> TableFile::Column(absl::string_view name,
                                      absl::string_view purpose) const {
  for (int i = 0; i < static_cast<int>(header_.size()); ++i) {
    if (header_[i] == name) return i;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      path_, ":1:1: no column '", name, "' (", purpose,
      ") in the header; its columns are: ", absl::StrJoin(header_, ", "),
      ". Fix the column name in the config or add the column to the file."));
}

std::string TableFile::Where(int row, int column) const {
  return absl::StrCat(path_, ":", rows_[row].line, ":",
                      rows_[row].starts[column], " (column '", header_[column],
                      "')");
}

std::string TableFile::WhereRow(int row) const {
  return absl::StrCat(path_, ":", rows_[row].line);
}

absl::StatusOr<double> TableFile::Number(int row, int column) const {
  const std::string& cell = Cell(row, column);
  double value;
  if (!absl::SimpleAtod(cell, &value) || !std::isfinite(value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        Where(row, column), ": '", cell,
        "' is not a finite number. Write a plain decimal number (e.g. 93.5 "
        "or 0.935); missing measurements need their row removed, not an "
        "empty or NaN cell."));
  }
  return value;
}

}  // namespace nas
