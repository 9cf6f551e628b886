// Malformed tables, one kind per case, each given to `nas run` through the
// generic "table" objective: each must be refused before anything is
// written, with the file, the line and the column (character position and
// header name) and a fix in the message.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

namespace ct = ::nas::cli_testing;
using ::testing::HasSubstr;

constexpr char kGood[] =
    "op,width,val_acc,test_acc,seconds\n"
    "conv,1,90.5,89.1,10\n"
    "pool,1,85.0,84.2,12\n"
    "skip,2,70.25,70.0,8\n";

// The experiment, with VALID standing for the validation column's name.
constexpr char kGeneConfig[] = R"pb(
num_seeds: 2
budget { queries: 2 }
benchmark {
  name: "bad"
  space {
    name: "table"
    params {
      [type.googleapis.com/nas.TableSpaceParams] {
        gene { column: "op" value: ["conv", "pool", "skip"] }
        gene { column: "width" }
      }
    }
  }
  objective {
    name: "table"
    params {
      [type.googleapis.com/nas.TableObjectiveParams] {
        table: "bad.csv"
        valid { column: "VALID" kind: ACCURACY_PERCENT }
        test { column: "test_acc" kind: ACCURACY_PERCENT }
        cost { column: "seconds" }
      }
    }
  }
}
algorithm { plugin: "random_search" }
)pb";

constexpr char kArchitectureConfig[] = R"pb(
num_seeds: 2
budget { queries: 2 }
benchmark {
  name: "bad"
  space { name: "nasbench201" }
  objective {
    name: "table"
    params {
      [type.googleapis.com/nas.TableObjectiveParams] {
        table: "bad.csv"
        architecture: "{arch}"
        valid { column: "VALID" kind: ERROR_PERCENT }
      }
    }
  }
}
algorithm { plugin: "random_search" }
)pb";

struct BadTable {
  std::string kind;
  std::string csv;
  std::string where;  // "bad.csv:LINE:COLUMN", with " (column 'x')" if any.
  std::string what;
  std::string fix;
  std::string valid_column = "val_acc";
  const char* config = kGeneConfig;
};

void PrintTo(const BadTable& bad, std::ostream* os) { *os << bad.kind; }

// kGood with its line `line` (1-based) replaced.
std::string WithLine(int line, const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(kGood, '\n');
  lines[line - 1] = text;
  return absl::StrJoin(lines, "\n");
}

std::vector<BadTable> Cases() {
  return {
      {"duplicate_key", WithLine(3, "conv,1,88.0,87.0,9"),
       "bad.csv:3:1 (column 'op')",
       "architecture conv|1 has a second row for the validation metric",
       "Remove the duplicate, or set repeats: MEAN"},
      {"missing_gene", WithLine(3, "pool,,85.0,84.2,12"),
       "bad.csv:3:6 (column 'width')", "the gene is missing",
       "Fill it in or delete the row"},
      {"non_numeric_metric", WithLine(3, "pool,1,abc,84.2,12"),
       "bad.csv:3:8 (column 'val_acc')", "'abc' is not a finite number",
       "Write a plain decimal number"},
      {"nan_metric", WithLine(4, "skip,2,nan,70.0,8"),
       "bad.csv:4:8 (column 'val_acc')", "'nan' is not a finite number",
       "need their row removed"},
      {"row_too_wide", WithLine(3, "pool,1,85.0,84.2,12,7"), "bad.csv:3:20",
       "6 fields where the header has 5", "Remove it or add the column"},
      {"row_too_narrow", WithLine(3, "pool,1,85.0,84.2"), "bad.csv:3:17",
       "4 fields where the header has 5; column 'seconds'", "Complete the row"},
      {"missing_metric_column", kGood, "bad.csv:1:1",
       "no column 'val_accuracy' (a metric of fidelity 'full')",
       "Fix the column name in the config", "val_accuracy"},
      {"undeclared_gene_value", WithLine(3, "none,1,85.0,84.2,12"),
       "bad.csv:3:1 (column 'op')", "'none' is not a declared value",
       "add the value to the space's gene"},
      {"accuracy_out_of_range", WithLine(3, "pool,1,150,84.2,12"),
       "bad.csv:3:8 (column 'val_acc')", "150 is outside [0, 100]",
       "declare the right kind"},
      {"negative_cost", WithLine(3, "pool,1,85.0,84.2,-3"),
       "bad.csv:3:18 (column 'seconds')", "-3 is negative",
       "Fix the value, or drop the column from `cost`"},
      {"stray_quote", WithLine(3, "pool,1\"x,85.0,84.2,12"), "bad.csv:3:7",
       "a quote character inside an unquoted field", "Remove the quote"},
      {"unclosed_quote", WithLine(3, "pool,\"1,85.0,84.2,12"), "bad.csv:3:6",
       "a quoted field that is not closed on its line",
       "close it with a quote"},
      {"header_only", "op,width,val_acc,test_acc,seconds\n", "bad.csv:2:1",
       "the table has a header but no data rows", "add one row"},
      {"empty_file", "", "bad.csv:1:1", "the file is empty",
       "needs a header line"},
      {"repeated_header_name", WithLine(1, "op,width,val_acc,val_acc,seconds"),
       "bad.csv:1:18", "column name 'val_acc' appears twice", "rename one"},
      {"blank_line_inside", WithLine(3, ""), "bad.csv:3:1",
       "a blank line inside the table", "delete it"},
      {"separator_in_gene_value", WithLine(3, "pool,1|2,85.0,84.2,12"),
       "bad.csv:3:6 (column 'width')", "contains '|'", "rename the value"},
      {"unparsable_architecture",
       "arch,err\n|bogus~0|+|none~0|none~1|+|none~0|none~1|none~2|,5\n",
       "bad.csv:2:1 (column 'arch')",
       "is not an architecture of space 'nasbench201'",
       "Fix the row, or the objective's `architecture` template", "err",
       kArchitectureConfig},
  };
}

class TablesBadTest : public ::testing::TestWithParam<BadTable> {};

TEST_P(TablesBadTest, RefusedWithFileLineColumnAndFixAndNothingWritten) {
  const BadTable& bad = GetParam();
  const std::string dir = absl::StrCat(ct::TempDir(), "/", bad.kind);
  ct::Spit(dir + "/data/bad.csv", bad.csv);
  const std::string config = dir + "/config.textproto";
  ct::Spit(config,
           absl::StrReplaceAll(bad.config, {{"VALID", bad.valid_column}}));
  const std::string out = dir + "/out";
  const ct::Result result = ct::Nas(absl::StrCat(
      "run ", config, " --output_dir ", out, " --data_dir ", dir, "/data"));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.stderr_text, HasSubstr(absl::StrCat(
                                      dir, "/data/", bad.where, ": ")));
  EXPECT_THAT(result.stderr_text, HasSubstr(bad.what));
  EXPECT_THAT(result.stderr_text, HasSubstr(bad.fix));
  EXPECT_FALSE(std::filesystem::exists(out)) << "output written";
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, TablesBadTest, ::testing::ValuesIn(Cases()),
    [](const ::testing::TestParamInfo<BadTable>& info) {
      return info.param.kind;
    });

TEST(TablesBadTest, AtLeastTenKinds) { EXPECT_GE(Cases().size(), 10u); }

}  // namespace
}  // namespace nas
