#include "tools/nasbench101/records.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nas {
namespace nb101 {
namespace {

using ::testing::HasSubstr;

// The check value of CRC-32C (RFC 3720, appendix B.4).
TEST(RecordsTest, Crc32cMatchesTheStandardCheckValue) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);
}

std::string WriteFile(const std::string& name, const std::string& bytes) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(RecordsTest, FramesReadBackAndDamageIsLocated) {
  const std::string two = FrameTfRecord("first") + FrameTfRecord("second");
  auto records = ReadTfRecords(WriteFile("two.tfrecord", two));
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(*records, (std::vector<std::string>{"first", "second"}));

  std::string flipped = two;
  flipped[14] ^= 1;  // Inside "first".
  EXPECT_THAT(
      std::string(ReadTfRecords(WriteFile("flip.tfrecord", flipped))
                      .status()
                      .message()),
      HasSubstr("record 1 at byte 0: the payload's CRC does not match"));
  const std::string cut = two.substr(0, two.size() - 3);
  EXPECT_THAT(std::string(ReadTfRecords(WriteFile("cut.tfrecord", cut))
                              .status()
                              .message()),
              HasSubstr("record 2 at byte 21"));
}

TEST(RecordsTest, RecordJsonRoundTrips) {
  Record record;
  record.module_hash = "00005c142e6f48ac74fdcf73e3439874";
  record.epochs = 108;
  record.adjacency = "011000000";
  record.ops = "input,conv3x3-bn-relu,output";
  record.metrics.set_trainable_parameters(12345);
  record.metrics.set_total_time(1.0 / 3);
  auto* data = record.metrics.add_evaluation_data();
  data->set_validation_accuracy(0.1 + 0.2);
  auto parsed = ParseRecord(RecordToJson(record));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->module_hash, record.module_hash);
  EXPECT_EQ(parsed->epochs, 108);
  EXPECT_EQ(parsed->ops, record.ops);
  EXPECT_EQ(parsed->metrics.SerializeAsString(),
            record.metrics.SerializeAsString());
  EXPECT_FALSE(ParseRecord("[1, 2]").ok());
  EXPECT_THAT(std::string(ParseRecord("[\"h\", 108, \"0\", \"input\", \"@@\"]")
                              .status()
                              .message()),
              HasSubstr("base64"));
}

}  // namespace
}  // namespace nb101
}  // namespace nas
