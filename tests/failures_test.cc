// A plugin bug that fails every cell reads as one problem: the first few
// failures as they happen, then one grouped summary with a count; the exit
// code and the leaderboard say how many cells failed.

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(FailuresTest, AlikeFailuresAreGroupedAndCounted) {
  const std::string dir = cli_testing::TempDir();
  const std::string config = dir + "/failing.textproto";
  cli_testing::Spit(config, R"pb(
num_seeds: 40
budget { queries: 20 }
benchmark {
  name: "cifar100"
  space { name: "nasbench201" }
  objective {
    name: "nasbench201"
    params { [type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "cifar100" } }
  }
}
algorithm { plugin: "random_search" }
algorithm { plugin: "fails_after_five_queries" label: "buggy" }
)pb");
  const std::string out = dir + "/out";
  const std::string command = absl::StrCat(
      "tests/nas_with_failing_algorithm --data_dir=", TestDataDir(), " run ",
      config, " --output_dir ", out, " --threads 2 >", dir, "/stdout 2>", dir,
      "/stderr");
  const int status = std::system(command.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 3);
  const std::string err = cli_testing::Slurp(dir + "/stderr");
  // 40 failures, but only the first three printed one by one.
  std::vector<std::string> lines = absl::StrSplit(err, '\n');
  int failure_lines = 0;
  for (const std::string& line : lines) {
    if (line.rfind("nas: cell failed: ", 0) == 0) ++failure_lines;
  }
  EXPECT_EQ(failure_lines, 3) << err;
  EXPECT_THAT(err, HasSubstr("further failures like this one are counted"));
  EXPECT_THAT(err, HasSubstr("nas: 40 cells failed, in 1 group of alike "
                             "errors:\n  40 x cifar100/buggy seed "));
  EXPECT_THAT(err, HasSubstr(", ...\n      index "));
  EXPECT_THAT(err, HasSubstr("out of range in the population"));
  const std::string leaderboard = cli_testing::Slurp(out + "/leaderboard.md");
  EXPECT_THAT(leaderboard, HasSubstr("40 failed"));
  // The report over the same cells says so too, with the same exit code.
  const int report = std::system(absl::StrCat(
      "tests/nas_with_failing_algorithm report ", out, " >/dev/null 2>", dir,
      "/report_err").c_str());
  EXPECT_EQ(WEXITSTATUS(report), 3);
  EXPECT_THAT(cli_testing::Slurp(dir + "/report_err"),
              HasSubstr("40 of 80 cells in " + out + " failed"));
}

}  // namespace
}  // namespace nas
