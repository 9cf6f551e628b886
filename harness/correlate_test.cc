#include "harness/correlate.h"

#include <filesystem>
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

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

class CorrelateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::testing::TempDir() + "/correlate_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
    Write(root_ + "/experiment.textproto", R"(
      name: "t" seed: 0 num_seeds: 1 budget { queries: 10 }
      benchmark {
        name: "cifar10-valid"
        space { name: "nasbench201" }
        objective {
          name: "nasbench201"
          params { [type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "cifar10-valid" } }
        }
      }
      algorithm { plugin: "random_search" }
    )");
  }
  // A config of params on 60 architectures and synflow on 12 small
  // networks, scored into `cache`.
  std::string Config(const std::string& cache, const std::string& extra = "") {
    const std::string path = root_ + "/correlate.textproto";
    Write(path, absl::StrCat(R"(
      experiment: "experiment.textproto"
      cache_dir: ")", cache, R"("
      bootstrap_resamples: 50
      proxy { name: "params" sample: 60 }
      proxy { name: "synflow" sample: 12 settings { channels: 4 cells: 1 } }
    )", extra));
    return path;
  }
  absl::Status Run(const std::string& config, const std::string& out,
                   int threads, bool overwrite = false) {
    CorrelateOptions options;
    options.output_dir = out;
    options.data_dir = TestDataDir();
    options.threads = threads;
    options.overwrite = overwrite;
    return RunCorrelateCommand(config, options);
  }
  std::string root_;
};

TEST_F(CorrelateTest, WritesTablesPlotsAndReportIdenticallyForAnyThreadCount) {
  const std::string a = root_ + "/a", b = root_ + "/b";
  ASSERT_TRUE(Run(Config(root_ + "/cache_a"), a, 1).ok());
  ASSERT_TRUE(Run(Config(root_ + "/cache_b"), b, 2).ok());
  for (const char* file : {"correlations.csv", "scores.csv", "report.md",
                           "plots/cifar10-valid__synflow.svg"}) {
    EXPECT_EQ(Read(a + "/" + file), Read(b + "/" + file)) << file;
  }
  const std::vector<std::string> rows =
      absl::StrSplit(Read(a + "/correlations.csv"), '\n', absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 1 + 2 * 2);  // Header, 2 proxies x 2 metrics.
  EXPECT_EQ(rows[0].rfind("benchmark,proxy,metric,spearman,kendall,n,", 0), 0u);
  EXPECT_EQ(rows[1].rfind("cifar10-valid,params,test,", 0), 0u);
  const std::vector<std::string> fields = absl::StrSplit(rows[1], ',');
  const double spearman = std::stod(fields[3]), kendall = std::stod(fields[4]);
  // Bigger NAS-Bench-201 networks are more accurate: clearly positive.
  EXPECT_GT(spearman, 0.3);
  EXPECT_LT(spearman, 1.0);
  EXPECT_GT(spearman, kendall);
  EXPECT_EQ(fields[5], "60");
  EXPECT_LE(std::stod(fields[6]), spearman);
  EXPECT_GE(std::stod(fields[7]), spearman);
  const std::vector<std::string> scores =
      absl::StrSplit(Read(a + "/scores.csv"), '\n', absl::SkipEmpty());
  EXPECT_EQ(scores[0], "architecture,proxy,score");
  EXPECT_EQ(scores.size(), 1 + 60 + 12);
  // A second run reads every score back from the cache: same output.
  const std::string c = root_ + "/c";
  ASSERT_TRUE(Run(Config(root_ + "/cache_a"), c, 2).ok());
  EXPECT_EQ(Read(a + "/scores.csv"), Read(c + "/scores.csv"));
}

TEST_F(CorrelateTest, BadInputWritesNothing) {
  const std::string out = root_ + "/out";
  absl::Status unknown =
      Run(Config(root_ + "/cache", "proxy { name: \"synflw\" }"), out, 1);
  EXPECT_FALSE(unknown.ok());
  EXPECT_NE(unknown.message().find("synflow"), std::string::npos)
      << unknown.message();
  absl::Status typo = Run(Config(root_ + "/cache", "proxy { nme: \"x\" }"), out, 1);
  EXPECT_NE(typo.message().find("correlate.textproto:7:"), std::string::npos)
      << typo.message();
  absl::Status too_big = Run(
      Config(root_ + "/cache", "proxy { name: \"flops\" sample: 20000 }"), out, 1);
  EXPECT_NE(too_big.message().find("larger than space"), std::string::npos)
      << too_big.message();
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(CorrelateTest, RefusesToReplaceAReportWithoutOverwrite) {
  const std::string out = root_ + "/out";
  const std::string config = Config(root_ + "/cache");
  ASSERT_TRUE(Run(config, out, 1).ok());
  const absl::Status again = Run(config, out, 1);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Run(config, out, 1, /*overwrite=*/true).ok());
}

}  // namespace
}  // namespace nas
