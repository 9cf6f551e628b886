#ifndef NASBENCH_TOOLS_NASBENCH101_RECORDS_H_
#define NASBENCH_TOOLS_NASBENCH101_RECORDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/nasbench101/model_metrics.pb.h"

namespace nas {
namespace nb101 {

// CRC-32C (Castagnoli) and TFRecord's masking of it.
uint32_t Crc32c(absl::string_view data);
uint32_t MaskedCrc32c(absl::string_view data);

// TFRecord framing: per record, uint64 length (little-endian), masked CRC
// of those 8 bytes, the payload, masked CRC of the payload. Reading checks
// both CRCs and says at which byte offset a file is truncated or corrupted.
absl::StatusOr<std::vector<std::string>> ReadTfRecords(
    const std::string& path);
std::string FrameTfRecord(absl::string_view payload);

// One record of nasbench_only108.tfrecord: the JSON array
// [module_hash, epochs, adjacency (row-major '0'/'1' string), ops
// (comma-separated), base64 ModelMetrics].
struct Record {
  std::string module_hash;
  int epochs = 0;
  std::string adjacency;
  std::string ops;
  ModelMetrics metrics;
};
absl::StatusOr<Record> ParseRecord(absl::string_view json);
// The inverse, in the published layout (tests write records with it).
std::string RecordToJson(const Record& record);

// The CSV the generic "table" objective reads (docs/your-own-benchmark.md):
// one row per training run, keyed by the "nasbench101" space's string.
extern const char kCsvHeader[];
// `architecture` is the space's canonical string; `repeat` counts the
// architecture's runs from 1 in file order.
std::string CsvRow(const Record& record, const std::string& architecture,
                   int repeat);

}  // namespace nb101
}  // namespace nas

#endif  // NASBENCH_TOOLS_NASBENCH101_RECORDS_H_
