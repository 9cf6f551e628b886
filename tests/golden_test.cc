// The golden experiment's summary must match the checked-in file exactly.

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/test_data.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(GoldenTest, SummaryMatchesTheCheckedInFile) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/golden";
  const std::string command = absl::StrCat(
      "harness/nas run tests/golden/golden.textproto --data_dir=",
      TestDataDir(), " --output_dir ", dir, " >/dev/null 2>", dir, ".log");
  ASSERT_EQ(WEXITSTATUS(std::system(command.c_str())), 0)
      << Slurp(dir + ".log");
  const std::string expected = Slurp("tests/golden/golden_summary.csv");
  const std::string actual = Slurp(dir + "/summary.csv");
  ASSERT_FALSE(expected.empty());
  if (actual == expected) return;
  // Name the first differing line: that is the result that changed.
  const std::vector<std::string> want = absl::StrSplit(expected, '\n');
  const std::vector<std::string> got = absl::StrSplit(actual, '\n');
  for (size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    const std::string w = i < want.size() ? want[i] : "(missing)";
    const std::string g = i < got.size() ? got[i] : "(missing)";
    if (w != g) {
      FAIL() << "golden summary differs at line " << i + 1 << "\n  expected: "
             << w << "\n  actual:   " << g
             << "\nIf the change is intended, regenerate the file as "
                "tests/golden/golden.textproto explains.";
    }
  }
}

}  // namespace
}  // namespace nas
