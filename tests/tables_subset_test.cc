// A table whose rows cover only part of the product of its genes' values,
// written here as a user would write one, runs through `nas run` (local
// search and random search) and `nas landscape` with one config. The exact
// analysis's count of local minima must equal a brute-force count over the
// rows, with neighbours the rows that differ in exactly one gene.

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

namespace ct = ::nas::cli_testing;

struct Row {
  std::vector<std::string> genes;
  std::string valid_acc, test_acc;
};

const std::vector<std::vector<std::string>> kGeneValues = {
    {"conv", "pool", "skip"}, {"1", "2", "3", "4"}, {"x", "y"},
    {"p", "q", "r"}};

// 72 combinations; about a third are left out, so the rows are no product.
std::vector<Row> MakeRows() {
  std::vector<Row> rows;
  uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 4; ++b) {
      for (int c = 0; c < 2; ++c) {
        for (int d = 0; d < 3; ++d) {
          if ((a * 7 + b * 5 + c * 3 + d) % 3 == 0) continue;
          Row row;
          row.genes = {kGeneValues[0][a], kGeneValues[1][b],
                       kGeneValues[2][c], kGeneValues[3][d]};
          // Two decimals: ties happen, and "strictly lower" matters.
          row.valid_acc = absl::StrFormat("%.2f", 80 + (next() % 1500) / 100.0);
          row.test_acc = absl::StrFormat("%.2f", 79 + (next() % 1500) / 100.0);
          rows.push_back(row);
        }
      }
    }
  }
  return rows;
}

int BruteForceLocalMinima(const std::vector<Row>& rows) {
  int minima = 0;
  for (const Row& v : rows) {
    double v_acc;
    EXPECT_TRUE(absl::SimpleAtod(v.valid_acc, &v_acc));
    bool is_minimum = true;
    for (const Row& u : rows) {
      int differing = 0;
      for (size_t g = 0; g < v.genes.size(); ++g) {
        differing += v.genes[g] != u.genes[g];
      }
      double u_acc;
      EXPECT_TRUE(absl::SimpleAtod(u.valid_acc, &u_acc));
      // The objective's error is 100 - accuracy; compare errors as it does.
      if (differing == 1 && 100.0 - u_acc < 100.0 - v_acc) is_minimum = false;
    }
    minima += is_minimum;
  }
  return minima;
}

constexpr char kConfig[] = R"pb(
name: "a partial table"
seed: 3
num_seeds: 5
budget { queries: 20 }
benchmark {
  name: "partial"
  space {
    name: "table"
    params {
      [type.googleapis.com/nas.TableSpaceParams] {
        gene { column: "op" value: ["skip", "conv", "pool", "none"] }
        gene { column: "width" }
        gene { column: "act" }
        gene { column: "norm" }
      }
    }
  }
  objective {
    name: "table"
    params {
      [type.googleapis.com/nas.TableObjectiveParams] {
        table: "partial.csv"
        valid { column: "val_acc" kind: ACCURACY_PERCENT }
        test { column: "test_acc" kind: ACCURACY_PERCENT }
        cost { column: "seconds" }
      }
    }
  }
}
algorithm { plugin: "local_search" }
algorithm { plugin: "random_search" }
)pb";

TEST(TablesSubsetTest, SearchAndExactLandscapeWorkOnAPartialTable) {
  const std::vector<Row> rows = MakeRows();
  ASSERT_LT(rows.size(), 72u);
  std::string csv = "op,width,act,norm,val_acc,test_acc,seconds\n";
  for (const Row& row : rows) {
    absl::StrAppend(&csv, absl::StrJoin(row.genes, ","), ",", row.valid_acc,
                    ",", row.test_acc, ",100\n");
  }
  const std::string data = ct::TempDir() + "/data";
  ct::Spit(data + "/partial.csv", csv);
  const std::string config = ct::TempDir() + "/partial.textproto";
  ct::Spit(config, kConfig);

  const std::string run_dir = ct::TempDir() + "/run";
  const ct::Result run = ct::Nas(absl::StrCat(
      "run ", config, " --output_dir ", run_dir, " --data_dir ", data));
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  // Every query of both algorithms is a row of the table.
  std::map<std::string, bool> is_row;
  for (const Row& row : rows) is_row[absl::StrJoin(row.genes, "|")] = true;
  int queries = 0;
  EXPECT_EQ(ct::CellFiles(run_dir).size(), 10u);
  const ct::Result exported =
      ct::Nas(absl::StrCat("export ", run_dir, " --data_dir ", data));
  ASSERT_EQ(exported.exit_code, 0) << exported.stderr_text;
  bool header = true;
  for (absl::string_view line : absl::StrSplit(exported.stdout_text, '\n')) {
    if (header || line.empty()) {
      header = false;
      continue;
    }
    // benchmark,algorithm,seed,query,arch,...
    const std::vector<std::string> fields = absl::StrSplit(line, ',');
    ASSERT_GE(fields.size(), 5u);
    EXPECT_TRUE(is_row.count(fields[4])) << line;
    ++queries;
  }
  EXPECT_EQ(queries, 2 * 5 * 20);
  EXPECT_FALSE(ct::Slurp(run_dir + "/leaderboard.md").empty());

  const std::string landscape_dir = ct::TempDir() + "/landscape";
  const ct::Result landscape = ct::Nas(absl::StrCat(
      "landscape ", config, " --output_dir ", landscape_dir, " --data_dir ",
      data));
  ASSERT_EQ(landscape.exit_code, 0) << landscape.stderr_text;
  const std::string table = ct::Slurp(landscape_dir + "/landscape.csv");
  double exact_minima = -1;
  for (absl::string_view line : absl::StrSplit(table, '\n')) {
    const std::vector<std::string> f = absl::StrSplit(line, ',');
    if (f.size() == 5 && f[0] == "partial" && f[1] == "quantity" &&
        f[2] == "local minima" && f[3] == "exact") {
      ASSERT_TRUE(absl::SimpleAtod(f[4], &exact_minima));
    }
  }
  const int expected = BruteForceLocalMinima(rows);
  std::printf("%zu rows of 72; local minima: exact analysis %g, brute force "
              "%d\n", rows.size(), exact_minima, expected);
  EXPECT_GT(expected, 1);
  EXPECT_EQ(exact_minima, expected) << table;
}

}  // namespace
}  // namespace nas
