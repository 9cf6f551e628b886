// `nas tabulate` on the trained smoke recipe (configs/trained/smoke.textproto:
// 5 sampled NAS-Bench-201 and DARTS cells, 1 epoch on 300 Fashion-MNIST
// images): a shard first, then the whole table, which trains only what the
// shard did not (the cache makes a killed or sharded tabulate resumable),
// then again: nothing trained, the same bytes.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "objectives/trained/data.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

using cli_testing::Nas;
using cli_testing::Result;
using cli_testing::Slurp;
using cli_testing::TempDir;

// Runs nas from TEST_TMPDIR, so the config's relative cache_dir lands
// there: Nas() puts its prefix before the binary's relative path.
Result NasFromTmp(const std::string& args) {
  const std::string here = std::filesystem::current_path().string();
  return Nas(absl::StrCat(args, " --data_dir=", here, "/external/shared_data"),
             absl::StrCat("cd ", TempDir(), " && ", here, "/"));
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(TabulateTrained, ShardThenWholeThenAgainTrainsEachArchitectureOnce) {
  if (!std::filesystem::exists(
          absl::StrCat(kFashionMnistDefaultDir, "/train-images-idx3-ubyte.gz"))) {
    GTEST_SKIP() << "*** Fashion-MNIST is not installed (apt-get install "
                    "dataset-fashion-mnist) ***";
  }
  const std::string config =
      absl::StrCat(std::filesystem::current_path().string(),
                   "/configs/trained/smoke.textproto");
  // Shard 0 of 2: architectures 0-1 of 5 per benchmark.
  const Result shard = NasFromTmp(
      absl::StrCat("tabulate ", config, " --output_dir shard0 --shard 0/2"));
  ASSERT_EQ(shard.exit_code, 0) << shard.stderr_text;
  EXPECT_EQ(Count(shard.stderr_text, "trained: #"), 4) << shard.stderr_text;
  EXPECT_TRUE(absl::StrContains(shard.stderr_text, "ETA")) << shard.stderr_text;

  const Result whole = NasFromTmp(
      absl::StrCat("tabulate ", config, " --output_dir whole --threads 2"));
  ASSERT_EQ(whole.exit_code, 0) << whole.stderr_text;
  EXPECT_EQ(Count(whole.stderr_text, "trained: #"), 6) << whole.stderr_text;
  EXPECT_EQ(Count(whole.stderr_text, "trained: cache hit"), 4) << whole.stderr_text;

  const Result again = NasFromTmp(
      absl::StrCat("tabulate ", config, " --output_dir again --threads 1"));
  ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
  EXPECT_EQ(Count(again.stderr_text, "trained: #"), 0) << again.stderr_text;
  EXPECT_EQ(Count(again.stderr_text, "trained: cache hit"), 10) << again.stderr_text;

  for (const char* benchmark : {"nb201-fmnist-tiny", "darts-fmnist-tiny"}) {
    const std::string table =
        Slurp(absl::StrCat(TempDir(), "/whole/", benchmark, ".csv"));
    EXPECT_EQ(table,
              Slurp(absl::StrCat(TempDir(), "/again/", benchmark, ".csv")));
    const std::vector<std::string> lines =
        absl::StrSplit(table, '\n', absl::SkipEmpty());
    ASSERT_EQ(lines.size(), 6u) << table;  // Header, 5 architectures x 1 epoch.
    EXPECT_EQ(lines[0],
              "architecture,fidelity,valid_error,test_error,cost_seconds");
    for (size_t i = 1; i < lines.size(); ++i) {
      // The architecture (quoted when it holds commas, as DARTS genotypes
      // do), then four numbers.
      std::vector<std::string> f = absl::StrSplit(lines[i], ',');
      ASSERT_GE(f.size(), 5u) << lines[i];
      if (f.size() > 5) {
        EXPECT_EQ(lines[i][0], '"') << lines[i];
        EXPECT_TRUE(absl::StrContains(lines[i], "\","));
      }
      f.erase(f.begin(), f.end() - 4);
      EXPECT_EQ(f[0], "1") << lines[i];  // One epoch.
      EXPECT_GT(std::stod(f[3]), 0) << "a real training takes time";
    }
    // The shard's rows are the first rows of the whole table.
    const std::string part =
        Slurp(absl::StrCat(TempDir(), "/shard0/", benchmark, ".csv"));
    EXPECT_TRUE(absl::StartsWith(table, part)) << part << "\nvs\n" << table;
    EXPECT_EQ(Count(part, "\n"), 3);
  }
}

}  // namespace
}  // namespace nas
