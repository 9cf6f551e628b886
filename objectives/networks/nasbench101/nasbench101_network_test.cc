// The NAS-Bench-101 network against published figures: the trainable
// parameter counts EC-NAS-Bench stores for its NAS-Bench-101 cells (nasbench
// defaults: 128 stem filters, 3 stacks of 3 cells, CIFAR-10), and its
// forward pass on Fashion-MNIST shapes.

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/test_data.h"
#include "gtest/gtest.h"
#include "objectives/networks/network.h"
#include "spaces/nasbench101/nasbench101.h"
#include "torch/torch.h"

namespace nas {
namespace {

std::unique_ptr<Nasbench101Space> Space() {
  auto space = Nasbench101Space::New(Nasbench101SpaceParams());
  EXPECT_TRUE(space.ok()) << space.status();
  return *std::move(space);
}

std::shared_ptr<Network> Build(const SearchSpace& space,
                               const std::string& text,
                               const NetworkShape& shape) {
  auto builder = FindNetworkBuilder("nasbench101");
  EXPECT_TRUE(builder.ok()) << builder.status();
  auto arch = space.Parse(text);
  EXPECT_TRUE(arch.ok()) << text << ": " << arch.status();
  auto network = (*builder)->Build(space, *arch, shape);
  EXPECT_TRUE(network.ok()) << network.status();
  return *network;
}

NetworkShape Benchmark() {
  NetworkShape shape;
  shape.channels = 128;
  shape.cells = 3;
  return shape;
}

struct Row {
  std::string cell;  // "adj=... ops=..."
  int64_t parameters;
};

// Distinct cells of one EC-NAS-Bench file with their parameter counts.
std::vector<Row> EcnasRows(const std::string& file) {
  std::ifstream in(absl::StrCat(TestDataDir(), "/ec-nas-bench/", file));
  EXPECT_TRUE(in.good()) << file;
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = absl::StrSplit(line, ',');
  std::map<std::string, int> column;
  for (size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  std::map<std::string, int64_t> by_cell;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = absl::StrSplit(line, ',');
    int64_t parameters = 0;
    EXPECT_TRUE(absl::SimpleAtoi(f[column["trainable_params"]], &parameters));
    const std::string cell = absl::StrCat(
        "adj=", f[column["adjacency_rowmajor"]], " ops=", f[column["ops"]]);
    by_cell.emplace(cell, parameters);
  }
  std::vector<Row> rows;
  for (const auto& [cell, parameters] : by_cell) rows.push_back({cell, parameters});
  return rows;
}

TEST(Nasbench101Network, EveryFourVertexCellMatchesEcnasBench) {
  auto space = Space();
  const std::vector<Row> rows = EcnasRows("ecnas_4V9E_4epochs_runs.csv");
  ASSERT_EQ(rows.size(), 91u);  // The whole 4-vertex space.
  for (const Row& row : rows) {
    EXPECT_EQ(CountParameters(*Build(*space, row.cell, Benchmark())),
              row.parameters)
        << row.cell;
  }
}

TEST(Nasbench101Network, FiveVertexCellsMatchEcnasBench) {
  auto space = Space();
  const std::vector<Row> rows = EcnasRows("ecnas_5V9E_4epochs_runs.csv");
  ASSERT_EQ(rows.size(), 2532u);
  // Every 40th (networks of up to 31 M parameters take a while to build),
  // and the extremes: 301,074 (three max-pools) and 31,389,066.
  int checked = 0;
  int64_t low = 1LL << 62, high = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    low = std::min(low, rows[i].parameters);
    high = std::max(high, rows[i].parameters);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    if (i % 40 != 0 && row.parameters != low && row.parameters != high) {
      continue;
    }
    EXPECT_EQ(CountParameters(*Build(*space, row.cell, Benchmark())),
              row.parameters)
        << row.cell;
    ++checked;
  }
  EXPECT_GE(checked, 60);
  EXPECT_EQ(low, 301074);
  EXPECT_EQ(high, 31389066);
}

TEST(Nasbench101Network, SmallNetworkOnFashionMnistShapes) {
  auto space = Space();
  NetworkShape shape;
  shape.channels = 8;
  shape.cells = 1;
  shape.input_channels = 1;
  shape.input_height = 28;
  shape.input_width = 28;
  // A 7-vertex cell with every kind of vertex, and the 2-vertex cell.
  for (const std::string cell :
       {"adj=0110001000100000001000000010000000100000010000000 "
        "ops=input|conv3x3-bn-relu|conv1x1-bn-relu|maxpool3x3|"
        "conv3x3-bn-relu|maxpool3x3|output",
        "adj=0100 ops=input|output"}) {
    auto net = Build(*space, cell, shape);
    torch::NoGradGuard no_grad;
    net->eval();
    const torch::Tensor out = net->forward(torch::randn({2, 1, 28, 28}));
    EXPECT_EQ(out.sizes(), (std::vector<int64_t>{2, 10})) << cell;
    EXPECT_TRUE(torch::isfinite(out).all().item<bool>()) << cell;
  }
}

TEST(Nasbench101Network, TooFewChannelsForTheOutputSplitIsAnError) {
  auto space = Space();
  auto builder = FindNetworkBuilder("nasbench101");
  ASSERT_TRUE(builder.ok());
  // Three interior vertices feed the output: 2 channels cannot be split.
  auto arch = space->Parse(
      "adj=0111000001000010000100000 "
      "ops=input|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|output");
  ASSERT_TRUE(arch.ok()) << arch.status();
  NetworkShape shape;
  shape.channels = 2;
  auto bad = (*builder)->Build(**&space, *arch, shape);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.status().message()).find("at least 3"),
            std::string::npos)
      << bad.status();
}

}  // namespace
}  // namespace nas
