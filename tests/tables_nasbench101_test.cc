// NAS-Bench-101's official data format, end to end: the test writes one
// TFRecord file in the published layout (framing with CRCs, JSON records,
// base64 ModelMetrics) for every cell of a small NAS-Bench-101 sub-space,
// three training runs each; the converter turns it into a CSV whose every
// number and architecture reads back exactly, and the generic "table"
// objective serves that CSV on the "nasbench101" space.

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "objectives/table/table.h"
#include "spaces/nasbench101/nasbench101.h"
#include "tests/cli_testing.h"
#include "tools/nasbench101/convert.h"
#include "tools/nasbench101/records.h"

namespace nas {
namespace {

namespace ct = ::nas::cli_testing;
using ::testing::HasSubstr;

constexpr int kRuns = 3;

struct Written {
  Architecture arch;
  nb101::Record record;
};

// Doubles that print badly at low precision: thirds, sums like 0.1 + 0.2,
// and neighbours of round numbers.
double Awkward(int i, int k) {
  const double base = 0.5 + 0.4 / (3.0 + i + 7 * k);
  return (i + k) % 2 ? base : std::nextafter(base, 1.0) + 0.1 + 0.2 - 0.3;
}

std::vector<Written> WriteRecords(const Nasbench101Space& space,
                                  const std::string& path) {
  std::vector<Written> written;
  std::string bytes;
  int i = 0;
  for (const Architecture& arch : space.enumerator()()) {
    const nasbench101::Cell cell = space.PrunedCell(arch);
    std::string adjacency;
    std::vector<std::string> ops;
    for (int from = 0; from < cell.num_vertices; ++from) {
      for (int to = 0; to < cell.num_vertices; ++to) {
        adjacency += cell.HasEdge(from, to) ? '1' : '0';
      }
      ops.push_back(std::string(
          from == 0 ? nasbench101::kInputName
          : from == cell.num_vertices - 1
              ? nasbench101::kOutputName
              : nasbench101::kOpNames[cell.ops[from]]));
    }
    for (int run = 0; run < kRuns; ++run, ++i) {
      nb101::Record record;
      record.module_hash = space.ModuleHash(arch);
      record.epochs = 108;
      record.adjacency = adjacency;
      record.ops = absl::StrJoin(ops, ",");
      record.metrics.set_trainable_parameters(100000 + 37 * i);
      record.metrics.set_total_time(3000 + Awkward(i, 9));
      for (int k = 0; k < 3; ++k) {
        nb101::EvaluationData* data = record.metrics.add_evaluation_data();
        data->set_current_epoch(54.0 * k);
        data->set_training_time(k == 0 ? 0 : 1000 * k + Awkward(i, k));
        data->set_train_accuracy(Awkward(i, k + 3));
        data->set_validation_accuracy(Awkward(i, k + 4));
        data->set_test_accuracy(Awkward(i, k + 5));
        data->set_checkpoint_path(absl::StrCat("gs://run/", i, "/", k));
      }
      bytes += nb101::FrameTfRecord(nb101::RecordToJson(record));
      written.push_back({arch, std::move(record)});
    }
  }
  ct::Spit(path, bytes);
  return written;
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, 8) == 0; }

std::shared_ptr<const Nasbench101Space> SmallSpace() {
  Nasbench101SpaceParams params;
  params.set_max_vertices(4);
  return std::shared_ptr<const Nasbench101Space>(
      *Nasbench101Space::New(params));
}

TEST(TablesNasbench101Test, ConverterRoundTripsEveryRecordExactly) {
  const auto space = SmallSpace();
  const std::string dir = ct::TempDir() + "/nb101";
  const std::vector<Written> written =
      WriteRecords(*space, dir + "/only108.tfrecord");
  ASSERT_EQ(written.size(), kRuns * static_cast<size_t>(space->Size()));
  const std::string csv_path = dir + "/nb101.csv";
  ASSERT_TRUE(nb101::ConvertFile(dir + "/only108.tfrecord", csv_path, *space)
                  .ok());

  const std::vector<std::string> lines =
      absl::StrSplit(ct::Slurp(csv_path), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), written.size() + 1);
  EXPECT_EQ(lines[0], nb101::kCsvHeader);
  for (size_t r = 0; r < written.size(); ++r) {
    SCOPED_TRACE(lines[r + 1]);
    const std::vector<std::string> f = absl::StrSplit(lines[r + 1], ',');
    ASSERT_EQ(f.size(), 13u);
    const nb101::Record& record = written[r].record;
    auto arch = space->Parse(f[0]);
    ASSERT_TRUE(arch.ok());
    EXPECT_EQ(*arch, written[r].arch);
    EXPECT_EQ(f[1], record.module_hash);
    EXPECT_EQ(f[2], "108");
    EXPECT_EQ(f[3], absl::StrCat(r % kRuns + 1));
    EXPECT_EQ(f[4], absl::StrCat(record.metrics.trainable_parameters()));
    const nb101::EvaluationData& end = record.metrics.evaluation_data(2);
    const nb101::EvaluationData& half = record.metrics.evaluation_data(1);
    const double expected[] = {end.training_time(),  end.train_accuracy(),
                               end.validation_accuracy(), end.test_accuracy(),
                               half.training_time(), half.validation_accuracy(),
                               half.test_accuracy(), record.metrics.total_time()};
    for (int c = 0; c < 8; ++c) {
      double value;
      ASSERT_TRUE(absl::SimpleAtod(f[5 + c], &value));
      EXPECT_TRUE(SameBits(value, expected[c]))
          << "column " << 5 + c << ": " << f[5 + c];
    }
  }

  // The command-line tool writes the same file, and never over an existing
  // one.
  const std::string tool = "tools/nasbench101/nasbench101_convert";
  const std::string again = dir + "/again.csv";
  ASSERT_EQ(std::system(absl::StrCat(tool, " ", dir, "/only108.tfrecord ",
                                     again, " --max_vertices=4")
                            .c_str()),
            0);
  EXPECT_EQ(ct::Slurp(again), ct::Slurp(csv_path));
  EXPECT_NE(std::system(absl::StrCat(tool, " ", dir, "/only108.tfrecord ",
                                     again, " --max_vertices=4 2>/dev/null")
                            .c_str()),
            0);

  // The generic objective reads it: mean of the three runs, in percent.
  TableObjectiveParams params;
  params.add_table("nb101.csv");
  params.set_architecture("{architecture}");
  params.mutable_valid()->set_column("validation_accuracy");
  params.mutable_valid()->set_kind(TableMetric::ACCURACY_FRACTION);
  params.mutable_test()->set_column("test_accuracy");
  params.mutable_test()->set_kind(TableMetric::ACCURACY_FRACTION);
  params.add_cost()->set_column("training_time");
  params.set_repeats(TableObjectiveParams::MEAN);
  auto objective = TableObjective::New(space, params, {dir});
  ASSERT_TRUE(objective.ok()) << objective.status();
  const Written& first = written[0];
  double valid = 0, cost = 0;
  for (int run = 0; run < kRuns; ++run) {
    const auto& end = written[run].record.metrics.evaluation_data(2);
    valid += 100 * (1 - end.validation_accuracy());
    cost += end.training_time();
  }
  const Evaluation e = (*objective)->Evaluate(first.arch, 0, nullptr);
  EXPECT_DOUBLE_EQ(e.valid_error, valid / kRuns);
  EXPECT_DOUBLE_EQ(e.cost_seconds, cost / kRuns);
}

TEST(TablesNasbench101Test, CorruptedRecordsAreRefusedAndNothingWritten) {
  const auto space = SmallSpace();
  const std::string dir = ct::TempDir() + "/nb101_bad";
  WriteRecords(*space, dir + "/good.tfrecord");
  std::string bytes = ct::Slurp(dir + "/good.tfrecord");
  bytes[bytes.size() / 2] ^= 0x20;
  ct::Spit(dir + "/bad.tfrecord", bytes);
  const absl::Status status =
      nb101::ConvertFile(dir + "/bad.tfrecord", dir + "/out.csv", *space);
  EXPECT_THAT(std::string(status.message()), HasSubstr("CRC does not match"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.csv"));

  // A record whose hash is not its cell's.
  nb101::Record record;
  record.module_hash = "0123456789abcdef0123456789abcdef";
  record.epochs = 108;
  record.adjacency = "0100";
  record.ops = "input,output";
  record.metrics.add_evaluation_data();
  auto csv = nb101::ConvertRecords({nb101::RecordToJson(record)}, *space);
  EXPECT_THAT(std::string(csv.status().message()),
              HasSubstr("record 1: module hash 0123456789abcdef0123456789abcdef "
                        "is not the hash of its cell"));
}

}  // namespace
}  // namespace nas
