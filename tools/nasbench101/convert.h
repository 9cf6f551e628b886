#ifndef NASBENCH_TOOLS_NASBENCH101_CONVERT_H_
#define NASBENCH_TOOLS_NASBENCH101_CONVERT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "spaces/nasbench101/nasbench101.h"

namespace nas {
namespace nb101 {

// The CSV (header and one row per record, in file order) of the records'
// payloads. Each record's cell is checked: it parses, its pruned graph has
// the record's module hash, and it lies in `space`. Errors name the record
// (1-based) and what to do.
absl::StatusOr<std::string> ConvertRecords(
    const std::vector<std::string>& payloads, const Nasbench101Space& space);

// Reads `input` (TFRecord), converts, and writes `output` atomically (a
// temporary file renamed into place), refusing to replace an existing file.
absl::Status ConvertFile(const std::string& input, const std::string& output,
                         const Nasbench101Space& space);

}  // namespace nb101
}  // namespace nas

#endif  // NASBENCH_TOOLS_NASBENCH101_CONVERT_H_
