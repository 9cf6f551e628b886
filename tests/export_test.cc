// `nas export DIR`: the tidy CSV of every stored query (harness/store.h,
// TidyCellsCsv) holds exactly the rows of the cells in the store, keyed by
// benchmark, algorithm and seed; a damaged store exports nothing.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

using ::testing::HasSubstr;
namespace ct = cli_testing;

TEST(ExportTest, OneTidyRowPerStoredQuery) {
  const std::string dir = ct::TempDir() + "/export";
  const ct::Result run =
      ct::Nas(absl::StrCat("run configs/quickstart.textproto --output_dir ",
                           dir, " --filter 'cifar100/.*'"));
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const ct::Result exported = ct::Nas(absl::StrCat("export ", dir));
  ASSERT_EQ(exported.exit_code, 0) << exported.stderr_text;
  std::vector<std::string> lines = absl::StrSplit(exported.stdout_text, '\n');
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "");  // Ends with a newline.
  lines.pop_back();
  EXPECT_EQ(lines[0],
            "benchmark,algorithm,seed,query,arch,fidelity,valid_error,"
            "test_error,cost_seconds,cumulative_seconds,"
            "incumbent_valid_error,incumbent_test_error");
  // Every query of every cell, in cell order, each behind its key (the
  // numbers are pinned byte for byte against schema 4's cell files in
  // harness/cell_file_test.cc and tests/trust_test.cc).
  // 2 algorithms x 100 seeds x 300 queries.
  ASSERT_EQ(lines.size(), 1u + 2 * 100 * 300);
  size_t line = 1;
  for (const char* algorithm : {"local_search", "random_search"}) {
    for (int seed = 0; seed < 100; ++seed) {
      for (int query = 1; query <= 300; ++query, ++line) {
        const std::string key =
            absl::StrCat("cifar100,", algorithm, ",", seed, ",", query, ",");
        ASSERT_EQ(lines[line].substr(0, key.size()), key) << line;
        // NAS-Bench-201 arch strings have no commas: 12 fields.
        EXPECT_EQ(std::count(lines[line].begin(), lines[line].end(), ','), 11)
            << lines[line];
      }
    }
  }
  EXPECT_THAT(lines[1], HasSubstr("cifar100,local_search,0,1,|"));

  // Garbage in the store: refused, nothing printed.
  ct::Spit(dir + "/cells.rec", ct::Slurp(dir + "/cells.rec") + "junk\n");
  const ct::Result damaged = ct::Nas(absl::StrCat("export ", dir));
  EXPECT_EQ(damaged.exit_code, 1);
  EXPECT_EQ(damaged.stdout_text, "");
  EXPECT_THAT(damaged.stderr_text, HasSubstr("where a record should start"));
}

}  // namespace
}  // namespace nas
