#include "objectives/common/csv_table.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

std::string WriteFile(const std::string& name, const std::string& contents) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::ofstream(path) << contents;
  return path;
}

TEST(CsvTableTest, ReadsHeaderRowsAndNumbers) {
  const std::string path = WriteFile("ok.csv", "a,b\n1,2.5\r\n3,4\n\n");
  auto table = CsvTable::Read(path, "");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->num_rows(), 2);
  EXPECT_EQ(*table->Column("b"), 1);
  EXPECT_DOUBLE_EQ(*table->Double(0, 1), 2.5);
  EXPECT_EQ(*table->Int(1, 0), 3);
}

TEST(CsvTableTest, MissingFileNamesPathAndHint) {
  auto table = CsvTable::Read("/no/such/file.csv", "Get it from X.");
  ASSERT_FALSE(table.ok());
  EXPECT_TRUE(absl::IsNotFound(table.status()));
  EXPECT_NE(table.status().message().find("/no/such/file.csv"), std::string::npos);
  EXPECT_NE(table.status().message().find("Get it from X."), std::string::npos);
}

TEST(CsvTableTest, MalformedRowNamesFileAndLine) {
  const std::string path = WriteFile("short.csv", "a,b\n1,2\n3\n");
  auto table = CsvTable::Read(path, "");
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.status().message().find("short.csv:3"), std::string::npos)
      << table.status();
}

// The error Read() gives for `contents`, which must not parse.
std::string ReadError(const std::string& name, const std::string& contents) {
  auto table = CsvTable::Read(WriteFile(name, contents), "");
  return table.ok() ? "(parsed)" : std::string(table.status().message());
}

TEST(CsvTableTest, FirstBadLineIsReportedWhateverItsFault) {
  // The quote is found up front, but a short line before it is the error.
  EXPECT_NE(ReadError("order.csv", "a,b\n1,2\n3\n\"4\",5\n")
                .find("order.csv:3: expected 2"),
            std::string::npos);
  EXPECT_NE(ReadError("quoted_row.csv", "a,b\n1,2\n\"3\",4\n")
                .find("quoted_row.csv:3: quoted"),
            std::string::npos);
}

TEST(CsvTableTest, LongRowsSplitLikeShortOnes) {
  // Fields on both sides of the 16-byte blocks the splitter reads, empty
  // fields, and a CRLF line end on a long row.
  std::string header, row, expected_last;
  for (int c = 0; c < 23; ++c) {
    absl::StrAppend(&header, c ? "," : "", "col", c);
    const std::string field = c % 5 == 0 ? "" : std::string(c, 'x');
    absl::StrAppend(&row, c ? "," : "", field);
    expected_last = field;
  }
  const std::string path =
      WriteFile("long.csv", header + "\n" + row + "\r\n" + row + "\n");
  auto table = CsvTable::Read(path, "");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->num_rows(), 2);
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 23; ++c) {
      EXPECT_EQ(table->Cell(r, c), c % 5 == 0 ? "" : std::string(c, 'x'))
          << "row " << r << " column " << c;
    }
  }
}

// Found by //tests/fuzz:csv_table_fuzzer (its corpus keeps the input as
// crash-quoted-header): the header skipped the data rows' quote check.
TEST(CsvTableTest, QuotedHeaderIsRefusedWithItsLine) {
  const std::string path = WriteFile("quoted.csv", "0\",2\n");
  auto table = CsvTable::Read(path, "");
  ASSERT_FALSE(table.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(table.status()));
  EXPECT_NE(table.status().message().find("quoted.csv:1: quoted fields"),
            std::string::npos)
      << table.status();
}

TEST(CsvTableTest, NonNumericCellNamesRowAndColumn) {
  const std::string path = WriteFile("nan.csv", "a,b\n1,x\n");
  auto table = CsvTable::Read(path, "");
  ASSERT_TRUE(table.ok());
  auto value = table->Double(0, 1);
  ASSERT_FALSE(value.ok());
  EXPECT_NE(value.status().message().find("nan.csv:2: column 'b'"),
            std::string::npos)
      << value.status();
  EXPECT_NE(value.status().message().find("The file is corrupted; fetch it "
                                          "again."),
            std::string::npos)
      << value.status();
  auto integer = table->Int(0, 1);
  ASSERT_FALSE(integer.ok());
  EXPECT_NE(integer.status().message().find("nan.csv:2: column 'b': 'x' is "
                                            "not an integer. The file is "
                                            "corrupted; fetch it again."),
            std::string::npos)
      << integer.status();
}

TEST(CsvTableTest, UnknownColumnListsHeader) {
  const std::string path = WriteFile("h.csv", "alpha,beta\n1,2\n");
  auto table = CsvTable::Read(path, "");
  ASSERT_TRUE(table.ok());
  auto column = table->Column("gamma");
  ASSERT_FALSE(column.ok());
  EXPECT_NE(column.status().message().find("alpha, beta"), std::string::npos);
}

// Fields are views into the table's buffer: they must survive moves and
// copies of the table, including a file small enough for a short string.
TEST(CsvTableTest, FieldsSurviveCopiesAndMoves) {
  const std::string path = WriteFile("tiny.csv", "a\n1\n");
  auto table = CsvTable::Read(path, "");
  ASSERT_TRUE(table.ok()) << table.status();
  CsvTable moved = *std::move(table);
  const CsvTable copy = moved;
  moved = CsvTable();
  EXPECT_EQ(copy.Cell(0, 0), "1");
  EXPECT_EQ(*copy.Int(0, 0), 1);
}

TEST(CsvTableTest, ReadSharedParsesOnceAndRereadsAChangedFile) {
  const std::string path = WriteFile("shared.csv", "a,b\n1,2\n");
  auto first = CsvTable::ReadShared(path, "");
  auto second = CsvTable::ReadShared(path, "");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->get(), second->get());
  // A different size is a different file, whatever the clock's resolution.
  WriteFile("shared.csv", "a,b\n1,2\n3,4\n");
  auto changed = CsvTable::ReadShared(path, "");
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ((*changed)->num_rows(), 2);
  EXPECT_EQ((*first)->num_rows(), 1);  // Held copies stay valid.
  EXPECT_FALSE(CsvTable::ReadShared("/no/such/file.csv", "").ok());
}

TEST(CsvTableTest, ConcurrentReadSharedCallsShareOneTable) {
  const std::string path = WriteFile("concurrent.csv", "a,b\n1,2\n3,4\n");
  std::vector<std::shared_ptr<const CsvTable>> tables(4);
  std::vector<std::thread> threads;
  for (auto& table : tables) {
    threads.emplace_back([&path, &table] {
      auto read = CsvTable::ReadShared(path, "");
      if (read.ok()) table = *read;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& table : tables) {
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table.get(), tables[0].get());  // Read once, not once each.
  }
}

TEST(CsvTableTest, FindSharedGivesTheBytesReadAndNothingForAChangedFile) {
  const std::string contents = "a,b\n1,2\r\n";
  const std::string path = WriteFile("find.csv", contents);
  EXPECT_EQ(CsvTable::FindShared(path), nullptr);  // Never read: no read.
  auto read = CsvTable::ReadShared(path, "");
  ASSERT_TRUE(read.ok()) << read.status();
  const std::shared_ptr<const CsvTable> found = CsvTable::FindShared(path);
  ASSERT_EQ(found.get(), read->get());
  EXPECT_EQ(found->bytes(), contents);
  WriteFile("find.csv", "a,b\n1,2\n3,4\n");
  EXPECT_EQ(CsvTable::FindShared(path), nullptr);  // Stale bytes: none.
}

}  // namespace
}  // namespace nas
