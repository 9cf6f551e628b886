// Multi-objective random search against Pareto local search on two real
// tables: EC-NAS-Bench 5-vertex (validation error vs training energy) and
// NAS-Bench-Macro through the generic table objective (error vs
// parameters, and error vs parameters vs FLOPs). 100 seeds per algorithm,
// run as `nas run` runs them (RunAlgorithm over the harness's oracle).
// Each run's quality at 50, 100 and 200 queries is the hypervolume of the
// front of what it queried (from the harness's records: error and the
// metrics), divided by the hypervolume of the table's exact front, against
// the exact front's nadir pushed out by a tenth of the front's range.
// Prints means, 95% intervals and the paired Wilcoxon test, Holm-adjusted
// over every row (docs/multiobjective.md quotes them), and checks what must
// hold whatever the outcome: normalised hypervolumes in [0, 1], never
// falling with more queries.

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/pareto.h"
#include "core/test_data.h"
#include "gtest/gtest.h"
#include "harness/stats/comparisons.h"
#include "harness/stats/stats.h"
#include "objectives/nasbench101/ecnas/ecnas.h"
#include "objectives/table/table.h"
#include "spaces/nasbench101/nasbench101.h"
#include "spaces/nasbench_macro/nasbench_macro.h"
#include "tests/conformance.h"

namespace nas {
namespace {

namespace cf = ::nas::conformance;

constexpr int kSeeds = 100;
constexpr int kBudgets[] = {50, 100, 200};

struct Problem {
  std::string name;
  std::shared_ptr<const Objective> objective;
  std::vector<ObjectiveVector> all;  // (valid error, metric) of every cell.
};

std::shared_ptr<const Objective> EcnasFiveVertices() {
  Nasbench101SpaceParams space_params;
  space_params.set_max_vertices(5);
  std::shared_ptr<const SearchSpace> space(
      *Nasbench101Space::New(space_params));
  EcnasObjectiveParams params;  // ACCURACY: energy is the visible metric.
  auto objective = EcnasObjective::New(space, params, {TestDataDir()});
  EXPECT_TRUE(objective.ok()) << objective.status();
  return objective.ok() ? std::move(*objective) : nullptr;
}

// `metrics`: the extra metrics, all visible.
std::shared_ptr<const Objective> Macro(const std::vector<std::string>& metrics) {
  std::shared_ptr<const SearchSpace> space(*NasbenchMacroSpace::New());
  TableObjectiveParams params;
  params.add_table("nas-bench-macro/nas-bench-macro_cifar10.csv");
  params.set_architecture("{arch}");
  params.mutable_valid()->set_column("mean_acc");
  for (const std::string& metric : metrics) {
    params.add_extra_metric()->set_column(metric);
  }
  auto objective = TableObjective::New(space, params, {TestDataDir()});
  EXPECT_TRUE(objective.ok()) << objective.status();
  return objective.ok() ? std::move(*objective) : nullptr;
}

ObjectiveVector Point(const Evaluation& e) {
  ObjectiveVector point = {e.valid_error};
  point.insert(point.end(), e.metrics.begin(), e.metrics.end());
  return point;
}

std::vector<ObjectiveVector> EveryCell(const Objective& objective) {
  const SearchSpace& space = objective.space();
  std::vector<Architecture> archs;
  if (space.IsIndexable()) {
    for (int64_t i = 0; i < static_cast<int64_t>(space.Size()); ++i) {
      archs.push_back(space.FromIndex(i));
    }
  } else {
    archs = nasbench101::EnumerateAll(5, 9);
  }
  std::vector<ObjectiveVector> points;
  for (const Architecture& arch : archs) {
    points.push_back(Point(objective.Evaluate(arch, 0, nullptr)));
  }
  return points;
}

double Volume(const std::vector<ObjectiveVector>& points,
              const ObjectiveVector& reference) {
  auto volume = Hypervolume(points, reference);
  EXPECT_TRUE(volume.ok()) << volume.status();
  return volume.ok() ? *volume : 0;
}

TEST(MultiobjectiveComparisonTest, HypervolumeOfBothSearchersOnRealTables) {
  std::vector<Problem> problems;
  problems.push_back({"EC-NAS 5V error vs energy", EcnasFiveVertices(), {}});
  problems.push_back(
      {"NAS-Bench-Macro error vs params", Macro({"params"}), {}});
  problems.push_back({"NAS-Bench-Macro error vs params vs FLOPs",
                      Macro({"params", "flops"}), {}});
  const std::vector<std::string> algorithms = {"mo_random_search",
                                               "pareto_local_search"};
  std::vector<std::string> rows;  // Printed with Holm over all of them.
  std::vector<double> p_values;
  for (Problem& problem : problems) {
    ASSERT_NE(problem.objective, nullptr);
    problem.all = EveryCell(*problem.objective);
    // The exact front's nadir, pushed out by a tenth of its range so its
    // ends count: a table-wide worst point would make every run score
    // near 1.
    std::vector<ObjectiveVector> front;
    for (int i : NonDominatedIndices(problem.all)) {
      front.push_back(problem.all[i]);
    }
    ObjectiveVector ideal = front[0], reference = front[0];
    const size_t dimensions = reference.size();
    for (const ObjectiveVector& p : front) {
      for (size_t k = 0; k < dimensions; ++k) {
        ideal[k] = std::min(ideal[k], p[k]);
        reference[k] = std::max(reference[k], p[k]);
      }
    }
    for (size_t k = 0; k < dimensions; ++k) {
      reference[k] += 0.1 * (reference[k] - ideal[k]);
    }
    const double best = Volume(problem.all, reference);
    ASSERT_GT(best, 0);
    // [algorithm][budget][seed]
    std::vector<std::vector<std::vector<double>>> quality(
        algorithms.size(),
        std::vector<std::vector<double>>(std::size(kBudgets)));
    for (size_t a = 0; a < algorithms.size(); ++a) {
      const cf::AlgorithmMaker make = cf::RegisteredAlgorithm(algorithms[a]);
      for (int seed = 0; seed < kSeeds; ++seed) {
        const cf::RunOutcome run =
            cf::RunOnce(make, *problem.objective, kBudgets[2], seed);
        ASSERT_TRUE(run.status.ok()) << run.status;
        ASSERT_EQ(run.records.size(), static_cast<size_t>(kBudgets[2]));
        std::vector<ObjectiveVector> seen;
        size_t next = 0;
        double previous = 0;
        for (const QueryRecord& record : run.records) {
          seen.push_back(Point(record.evaluation));
          if (static_cast<int>(seen.size()) != kBudgets[next]) continue;
          const double q = Volume(seen, reference) / best;
          EXPECT_GE(q, previous - 1e-12);  // Summation order aside.
          EXPECT_LE(q, 1 + 1e-12);
          quality[a][next].push_back(q);
          previous = q;
          ++next;
        }
      }
    }
    for (size_t b = 0; b < std::size(kBudgets); ++b) {
      const SampleSummary rs = Summarize(quality[0][b]);
      const SampleSummary pls = Summarize(quality[1][b]);
      const WilcoxonResult test =
          WilcoxonSignedRank(quality[1][b], quality[0][b]);
      rows.push_back(absl::StrFormat(
          "%s, %d queries: mo_random_search %.4f [%.4f, %.4f], "
          "pareto_local_search %.4f [%.4f, %.4f], PLS - RS %+.4f, "
          "Wilcoxon p = %.3g (n = %d)",
          problem.name, kBudgets[b], rs.mean, rs.ci95_low, rs.ci95_high,
          pls.mean, pls.ci95_low, pls.ci95_high, pls.mean - rs.mean,
          test.p_value, test.n));
      p_values.push_back(test.p_value);
    }
    std::printf("%s: reference point (%s)\n", problem.name.c_str(),
                absl::StrJoin(reference, ", ").c_str());
  }
  const std::vector<double> holm = HolmAdjust(p_values);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::printf("%s, Holm p = %.3g\n", rows[i].c_str(), holm[i]);
  }
}

}  // namespace
}  // namespace nas
