#include "harness/cell_file.h"

#include <cmath>
#include <string>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spaces/darts/darts.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

CellResult MakeResult(const SearchSpace& space, int n) {
  CellResult result;
  Rng rng(1);
  double cumulative = 0;
  for (int i = 0; i < n; ++i) {
    QueryRecord r;
    r.arch = space.Sample(rng);
    r.fidelity = i % 2;
    r.evaluation.valid_error = 100 * rng.UniformDouble();
    r.evaluation.test_error = 1.0 / 3.0 + i;  // Not exactly representable.
    r.evaluation.cost_seconds = 0.1 * i;
    cumulative += r.evaluation.cost_seconds;
    r.cumulative_seconds = cumulative;
    result.records.push_back(r);
    result.incumbent_valid_error.push_back(
        i == 0 ? std::numeric_limits<double>::quiet_NaN() : 5.0 / 7.0);
    result.incumbent_test_error.push_back(
        i == 0 ? std::numeric_limits<double>::quiet_NaN() : 1e-300 * i);
  }
  return result;
}

TEST(CellFileTest, NumbersRoundTripBitForBit) {
  auto space = *Nasbench201Space::New();
  const CellResult result = MakeResult(*space, 50);
  const std::string text = FormatCellFile(*space, result);
  auto cell = ParseCellFile(text, {1, 2, 3}, "x.csv");
  ASSERT_TRUE(cell.ok()) << cell.status();
  EXPECT_TRUE(cell->ok());
  EXPECT_EQ(cell->id.algorithm, 2);
  ASSERT_EQ(cell->num_queries(), 50);
  for (int i = 0; i < 50; ++i) {
    const QueryRecord& r = result.records[i];
    EXPECT_EQ(cell->records[i].cumulative_seconds, r.cumulative_seconds);
    if (i == 0) {
      EXPECT_TRUE(std::isnan(cell->incumbent_test_error[i]));
    } else {
      EXPECT_EQ(cell->incumbent_test_error[i], 1e-300 * i);
      EXPECT_EQ(cell->incumbent_valid_error[i], 5.0 / 7.0);
    }
  }
}

void ExpectSameValues(const std::vector<double>& a,
                      const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i])) {
      EXPECT_TRUE(std::isnan(b[i])) << i;
    } else {
      EXPECT_EQ(a[i], b[i]) << i;
    }
  }
}

// Everything a cell file stores is read back bit for bit: all but the
// architectures, the proxy-score count and the failure's status code.
void ExpectSameStoredValues(const CellResult& fresh, const CellResult& read) {
  EXPECT_EQ(fresh.ok(), read.ok());
  EXPECT_EQ(fresh.failure(), read.failure());
  EXPECT_EQ(fresh.metric_names, read.metric_names);
  ASSERT_EQ(fresh.records.size(), read.records.size());
  std::vector<double> fresh_values, read_values;
  for (const CellResult* cell : {&fresh, &read}) {
    std::vector<double>& values = cell == &fresh ? fresh_values : read_values;
    for (const QueryRecord& r : cell->records) {
      values.insert(values.end(),
                    {static_cast<double>(r.fidelity), r.evaluation.valid_error,
                     r.evaluation.test_error, r.evaluation.cost_seconds,
                     r.cumulative_seconds});
      values.insert(values.end(), r.evaluation.metrics.begin(),
                    r.evaluation.metrics.end());
    }
  }
  ExpectSameValues(fresh_values, read_values);
  ExpectSameValues(fresh.incumbent_valid_error, read.incumbent_valid_error);
  ExpectSameValues(fresh.incumbent_test_error, read.incumbent_test_error);
}

// A multi-fidelity cell with metrics and NaNs, its derived numbers
// computed as the runner computes them.
CellResult MakeRunnerResult(const SearchSpace& space, int n) {
  CellResult result = MakeResult(space, n);
  result.metric_names = {"params", "energy"};
  for (size_t i = 0; i < result.records.size(); ++i) {
    result.records[i].evaluation.metrics = {1e6 / 3 + i, -0.1 * i};
  }
  result.records[3].evaluation.valid_error =
      std::numeric_limits<double>::quiet_NaN();
  ComputeDerivedCurves(/*full_fidelity=*/1, &result);
  return result;
}

TEST(CellRecordTest, EverythingRoundTripsBitForBit) {
  auto space = *Nasbench201Space::New();
  const CellResult result = MakeRunnerResult(*space, 50);
  const std::string record = FormatCellRecord(result, /*num_fidelities=*/2);
  // 12 bytes of header, 2 metric names, 50 queries of 6 genes, a checksum.
  EXPECT_EQ(record.size(),
            12u + (2 + 6) + (2 + 6) + 50 * (1 + 6 + 2 + 3 * 8 + 2 * 8) + 16);
  auto cell = ParseCellRecord(record, {1, 2, 3}, "x.rec");
  ASSERT_TRUE(cell.ok()) << cell.status();
  EXPECT_EQ(cell->id.algorithm, 2);
  ExpectSameStoredValues(result, *cell);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(cell->records[i].arch, result.records[i].arch) << i;
  }
  EXPECT_EQ(FormatCellRecord(*cell, 2), record);
}

TEST(CellRecordTest, FailedCellKeepsItsQueriesAndMessage) {
  auto space = *Nasbench201Space::New();
  CellResult result = MakeRunnerResult(*space, 4);
  result.status =
      absl::InvalidArgumentError("queried an invalid\narchitecture");
  auto cell = ParseCellRecord(FormatCellRecord(result, 2), {}, "f.rec");
  ASSERT_TRUE(cell.ok()) << cell.status();
  EXPECT_FALSE(cell->ok());
  EXPECT_EQ(cell->failure(), "queried an invalid architecture");
  ExpectSameStoredValues(result, *cell);
}

// Every prefix and every single-byte change is refused as DataLoss, with
// where and the byte offset.
TEST(CellRecordTest, EveryCutOrFlippedByteIsRefused) {
  auto space = *Nasbench201Space::New();
  const std::string record = FormatCellRecord(MakeRunnerResult(*space, 5), 2);
  for (size_t keep = 0; keep < record.size(); ++keep) {
    const absl::Status status =
        ParseCellRecord(record.substr(0, keep), {}, "c.rec").status();
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << keep;
    EXPECT_THAT(std::string(status.message()), HasSubstr("c.rec: byte "));
  }
  for (size_t at = 0; at < record.size(); ++at) {
    std::string damaged = record;
    damaged[at] ^= 1;
    EXPECT_EQ(ParseCellRecord(damaged, {}, "c.rec").status().code(),
              absl::StatusCode::kDataLoss)
        << at;
  }
}

// The export of a record prints what schema 4's cell file held, byte for
// byte (DARTS genotypes quoted, metrics placed by name).
TEST(CellRecordTest, TidyRowsEqualSchema4s) {
  auto nb201 = *Nasbench201Space::New();
  auto darts = *DartsSpace::New();
  for (const SearchSpace* space :
       {static_cast<const SearchSpace*>(nb201.get()),
        static_cast<const SearchSpace*>(darts.get())}) {
    const CellResult result = MakeRunnerResult(*space, 20);
    const std::vector<std::string> metrics = {"energy", "latency", "params"};
    auto cell = ParseCellRecord(FormatCellRecord(result, 2), {}, "t.rec");
    ASSERT_TRUE(cell.ok()) << cell.status();
    absl::StatusOr<std::string> rows =
        TidyRecordRows(*space, *cell, "b,a,7,", metrics, "t.rec");
    ASSERT_TRUE(rows.ok()) << rows.status();
    EXPECT_EQ(*rows, TidyCellRows(FormatCellFile(*space, result), "b,a,7,",
                                  result.metric_names, metrics));
  }
}

TEST(CellFileTest, InMemoryCellEqualsTheParsedFile) {
  auto space = *Nasbench201Space::New();
  CellResult result = MakeResult(*space, 40);
  result.status = absl::InternalError("two\nlines");
  auto parsed = ParseCellFile(FormatCellFile(*space, result), {}, "p.csv");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->failure(), "two lines");
  ExpectSameStoredValues(result, *parsed);
}

// Cells of a benchmark with a `multiobjective` block carry every metric,
// read back bit for bit with the per-query errors and fidelities.
TEST(CellFileTest, MetricColumnsRoundTrip) {
  auto space = *Nasbench201Space::New();
  CellResult result = MakeResult(*space, 30);
  result.metric_names = {"params", "energy"};
  for (size_t i = 0; i < result.records.size(); ++i) {
    result.records[i].evaluation.metrics = {1e6 / 3 + i, -0.1 * i};
  }
  const std::string text = FormatCellFile(*space, result);
  EXPECT_THAT(text, HasSubstr("incumbent_test_error,metric_params,"
                              "metric_energy\n"));
  auto parsed = ParseCellFile(text, {}, "m.csv");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ExpectSameStoredValues(result, *parsed);
  ASSERT_EQ(parsed->records.size(), 30u);
  EXPECT_EQ(parsed->records[7].evaluation.metrics,
            (std::vector<double>{1e6 / 3 + 7, -0.1 * 7}));
  // A row missing a metric value is refused.
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  lines[3] = lines[3].substr(0, lines[3].rfind(','));
  lines.pop_back();  // After the last newline.
  lines.pop_back();  // The end line: resealed below.
  std::string body = absl::StrCat(absl::StrJoin(lines, "\n"), "\n");
  body += absl::StrCat("# end: 30 queries, xxh3-128 ", ContentHash(body), "\n");
  EXPECT_THAT(std::string(ParseCellFile(body, {}, "m.csv").status().message()),
              HasSubstr("m.csv:4: expected 9 numeric fields"));
}

// The tidy export puts each metric in its column of the union, empty where a
// cell lacks it, and keeps the other fields as stored.
TEST(CellFileTest, TidyRowsPlaceMetricsByName) {
  auto space = *Nasbench201Space::New();
  CellResult result = MakeResult(*space, 3);
  result.metric_names = {"params", "energy"};
  for (size_t i = 0; i < result.records.size(); ++i) {
    result.records[i].evaluation.metrics = {100.0 + i, 0.5 * i};
  }
  const std::string text = FormatCellFile(*space, result);
  const std::vector<std::string> metrics = {"energy", "latency", "params"};
  EXPECT_EQ(TidyCellsHeader(metrics),
            "benchmark,algorithm,seed,query,arch,fidelity,valid_error,"
            "test_error,cost_seconds,cumulative_seconds,incumbent_valid_error,"
            "incumbent_test_error,metric_energy,metric_latency,"
            "metric_params\n");
  const std::string rows =
      TidyCellRows(text, "b,a,7,", result.metric_names, metrics);
  std::vector<std::string> lines = absl::StrSplit(rows, '\n');
  ASSERT_EQ(lines.size(), 4u);  // 3 rows and the final newline.
  const std::vector<std::string> file_lines = absl::StrSplit(text, '\n');
  const std::string stored = file_lines[3];  // Query 3, as stored.
  EXPECT_EQ(lines[2],
            absl::StrCat("b,a,7,", stored.substr(0, stored.rfind(",102,")),
                         ",1,,102"));
}

TEST(CellFileTest, QuotesArchitecturesWithCommas) {
  auto space = *DartsSpace::New();
  const CellResult result = MakeResult(*space, 3);
  const std::string text = FormatCellFile(*space, result);
  EXPECT_THAT(text, HasSubstr(",\"Genotype(normal=[("));
  auto cell = ParseCellFile(text, {0, 0, 0}, "d.csv");
  ASSERT_TRUE(cell.ok()) << cell.status();
  EXPECT_EQ(cell->num_queries(), 3);
  EXPECT_EQ(cell->records[2].cumulative_seconds,
            result.records[2].cumulative_seconds);
}

TEST(CellFileTest, FailedCellKeepsItsQueriesAndMessage) {
  auto space = *Nasbench201Space::New();
  CellResult result = MakeResult(*space, 4);
  result.status = absl::InvalidArgumentError("queried an invalid\narchitecture");
  auto cell = ParseCellFile(FormatCellFile(*space, result), {}, "f.csv");
  ASSERT_TRUE(cell.ok()) << cell.status();
  EXPECT_FALSE(cell->ok());
  EXPECT_EQ(cell->failure(), "queried an invalid architecture");
  EXPECT_EQ(cell->num_queries(), 4);
}

TEST(CellFileTest, DamageIsReportedWithFileAndLine) {
  auto space = *Nasbench201Space::New();
  std::string text = FormatCellFile(*space, MakeResult(*space, 3));
  text.replace(text.find(",", text.find("\n3,")), 1, ";");  // Line 4.
  auto cell = ParseCellFile(text, {}, "cells/x/y/seed_0.csv");
  ASSERT_FALSE(cell.ok());
  // The end line (line 5) no longer vouches for the rows above it.
  EXPECT_THAT(std::string(cell.status().message()),
              HasSubstr("cells/x/y/seed_0.csv:5: the checksum"));
  EXPECT_THAT(std::string(cell.status().message()), HasSubstr("--resume"));
  EXPECT_FALSE(ParseCellFile("garbage\n", {}, "g.csv").ok());
  EXPECT_FALSE(ParseCellFile("", {}, "g.csv").ok());
  EXPECT_FALSE(ParseCellFile("\n", {}, "g.csv").ok());
}

// Replaces the end line of a cell file with one that matches `body`, as a
// careful forger would: the row checks must then catch what is wrong.
std::string Reseal(const std::string& body, int rows) {
  return absl::StrCat(body, "# end: ", rows, " queries, xxh3-128 ",
                      ContentHash(body), "\n");
}

std::string Body(const std::string& text) {
  return text.substr(0, text.rfind("# end: "));
}

TEST(CellFileTest, TruncatedExtendedOrEditedCellsAreRefused) {
  auto space = *Nasbench201Space::New();
  const std::string text = FormatCellFile(*space, MakeResult(*space, 5));
  ASSERT_TRUE(ParseCellFile(text, {}, "c.csv").ok());
  const std::string body = Body(text);
  const std::vector<absl::string_view> lines = absl::StrSplit(body, '\n');

  // Cut after the third row (the end line is gone).
  const std::string cut = absl::StrCat(absl::StrJoin(lines.begin(),
                                                     lines.begin() + 4, "\n"),
                                       "\n");
  EXPECT_THAT(std::string(ParseCellFile(cut, {}, "c.csv").status().message()),
              HasSubstr("missing end line"));
  // A row appended after the end line.
  EXPECT_THAT(std::string(ParseCellFile(absl::StrCat(text, lines[5], "\n"), {},
                                        "c.csv")
                              .status()
                              .message()),
              HasSubstr("missing end line"));
  // A number edited.
  std::string edited = text;
  char& digit = edited[edited.find('\n', edited.find("\n2,") + 1) - 1];
  digit = digit == '1' ? '2' : '1';  // Last digit of row 2.
  EXPECT_THAT(
      std::string(ParseCellFile(edited, {}, "c.csv").status().message()),
      HasSubstr("checksum"));
  // Resealed after dropping a row: the query column has a gap.
  std::string gap;
  for (size_t i = 0; i < lines.size() - 1; ++i) {
    if (i != 2) absl::StrAppend(&gap, lines[i], "\n");
  }
  EXPECT_THAT(std::string(ParseCellFile(Reseal(gap, 4), {}, "c.csv")
                              .status()
                              .message()),
              HasSubstr("c.csv:3: query number '3' where 2 was expected"));
  // Resealed with a wrong row count.
  EXPECT_THAT(std::string(ParseCellFile(Reseal(body, 7), {}, "c.csv")
                              .status()
                              .message()),
              HasSubstr("counts 7 queries but the file has 5"));
}

TEST(CellFileTest, IncumbentLookupsByQueriesAndSeconds) {
  CellResult cell;
  cell.incumbent_test_error = {std::nan(""), 5, 4, 4};
  cell.incumbent_valid_error = {std::nan(""), 6, 5, 5};
  cell.cumulative_seconds = {10, 20, 30, 40};
  EXPECT_TRUE(std::isnan(cell.TestErrorAt(1)));
  EXPECT_EQ(cell.TestErrorAt(2), 5);
  EXPECT_EQ(cell.TestErrorAt(100), 4);  // Stopped early: last value.
  EXPECT_TRUE(std::isnan(cell.TestErrorAtSeconds(5)));
  EXPECT_EQ(cell.TestErrorAtSeconds(25), 5);
  EXPECT_EQ(cell.TestErrorAtSeconds(30), 4);
}

TEST(CellFileTest, ExactDoubleRoundTrips) {
  Rng rng(3);
  for (int i = 0; i < 10000; ++i) {
    const double x = (rng.UniformDouble() - 0.5) * std::pow(10.0, i % 40 - 20);
    EXPECT_EQ(std::stod(ExactDouble(x)), x);
  }
}

TEST(CellFileTest, ExactDoubleIsShortest) {
  EXPECT_EQ(ExactDouble(0.1), "0.1");
  EXPECT_EQ(ExactDouble(100 - 90.76933332438152), "9.23066667561848");
  EXPECT_EQ(ExactDouble(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(ExactDouble(std::nan("")), "nan");
}

}  // namespace
}  // namespace nas
