// configs/trained/smoke.textproto through the real `nas` binary, twice: the
// second run trains nothing (every evaluation a cache hit, shown on stderr)
// and writes byte-identical results.

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

using cli_testing::Slurp;
using cli_testing::TempDir;
using cli_testing::Tree;

struct NasRun {
  int exit_code;
  std::string err;
};

// Runs from TEST_TMPDIR, so the config's relative cache_dir lands there.
NasRun NasFromTmp(const std::string& args, int n) {
  const std::string here = std::filesystem::current_path().string();
  const std::string err = absl::StrCat(TempDir(), "/smoke_err", n);
  const std::string command = absl::StrCat(
      "cd ", TempDir(), " && ", here, "/harness/nas --data_dir=", here,
      "/external/shared_data ", args, " >/dev/null 2>", err);
  const int status = std::system(command.c_str());
  return {WEXITSTATUS(status), Slurp(err)};
}

TEST(TrainedSmoke, SecondRunIsAllCacheHitsAndIdentical) {
  if (!std::filesystem::exists(
          "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")) {
    std::fprintf(stderr,
                 "\n*** SKIPPED: Fashion-MNIST is not installed "
                 "(apt-get install dataset-fashion-mnist) ***\n\n");
    GTEST_SKIP() << "Fashion-MNIST missing";
  }
  const std::string config = absl::StrCat(
      std::filesystem::current_path().string(),
      "/configs/trained/smoke.textproto");
  const NasRun first = NasFromTmp(
      absl::StrCat("run ", config, " --threads 2 --output_dir first"), 1);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("trained: #1 "), std::string::npos) << first.err;
  const NasRun second = NasFromTmp(
      absl::StrCat("run ", config, " --threads 1 --output_dir second"), 2);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.err.find("trained: #"), std::string::npos)
      << "the second run trained something:\n" << second.err;
  EXPECT_NE(second.err.find("trained: cache hit"), std::string::npos)
      << second.err;
  EXPECT_NE(second.err.find(" 0 trained (0.0 s)"), std::string::npos)
      << second.err;
  EXPECT_EQ(Tree(absl::StrCat(TempDir(), "/first")),
            Tree(absl::StrCat(TempDir(), "/second")));
}

}  // namespace
}  // namespace nas
