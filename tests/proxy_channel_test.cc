// The oracle's proxy channel (Oracle::ProxyScore) from the harness's side
// and an attacker's: it is free (never a query, never charged), counted
// apart from the queries, refused like a query after the budget or for a bad
// architecture, and carries nothing of the benchmark: the same architecture
// scores the same on two benchmarks whose metrics differ. Configs that ask
// for a proxy where none is served fail before any cell runs, and a
// proxy-guided run is byte-identical whatever the thread count.

#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"
#include "core/test_data.h"
#include "gtest/gtest.h"
#include "harness/config.h"
#include "harness/oracle.h"
#include "harness/runner.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

// A proxy that is a known function: the architecture's index.
class IndexProxy : public ProxyScorer {
 public:
  explicit IndexProxy(const SearchSpace& space) : space_(space) {}
  const std::string& name() const override { return name_; }
  absl::StatusOr<double> Score(const Architecture& arch) const override {
    return static_cast<double>(space_.ToIndex(arch));
  }

 private:
  const SearchSpace& space_;
  const std::string name_ = "index";
};

// An algorithm whose Run is a test's lambda.
class Probe : public Algorithm {
 public:
  explicit Probe(std::function<absl::Status(Oracle&, Rng&)> body)
      : body_(std::move(body)) {}
  absl::Status Run(Oracle& oracle, Rng& rng) override {
    return body_(oracle, rng);
  }

 private:
  std::function<absl::Status(Oracle&, Rng&)> body_;
};

class ProxyChannelTest : public ::testing::Test {
 protected:
  std::shared_ptr<const SearchSpace> space_ = *Nasbench201Space::New();
  HashObjective objective_{space_, 1, 2};
  IndexProxy proxy_{*space_};
};

TEST_F(ProxyChannelTest, ScoresAreFreeAndCountedApartFromQueries) {
  BudgetLimits limits;
  limits.queries = 3;
  BudgetedOracle oracle(objective_, limits, Rng(0), &proxy_);
  Probe probe([&](Oracle& o, Rng&) {
    EXPECT_EQ(o.proxy_name(), "index");
    for (int64_t i = 0; i < 500; ++i) {
      absl::StatusOr<double> score = o.ProxyScore(o.space().FromIndex(i));
      EXPECT_TRUE(score.ok()) << score.status();
      EXPECT_EQ(*score, i);
    }
    EXPECT_EQ(o.queries_used(), 0);
    EXPECT_FALSE(o.exhausted());
    // The whole budget is still there.
    for (int64_t i = 0; i < 3; ++i) {
      EXPECT_TRUE(o.Query(o.space().FromIndex(i)).ok());
    }
    return absl::OkStatus();
  });
  Rng rng(1);
  ASSERT_TRUE(RunAlgorithm(probe, oracle, rng).ok());
  EXPECT_EQ(oracle.queries_used(), 3);
  EXPECT_EQ(oracle.records().size(), 3u);
  EXPECT_EQ(oracle.proxy_scores(), 500);
}

TEST_F(ProxyChannelTest, NoEscapeFromTheBudgetThroughTheProxy) {
  BudgetLimits limits;
  limits.queries = 2;
  limits.max_refused_queries = 10;
  BudgetedOracle oracle(objective_, limits, Rng(0), &proxy_);
  // Spends the budget, then keeps asking the proxy whatever it is told.
  Probe runaway([&](Oracle& o, Rng&) {
    for (int64_t i = 0;; ++i) {
      if (o.queries_used() < 2) {
        (void)o.Query(o.space().FromIndex(i));
        continue;
      }
      absl::StatusOr<double> score = o.ProxyScore(o.space().FromIndex(i));
      EXPECT_TRUE(IsBudgetExhausted(score.status())) << score.status();
    }
    return absl::OkStatus();
  });
  Rng rng(1);
  const absl::Status status = RunAlgorithm(runaway, oracle, rng);
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_TRUE(oracle.stopped_runaway());
  EXPECT_EQ(oracle.proxy_scores(), 0);
  EXPECT_EQ(oracle.queries_used(), 2);
}

TEST_F(ProxyChannelTest, InvalidArchitecturesAreRefusedAndNoted) {
  BudgetedOracle oracle(objective_, BudgetLimits(), Rng(0), &proxy_);
  Probe probe([&](Oracle& o, Rng&) {
    const absl::StatusOr<double> score =
        o.ProxyScore(Architecture({9, 9, 9, 9, 9, 9}));
    EXPECT_EQ(score.status().code(), absl::StatusCode::kInvalidArgument);
    return absl::OkStatus();
  });
  Rng rng(1);
  ASSERT_TRUE(RunAlgorithm(probe, oracle, rng).ok());
  EXPECT_EQ(oracle.invalid_queries(), 1);
  EXPECT_EQ(oracle.proxy_scores(), 0);
}

TEST_F(ProxyChannelTest, WithoutAProxyTheChannelSaysFailedPrecondition) {
  BudgetedOracle oracle(objective_, BudgetLimits(), Rng(0));
  Probe probe([&](Oracle& o, Rng&) {
    EXPECT_EQ(o.proxy_name(), "");
    const absl::StatusOr<double> score = o.ProxyScore(o.space().FromIndex(0));
    EXPECT_EQ(score.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(score.status().message().find("no proxy configured"),
              std::string::npos);
    return absl::OkStatus();
  });
  Rng rng(1);
  ASSERT_TRUE(RunAlgorithm(probe, oracle, rng).ok());
}

// Configs on the real NAS-Bench-201 table with the real `params` proxy.
std::string WriteConfig(const std::string& name, const std::string& body) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/", name, ".textproto");
  std::ofstream(path) << "num_seeds: 3\nbudget { queries: 40 }\n" << body;
  return path;
}

std::string Benchmark(const std::string& dataset, const std::string& proxy) {
  return absl::StrCat(
      "benchmark { name: \"", dataset,
      "\" space { name: \"nasbench201\" } objective { name: \"nasbench201\" "
      "params { [type.googleapis.com/nas.Nasbench201ObjectiveParams] { "
      "dataset: \"",
      dataset, "\" } } } ", proxy, " }\n");
}

absl::StatusOr<LoadedExperiment> Load(const std::string& path) {
  LoadOptions options;
  options.data_dir = TestDataDir();
  return LoadExperiment(path, options);
}

TEST(ProxyChannelConfigTest, TheProxyCarriesNothingOfTheBenchmark) {
  const std::string proxy = "proxy { name: \"params\" }";
  auto loaded = Load(WriteConfig(
      "two", Benchmark("cifar10-valid", proxy) + Benchmark("cifar100", proxy) +
                 "algorithm { plugin: \"random_search\" }\n"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->benchmarks.size(), 2u);
  const LoadedBenchmark& c10 = loaded->benchmarks[0];
  const LoadedBenchmark& c100 = loaded->benchmarks[1];
  ASSERT_NE(c10.proxy, nullptr);
  // The cache directory is not part of the stored config.
  EXPECT_FALSE(loaded->config.benchmark(0).proxy().has_cache_dir());
  int metrics_differ = 0;
  for (int64_t i = 0; i < 15625; i += 625) {
    const Architecture arch = c10.space->FromIndex(i);
    const absl::StatusOr<double> a = c10.proxy->Score(arch);
    const absl::StatusOr<double> b = c100.proxy->Score(arch);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b) << c10.space->ToString(arch);
    const int full = static_cast<int>(c10.objective->fidelities().size()) - 1;
    metrics_differ += c10.objective->Evaluate(arch, full, nullptr).test_error !=
                      c100.objective->Evaluate(arch, full, nullptr).test_error;
  }
  EXPECT_GT(metrics_differ, 20);
}

TEST(ProxyChannelConfigTest, AskingForAnAbsentProxyFailsBeforeAnyCell) {
  auto loaded = Load(WriteConfig(
      "absent",
      Benchmark("cifar100", "") +
          "algorithm { plugin: \"local_search\" params { "
          "[type.googleapis.com/nas.LocalSearchParams] { "
          "proxy_warmup_candidates: 100 } } }\n"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("cannot run on benchmark 'cifar100'"),
            std::string::npos)
      << loaded.status();
  EXPECT_NE(loaded.status().message().find("serves none"), std::string::npos);

  auto unknown = Load(WriteConfig(
      "unknown", Benchmark("cifar100", "proxy { name: \"oracle_peek\" }") +
                     "algorithm { plugin: \"random_search\" }\n"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("oracle_peek"), std::string::npos)
      << unknown.status();
}

TEST(ProxyChannelConfigTest, GuidedRunsAreTheSameOnAnyNumberOfThreads) {
  auto loaded = Load(WriteConfig(
      "guided",
      Benchmark("cifar100", "proxy { name: \"params\" }") +
          "algorithm { plugin: \"local_search\" label: \"ls\" params { "
          "[type.googleapis.com/nas.LocalSearchParams] { "
          "proxy_warmup_candidates: 50 proxy_order_neighbors: true "
          "improvement: FIRST } } }\n"
          "algorithm { plugin: \"regularized_evolution\" label: \"re\" params "
          "{ [type.googleapis.com/nas.RegularizedEvolutionParams] { "
          "proxy_warmup_candidates: 50 proxy_mutation_candidates: 4 } } }\n"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const std::vector<CellId> cells = AllCells(loaded->config);
  RunOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const std::vector<CellResult> a = RunCells(*loaded, cells, one);
  const std::vector<CellResult> b = RunCells(*loaded, cells, two);
  ASSERT_EQ(a.size(), b.size());
  for (size_t c = 0; c < a.size(); ++c) {
    ASSERT_TRUE(a[c].status.ok()) << a[c].status;
    EXPECT_GE(a[c].proxy_scores, 50);
    EXPECT_EQ(a[c].proxy_scores, b[c].proxy_scores);
    ASSERT_EQ(a[c].records.size(), 40u);
    ASSERT_EQ(b[c].records.size(), 40u);
    for (size_t q = 0; q < a[c].records.size(); ++q) {
      EXPECT_EQ(a[c].records[q].arch, b[c].records[q].arch);
    }
  }
}

}  // namespace
}  // namespace nas
