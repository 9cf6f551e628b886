#include "tools/nasbench101/convert.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tools/nasbench101/records.h"

namespace nas {
namespace nb101 {

absl::StatusOr<std::string> ConvertRecords(
    const std::vector<std::string>& payloads, const Nasbench101Space& space) {
  std::string csv = absl::StrCat(kCsvHeader, "\n");
  absl::flat_hash_map<std::string, int> runs;
  for (size_t i = 0; i < payloads.size(); ++i) {
    const std::string where = absl::StrCat("record ", i + 1);
    auto record = ParseRecord(payloads[i]);
    if (!record.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": ", record.status().message(),
          ". Is this nasbench_only108.tfrecord (or nasbench_full.tfrecord)?"));
    }
    const std::string cell_text =
        absl::StrCat("adj=", record->adjacency, " ops=",
                     absl::StrReplaceAll(record->ops, {{",", "|"}}));
    auto cell = nasbench101::ParseCell(cell_text);
    if (!cell.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, " (", record->module_hash, "): bad cell ", cell_text, ": ",
          cell.status().message()));
    }
    auto pruned = nasbench101::Prune(*cell);
    if (!pruned.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, " (", record->module_hash, "): ", pruned.status().message()));
    }
    const std::string hash = nasbench101::ModuleHash(*pruned);
    if (hash != record->module_hash) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": module hash ", record->module_hash,
          " is not the hash of its cell (", hash,
          "); the record is corrupted"));
    }
    auto arch = space.Parse(cell_text);
    if (!arch.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, " (", record->module_hash, "): the cell is not in the "
          "space (", arch.status().message(), "); convert with a larger "
          "--max_vertices"));
    }
    const std::string architecture = space.ToString(*arch);
    const int repeat = ++runs[absl::StrCat(architecture, "@", record->epochs)];
    absl::StrAppend(&csv, CsvRow(*record, architecture, repeat), "\n");
  }
  return csv;
}

absl::Status ConvertFile(const std::string& input, const std::string& output,
                         const Nasbench101Space& space) {
  if (::access(output.c_str(), F_OK) == 0) {
    return absl::AlreadyExistsError(absl::StrCat(
        "'", output, "' exists; remove it or choose another output path"));
  }
  auto payloads = ReadTfRecords(input);
  if (!payloads.ok()) return payloads.status();
  auto csv = ConvertRecords(*payloads, space);
  if (!csv.ok()) {
    return absl::Status(csv.status().code(),
                        absl::StrCat(input, ": ", csv.status().message()));
  }
  const std::string temporary = absl::StrCat(output, ".partial");
  {
    std::ofstream out(temporary, std::ios::binary);
    out << *csv;
    out.flush();
    if (!out) {
      std::remove(temporary.c_str());
      return absl::UnavailableError(absl::StrCat(
          "cannot write '", temporary, "': ", std::strerror(errno)));
    }
  }
  if (std::rename(temporary.c_str(), output.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot rename into '", output, "': ", reason));
  }
  return absl::OkStatus();
}

}  // namespace nb101
}  // namespace nas
