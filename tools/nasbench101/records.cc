#include "tools/nasbench101/records.h"

#include <array>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace nas {
namespace nb101 {
namespace {

// Reflected CRC-32C polynomial.
constexpr uint32_t kCastagnoli = 0x82F63B78u;
// TFRecord rotates the CRC and adds this, so that a CRC of data that itself
// holds CRCs is not trivially zero.
constexpr uint32_t kMaskDelta = 0xA282EAD8u;

const std::array<uint32_t, 256>& CrcTable() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kCastagnoli : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

uint64_t LittleEndian64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

uint32_t LittleEndian32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

void PutLittleEndian(uint64_t v, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

std::string Exact(double v) { return absl::StrFormat("%.17g", v); }

}  // namespace

uint32_t Crc32c(absl::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) {
    crc = CrcTable()[(crc ^ byte) & 0xFF] ^ (crc >> 8);
  }
  return crc ^ 0xFFFFFFFFu;
}

uint32_t MaskedCrc32c(absl::string_view data) {
  const uint32_t crc = Crc32c(data);
  return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}

std::string FrameTfRecord(absl::string_view payload) {
  std::string length;
  PutLittleEndian(payload.size(), 8, &length);
  std::string out = length;
  PutLittleEndian(MaskedCrc32c(length), 4, &out);
  out.append(payload.data(), payload.size());
  PutLittleEndian(MaskedCrc32c(payload), 4, &out);
  return out;
}

absl::StatusOr<std::vector<std::string>> ReadTfRecords(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        "cannot open '", path, "' (", std::strerror(errno),
        "); give the path of nasbench_only108.tfrecord (from the "
        "NAS-Bench-101 release, google-research/nasbench)"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string bytes = buffer.str();
  std::vector<std::string> records;
  size_t at = 0;
  while (at < bytes.size()) {
    const std::string where =
        absl::StrCat(path, ": record ", records.size() + 1, " at byte ", at);
    if (bytes.size() - at < 12) {
      return absl::DataLossError(absl::StrCat(
          where, ": the file ends inside a record header; it is truncated, "
          "download it again"));
    }
    const uint64_t length = LittleEndian64(&bytes[at]);
    if (MaskedCrc32c(absl::string_view(&bytes[at], 8)) !=
        LittleEndian32(&bytes[at + 8])) {
      return absl::DataLossError(absl::StrCat(
          where, ": the length's CRC does not match; this is not a TFRecord "
          "file or it is corrupted"));
    }
    if (length > bytes.size() - at - 12 || bytes.size() - at - 12 - length < 4) {
      return absl::DataLossError(absl::StrCat(
          where, ": the record claims ", length, " bytes but the file ends "
          "first; it is truncated, download it again"));
    }
    const absl::string_view payload(&bytes[at + 12], length);
    if (MaskedCrc32c(payload) != LittleEndian32(&bytes[at + 12 + length])) {
      return absl::DataLossError(absl::StrCat(
          where, ": the payload's CRC does not match; the file is corrupted, "
          "download it again"));
    }
    records.emplace_back(payload);
    at += 12 + length + 4;
  }
  return records;
}

absl::StatusOr<Record> ParseRecord(absl::string_view json) {
  google::protobuf::ListValue list;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      std::string(json), &list);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a JSON array: ", std::string(parsed.message())));
  }
  const auto& v = list.values();
  if (v.size() != 5 || !v[0].has_string_value() || !v[1].has_number_value() ||
      !v[2].has_string_value() || !v[3].has_string_value() ||
      !v[4].has_string_value()) {
    return absl::InvalidArgumentError(
        "expected [module_hash, epochs, adjacency, ops, base64 metrics] "
        "(strings, a number, strings)");
  }
  Record record;
  record.module_hash = v[0].string_value();
  record.epochs = static_cast<int>(v[1].number_value());
  record.adjacency = v[2].string_value();
  record.ops = v[3].string_value();
  std::string raw;
  if (!absl::Base64Unescape(v[4].string_value(), &raw)) {
    return absl::InvalidArgumentError("the metrics are not valid base64");
  }
  if (!record.metrics.ParseFromString(raw)) {
    return absl::InvalidArgumentError(
        "the metrics are not a ModelMetrics protobuf");
  }
  if (record.metrics.evaluation_data_size() == 0) {
    return absl::InvalidArgumentError("the metrics hold no checkpoint");
  }
  return record;
}

std::string RecordToJson(const Record& record) {
  std::string metrics;
  record.metrics.SerializeToString(&metrics);
  return absl::StrCat("[\"", record.module_hash, "\", ", record.epochs, ", \"",
                      record.adjacency, "\", \"", record.ops, "\", \"",
                      absl::Base64Escape(metrics), "\"]");
}

const char kCsvHeader[] =
    "architecture,module_hash,epochs,repeat,trainable_parameters,"
    "training_time,train_accuracy,validation_accuracy,test_accuracy,"
    "halfway_training_time,halfway_validation_accuracy,halfway_test_accuracy,"
    "total_time";

std::string CsvRow(const Record& record, const std::string& architecture,
                   int repeat) {
  const ModelMetrics& m = record.metrics;
  const EvaluationData& final_data =
      m.evaluation_data(m.evaluation_data_size() - 1);
  // The published runs checkpoint at 0, half-way and the end.
  std::string halfway = ",,";
  if (m.evaluation_data_size() == 3) {
    const EvaluationData& h = m.evaluation_data(1);
    halfway = absl::StrCat(Exact(h.training_time()), ",",
                           Exact(h.validation_accuracy()), ",",
                           Exact(h.test_accuracy()));
  }
  return absl::StrCat(architecture, ",", record.module_hash, ",",
                      record.epochs, ",", repeat, ",",
                      m.trainable_parameters(), ",",
                      Exact(final_data.training_time()), ",",
                      Exact(final_data.train_accuracy()), ",",
                      Exact(final_data.validation_accuracy()), ",",
                      Exact(final_data.test_accuracy()), ",", halfway, ",",
                      Exact(m.total_time()));
}

}  // namespace nb101
}  // namespace nas
