// The exact Pareto front of EC-NAS-Bench (validation error vs training
// energy, the energy carried as the accuracy objective's visible metric)
// over every cell of the 4- and 5-vertex tables: core/pareto's front
// against a brute-force O(n^2) comparison of every pair, and its two ends
// against the single-objective optima of the accuracy and energy
// objectives.

#include <algorithm>
#include <cstdio>
#include <limits>
#include <vector>

#include "core/pareto.h"
#include "core/test_data.h"
#include "gtest/gtest.h"
#include "objectives/nasbench101/ecnas/ecnas.h"
#include "spaces/nasbench101/nasbench101.h"

namespace nas {
namespace {

std::unique_ptr<EcnasObjective> Load(int vertices,
                                     EcnasObjectiveParams::Metric metric) {
  Nasbench101SpaceParams space_params;
  space_params.set_max_vertices(vertices);
  std::shared_ptr<const SearchSpace> space(
      *Nasbench101Space::New(space_params));
  EcnasObjectiveParams params;
  params.set_vertices(vertices);
  params.set_metric(metric);
  auto objective = EcnasObjective::New(space, params, {TestDataDir()});
  EXPECT_TRUE(objective.ok()) << objective.status();
  return objective.ok() ? std::move(*objective) : nullptr;
}

// i is on the front when no j is at least as good in both and better in one.
std::vector<int> BruteForceFront(const std::vector<ObjectiveVector>& points) {
  std::vector<int> front;
  for (size_t i = 0; i < points.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < points.size() && !dominated; ++j) {
      const bool no_worse = points[j][0] <= points[i][0] &&
                            points[j][1] <= points[i][1];
      const bool better = points[j][0] < points[i][0] ||
                          points[j][1] < points[i][1];
      dominated = no_worse && better;
    }
    if (!dominated) front.push_back(static_cast<int>(i));
  }
  return front;
}

TEST(EcnasFrontTest, ExactFrontOfErrorAndEnergyMatchesBruteForce) {
  for (int vertices : {4, 5}) {
    SCOPED_TRACE(vertices);
    auto accuracy = Load(vertices, EcnasObjectiveParams::ACCURACY);
    auto energy = Load(vertices, EcnasObjectiveParams::ENERGY);
    ASSERT_NE(accuracy, nullptr);
    ASSERT_NE(energy, nullptr);
    const std::vector<Architecture> all = nasbench101::EnumerateAll(vertices, 9);
    ASSERT_EQ(static_cast<int>(all.size()), accuracy->num_architectures());
    std::vector<ObjectiveVector> points;
    for (const Architecture& arch : all) {
      const Evaluation e = accuracy->Evaluate(arch, 0, nullptr);
      ASSERT_EQ(e.metrics.size(), 1u);
      points.push_back({e.valid_error, e.metrics[0]});
    }
    const std::vector<int> front = NonDominatedIndices(points);
    EXPECT_EQ(front, BruteForceFront(points));
    // Along the front, error falls exactly when energy rises.
    std::vector<ObjectiveVector> sorted;
    for (int i : front) sorted.push_back(points[i]);
    std::sort(sorted.begin(), sorted.end());
    for (size_t k = 1; k < sorted.size(); ++k) {
      if (sorted[k] == sorted[k - 1]) continue;
      EXPECT_LT(sorted[k - 1][0], sorted[k][0]);
      EXPECT_GT(sorted[k - 1][1], sorted[k][1]);
    }
    // Its ends are the two single-objective optima.
    EXPECT_EQ(sorted.front()[0], accuracy->known_optimum()->best_valid_error);
    EXPECT_EQ(sorted.back()[1], energy->known_optimum()->best_valid_error);
    const double worst_error =
        std::max_element(points.begin(), points.end())->at(0);
    double worst_energy = 0;
    for (const ObjectiveVector& p : points) {
      worst_energy = std::max(worst_energy, p[1]);
    }
    auto volume = Hypervolume(sorted, {worst_error, worst_energy});
    ASSERT_TRUE(volume.ok()) << volume.status();
    std::printf(
        "EC-NAS %dV: %zu cells, front of %zu (error %.4f%% .. %.4f%%, "
        "energy %.4f .. %.4f Wh), hypervolume %.6f against the worst "
        "(%.4f%%, %.4f Wh)\n",
        vertices, points.size(), front.size(), sorted.front()[0],
        sorted.back()[0], sorted.front()[1], sorted.back()[1], *volume,
        worst_error, worst_energy);
  }
}

}  // namespace
}  // namespace nas
