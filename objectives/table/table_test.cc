#include "objectives/table/table.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "objectives/table/table_file.h"
#include "spaces/nasbench201/nasbench201.h"
#include "spaces/table/table_space.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

std::string Dir() { return std::getenv("TEST_TMPDIR"); }

void Write(const std::string& name, const std::string& text) {
  std::ofstream(Dir() + "/" + name, std::ios::binary) << text;
}

std::shared_ptr<const TableSpace> Genes(const std::vector<std::string>& names) {
  TableSpaceParams params;
  for (const std::string& name : names) params.add_gene()->set_column(name);
  return std::shared_ptr<const TableSpace>(*TableSpace::New(params));
}

TableMetric Metric(const std::string& column, TableMetric::Kind kind) {
  TableMetric metric;
  metric.set_column(column);
  metric.set_kind(kind);
  return metric;
}

// RFC 4180 quoting, as `nas tabulate` writes values holding commas (DARTS
// genotypes): a quoted field may hold commas and doubled quotes, and a
// field's position is where its quote opens.
TEST(TableFileTest, QuotedFieldsHoldCommasAndQuotes) {
  Write("quoted.csv",
        "arch,\"val, acc\",test\n"
        "\"[('sep_conv_3x3', 0), ('skip_connect', 1)]\",90.5,89\n"
        "\"say \"\"hi\"\"\",,\"\"\n");
  auto file = TableFile::Read(Dir() + "/quoted.csv");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->header(),
            (std::vector<std::string>{"arch", "val, acc", "test"}));
  ASSERT_EQ(file->num_rows(), 2);
  EXPECT_EQ(file->Cell(0, 0), "[('sep_conv_3x3', 0), ('skip_connect', 1)]");
  EXPECT_EQ(file->Cell(0, 1), "90.5");
  EXPECT_THAT(file->Where(0, 1),
              HasSubstr("quoted.csv:2:46 (column 'val, acc')"));
  EXPECT_EQ(file->Cell(1, 0), "say \"hi\"");
  EXPECT_EQ(file->Cell(1, 1), "");
  EXPECT_EQ(file->Cell(1, 2), "");
}

TEST(TableFileTest, MalformedQuotesAreRefusedAtTheirPosition) {
  const std::pair<std::string, std::string> cases[] = {
      {"a,b\nx\"y,1\n", "q.csv:2:2: a quote character inside an unquoted"},
      {"a,b\n\"x,1\n", "q.csv:2:1: a quoted field that is not closed"},
      {"a,b\n\"x\"y,1\n", "q.csv:2:4: text after the closing quote"},
      {"\"a,b\n", "q.csv:1:1: a quoted field that is not closed"},
  };
  for (const auto& [text, error] : cases) {
    Write("q.csv", text);
    auto file = TableFile::Read(Dir() + "/q.csv");
    ASSERT_FALSE(file.ok()) << text;
    EXPECT_THAT(std::string(file.status().message()), HasSubstr(error)) << text;
  }
}

TEST(TableObjectiveTest, GeneTableBindsItsRowsAndConvertsMetrics) {
  Write("genes.csv",
        "a,b,val_acc,test_acc,seconds,params\n"
        "x,1,0.90,0.88,10,5\n"
        "x,2,0.80,0.79,20,6\n"
        "y,1,0.95,0.91,30,7\n");
  auto space = Genes({"a", "b"});
  TableObjectiveParams params;
  params.add_table("genes.csv");
  *params.mutable_valid() = Metric("val_acc", TableMetric::ACCURACY_FRACTION);
  *params.mutable_test() = Metric("test_acc", TableMetric::ACCURACY_FRACTION);
  params.add_cost()->set_column("seconds");
  params.add_extra_column("params");
  auto objective = TableObjective::New(space, params, {Dir()});
  ASSERT_TRUE(objective.ok()) << objective.status();
  EXPECT_EQ(space->Size(), 3);  // Not the 2 x 2 product.
  const Architecture y1 = *space->Parse("y|1");
  const Evaluation e = (*objective)->Evaluate(y1, 0, nullptr);
  EXPECT_DOUBLE_EQ(e.valid_error, 100 * (1 - 0.95));
  EXPECT_DOUBLE_EQ(e.test_error, 100 * (1 - 0.91));
  EXPECT_EQ(e.cost_seconds, 30);
  EXPECT_EQ(*(*objective)->Extra(y1, 0), 7);
  EXPECT_EQ((*objective)->known_optimum()->test_error_of_best_valid,
            e.test_error);
  EXPECT_EQ((*objective)->error_unit(), "error (%)");
  ASSERT_EQ((*objective)->hidden_test_columns().size(), 1u);
  EXPECT_EQ((*objective)->hidden_test_columns()[0].columns,
            std::vector<std::string>{"test_acc"});
  EXPECT_FALSE(space->Parse("y|2").ok());
}

TEST(TableObjectiveTest, ExtraMetricsAreStoredLowerIsBetterAndHiddenOnes) {
  Write("metrics.csv",
        "a,val_acc,test_acc,params,robust_acc\n"
        "x,0.90,0.88,5,0.40\n"
        "y,0.95,0.91,7,0.30\n");
  auto space = Genes({"a"});
  TableObjectiveParams params;
  params.add_table("metrics.csv");
  *params.mutable_valid() = Metric("val_acc", TableMetric::ACCURACY_FRACTION);
  *params.mutable_test() = Metric("test_acc", TableMetric::ACCURACY_FRACTION);
  TableExtraMetric* size = params.add_extra_metric();
  size->set_column("params");
  size->set_unit("count");
  TableExtraMetric* robust = params.add_extra_metric();
  robust->set_column("robust_acc");
  robust->set_direction(TableExtraMetric::HIGHER_IS_BETTER);
  robust->set_visibility(TableExtraMetric::HIDDEN);
  auto objective = TableObjective::New(space, params, {Dir()});
  ASSERT_TRUE(objective.ok()) << objective.status();
  const std::vector<MetricInfo> metrics = (*objective)->metrics();
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].name, "params");
  EXPECT_EQ(metrics[0].unit, "count");
  EXPECT_TRUE(metrics[0].visible());
  EXPECT_FALSE(metrics[1].visible());
  const Evaluation e = (*objective)->Evaluate(*space->Parse("y"), 0, nullptr);
  ASSERT_EQ(e.metrics.size(), 2u);
  EXPECT_EQ(e.metrics[0], 7);
  EXPECT_EQ(e.metrics[1], -0.30);  // Higher is better: stored negated.
  EXPECT_EQ(metrics[1].ReportedValue(e.metrics[1]), 0.30);
  // The hidden metric is hidden beside the test metric.
  ASSERT_EQ((*objective)->hidden_test_columns().size(), 1u);
  EXPECT_EQ((*objective)->hidden_test_columns()[0].columns,
            (std::vector<std::string>{"test_acc", "robust_acc"}));

  // Without extra_metric nothing is declared and no value carried.
  params.clear_extra_metric();
  params.add_extra_column("params");
  auto fresh = Genes({"a"});
  auto plain = TableObjective::New(fresh, params, {Dir()});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_TRUE((*plain)->metrics().empty());
  EXPECT_TRUE((*plain)->Evaluate(*fresh->Parse("y"), 0, nullptr).metrics.empty());
}

TEST(TableObjectiveTest, ExtraMetricWithAGapIsRefusedNamingTheArchitecture) {
  Write("gap.csv",
        "a,val_acc,params\n"
        "x,0.90,5\n"
        "y,0.95,\n");
  auto space = Genes({"a"});
  TableObjectiveParams params;
  params.add_table("gap.csv");
  *params.mutable_valid() = Metric("val_acc", TableMetric::ACCURACY_FRACTION);
  params.add_extra_metric()->set_column("params");
  auto objective = TableObjective::New(space, params, {Dir()});
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("extra_metric column 'params' has no value for "
                        "architecture y"));
  params.clear_extra_metric();
  params.add_extra_metric();
  objective = TableObjective::New(Genes({"a"}), params, {Dir()});
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("an extra_metric has no column"));
}

TEST(TableObjectiveTest, AVisibleMetricFromATestColumnIsRefused) {
  Write("leak.csv",
        "a,val_acc,test_acc,robust\n"
        "x,0.90,0.88,1\n"
        "y,0.95,0.91,2\n");
  TableObjectiveParams params;
  params.add_table("leak.csv");
  *params.mutable_valid() = Metric("val_acc", TableMetric::ACCURACY_FRACTION);
  *params.mutable_test() = Metric("test_acc", TableMetric::ACCURACY_FRACTION);
  params.add_extra_metric()->set_column("test_acc");
  auto objective = TableObjective::New(Genes({"a"}), params, {Dir()});
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("extra_metric 'test_acc' is VISIBLE but "
                        "leak.csv:test_acc holds a test metric"));
  params.clear_extra_metric();
  params.add_hidden_column("robust");
  params.add_extra_metric()->set_column("robust");
  objective = TableObjective::New(Genes({"a"}), params, {Dir()});
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("declare it visibility: HIDDEN"));
}

TEST(TableObjectiveTest, RepeatsAreAveragedOrSampledAndFidelitiesSplit) {
  Write("long.csv",
        "g,epochs,err,test\n"
        "0,12,30,31\n"
        "0,200,10,11\n"
        "0,200,20,13\n"
        "1,12,40,41\n"
        "1,200,15,16\n");
  TableObjectiveParams params;
  params.add_table("long.csv");
  *params.mutable_valid() = Metric("err", TableMetric::ERROR_PERCENT);
  *params.mutable_test() = Metric("test", TableMetric::ERROR_PERCENT);
  params.set_fidelity_column("epochs");
  params.set_repeats(TableObjectiveParams::MEAN);
  auto space = Genes({"g"});
  auto mean = TableObjective::New(space, params, {Dir()});
  ASSERT_TRUE(mean.ok()) << mean.status();
  ASSERT_EQ((*mean)->fidelities().size(), 2u);
  EXPECT_EQ((*mean)->fidelities()[0].epochs, 12);
  EXPECT_EQ((*mean)->Evaluate(Architecture{0}, 1, nullptr).valid_error, 15);
  EXPECT_EQ((*mean)->Evaluate(Architecture{0}, 0, nullptr).valid_error, 30);

  params.set_repeats(TableObjectiveParams::SAMPLE);
  auto sampled = TableObjective::New(Genes({"g"}), params, {Dir()});
  ASSERT_TRUE(sampled.ok()) << sampled.status();
  EXPECT_TRUE((*sampled)->is_noisy());
  Rng noise(3);
  std::set<double> seen;
  for (int i = 0; i < 50; ++i) {
    const Evaluation e = (*sampled)->Evaluate(Architecture{0}, 1, &noise);
    seen.insert(e.valid_error);
    EXPECT_EQ(e.test_error, 12);
  }
  EXPECT_EQ(seen, (std::set<double>{10, 20}));

  params.set_repeats(TableObjectiveParams::UNIQUE);
  auto unique = TableObjective::New(Genes({"g"}), params, {Dir()});
  ASSERT_FALSE(unique.ok());
  EXPECT_THAT(std::string(unique.status().message()),
              HasSubstr("long.csv:4:1 (column 'g'): architecture 0 has a "
                        "second row"));
}

TEST(TableObjectiveTest, ArchitectureStringsMustCoverTheSpace) {
  Write("partial201.csv",
        "architecture,valid_error,test_error\n"
        "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,50,51\n");
  TableObjectiveParams params;
  params.add_table("partial201.csv");
  params.set_architecture("{architecture}");
  *params.mutable_valid() = Metric("valid_error", TableMetric::ERROR_PERCENT);
  auto objective = TableObjective::New(
      std::shared_ptr<const SearchSpace>(*Nasbench201Space::New()), params,
      {Dir()});
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()),
              HasSubstr("has no row giving its validation metric"));
}

TEST(TableObjectiveTest, DefaultParametersAskForATable) {
  auto objective =
      TableObjective::New(Genes({"g"}), TableObjectiveParams(), {Dir()});
  ASSERT_FALSE(objective.ok());
  EXPECT_THAT(std::string(objective.status().message()), HasSubstr(" set "));
}

}  // namespace
}  // namespace nas
