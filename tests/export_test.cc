// `nas export DIR`: the tidy CSV of every stored query (harness/store.h,
// TidyCellsCsv) holds exactly the rows of the cells in the store, keyed by
// benchmark, algorithm and seed; a damaged store exports nothing.

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/cell_file.h"
#include "harness/config.h"
#include "harness/runner.h"
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
  // `nas status` counts the binary records (grep cannot).
  EXPECT_EQ(ct::Nas(absl::StrCat("status ", dir)).stdout_text,
            absl::StrCat("200 of 600 cells stored in ", dir, "\n"));
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
  const ct::Result status = ct::Nas(absl::StrCat("status ", dir));
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_THAT(status.stderr_text, HasSubstr("where a record should start"));
}

// The bits of `value` (NaN payloads included).
uint64_t Bits(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

// What is not stored (cumulative seconds, incumbent curves) is recomputed on
// read bit for bit as the runner computed it, on the quickstart and on a
// multi-fidelity experiment (Hyperband and successive halving over 12 and
// 200 epochs).
TEST(ExportTest, RecomputedCurvesAreTheRunnersBits) {
  for (const auto& [config, algorithms] :
       std::vector<std::pair<std::string, std::vector<int>>>{
           {"configs/quickstart.textproto", {0, 1}},
           {"configs/tables/nasbench201_multifidelity.textproto", {9, 10}}}) {
    SCOPED_TRACE(config);
    LoadOptions options;
    options.data_dir = TestDataDir();
    absl::StatusOr<LoadedExperiment> loaded = LoadExperiment(config, options);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    std::vector<CellId> cells;
    for (int b = 0; b < loaded->config.benchmark_size(); ++b) {
      for (int a : algorithms) {
        for (int seed = 0; seed < 3; ++seed) cells.push_back({b, a, seed});
      }
    }
    RunOptions run_options;
    run_options.threads = 2;
    int64_t low_fidelity_queries = 0;
    for (const CellResult& fresh : RunCells(*loaded, cells, run_options)) {
      const int fidelities =
          static_cast<int>(loaded->benchmarks[fresh.id.benchmark]
                               .objective->fidelities()
                               .size());
      absl::StatusOr<CellResult> read = ParseCellRecord(
          FormatCellRecord(fresh, fidelities), fresh.id, "roundtrip");
      ASSERT_TRUE(read.ok()) << read.status();
      ASSERT_EQ(read->records.size(), fresh.records.size());
      for (size_t q = 0; q < fresh.records.size(); ++q) {
        ASSERT_EQ(Bits(read->records[q].cumulative_seconds),
                  Bits(fresh.records[q].cumulative_seconds))
            << q;
        ASSERT_EQ(Bits(read->cumulative_seconds[q]),
                  Bits(fresh.cumulative_seconds[q]))
            << q;
        ASSERT_EQ(Bits(fresh.cumulative_seconds[q]),
                  Bits(fresh.records[q].cumulative_seconds))
            << q;
        ASSERT_EQ(Bits(read->incumbent_valid_error[q]),
                  Bits(fresh.incumbent_valid_error[q]))
            << q;
        ASSERT_EQ(Bits(read->incumbent_test_error[q]),
                  Bits(fresh.incumbent_test_error[q]))
            << q;
        ASSERT_EQ(read->records[q].arch, fresh.records[q].arch) << q;
        if (fresh.records[q].fidelity + 1 < fidelities) ++low_fidelity_queries;
      }
    }
    // The multi-fidelity cells did query the low fidelity.
    EXPECT_EQ(low_fidelity_queries > 0,
              loaded->benchmarks[0].objective->fidelities().size() > 1);
  }
}

}  // namespace
}  // namespace nas
