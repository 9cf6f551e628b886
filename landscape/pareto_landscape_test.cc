#include "landscape/pareto_landscape.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <vector>

#include "core/random.h"
#include "core/test_data.h"
#include "gtest/gtest.h"
#include "landscape/graph.h"
#include "objectives/nasbench101/ecnas/ecnas.h"
#include "spaces/nasbench101/nasbench101.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

// The same statistics by definition, with an adjacency matrix: every pair
// compared, reachability by Floyd-Warshall's transitive closure over the
// front, components by the closure of the symmetrised moves.
ParetoLandscape BruteForce(const NeighbourGraph& graph,
                           const std::vector<ObjectiveVector>& points) {
  const int n = static_cast<int>(graph.size());
  std::vector<std::vector<bool>> move(n, std::vector<bool>(n, false));
  for (int v = 0; v < n; ++v) {
    for (int32_t u : graph.Neighbors(v)) move[v][u] = true;
  }
  auto dominates = [&](int a, int b) {
    bool better = false;
    for (size_t i = 0; i < points[a].size(); ++i) {
      if (points[a][i] > points[b][i]) return false;
      better |= points[a][i] < points[b][i];
    }
    return better;
  };
  ParetoLandscape p;
  int64_t optima = 0;
  std::vector<int> front;
  for (int v = 0; v < n; ++v) {
    bool locally = true, globally = true;
    for (int u = 0; u < n; ++u) {
      if (dominates(u, v)) {
        globally = false;
        if (move[v][u]) locally = false;
      }
    }
    optima += locally;
    if (globally) front.push_back(v);
  }
  p.set_pareto_local_optima(optima);
  const int f = static_cast<int>(front.size());
  p.set_front_size(f);
  std::set<ObjectiveVector> vectors;
  for (int v : front) vectors.insert(points[v]);
  p.set_front_vectors(vectors.size());
  std::vector<std::vector<bool>> reach(f, std::vector<bool>(f)), linked = reach;
  for (int a = 0; a < f; ++a) {
    for (int b = 0; b < f; ++b) {
      reach[a][b] = a == b || move[front[a]][front[b]];
      linked[a][b] = reach[a][b] || move[front[b]][front[a]];
    }
  }
  for (int k = 0; k < f; ++k) {
    for (int a = 0; a < f; ++a) {
      for (int b = 0; b < f; ++b) {
        if (reach[a][k] && reach[k][b]) reach[a][b] = true;
        if (linked[a][k] && linked[k][b]) linked[a][b] = true;
      }
    }
  }
  int components = 0;
  for (int a = 0; a < f; ++a) {
    bool first = true;  // The lowest-numbered member of its component.
    for (int b = 0; b < a; ++b) first = first && !linked[a][b];
    components += first;
  }
  p.set_front_components(components);
  int64_t largest = 0;
  double share = 0;
  int best = 0;
  for (int a = 0; a < f; ++a) {
    const int64_t r = std::count(reach[a].begin(), reach[a].end(), true);
    largest = std::max(largest, r);
    share += static_cast<double>(r) / f / f;
    if (points[front[a]] < points[front[best]]) best = a;
  }
  if (f > 0) {
    p.set_largest_reachable(largest);
    p.set_mean_reachable_share(share);
    p.set_reachable_share_from_best_error(
        static_cast<double>(
            std::count(reach[best].begin(), reach[best].end(), true)) /
        f);
  }
  return p;
}

void ExpectSame(const ParetoLandscape& got, const ParetoLandscape& want) {
  EXPECT_EQ(got.pareto_local_optima(), want.pareto_local_optima());
  EXPECT_EQ(got.front_size(), want.front_size());
  EXPECT_EQ(got.front_vectors(), want.front_vectors());
  EXPECT_EQ(got.front_components(), want.front_components());
  EXPECT_EQ(got.largest_reachable(), want.largest_reachable());
  EXPECT_NEAR(got.mean_reachable_share(), want.mean_reachable_share(), 1e-12);
  EXPECT_DOUBLE_EQ(got.reachable_share_from_best_error(),
                   want.reachable_share_from_best_error());
}

// A path 0 - 1 - 2 - 3 - 4 whose middle vertex (5, 5) is dominated: the
// front {0, 1, 3, 4} splits into two pieces PLS cannot cross on the front.
TEST(ParetoLandscapeTest, HandComputedPath) {
  const NeighbourGraph graph =
      GraphFromAdjacency({{1}, {0, 2}, {1, 3}, {2, 4}, {3}});
  const std::vector<ObjectiveVector> points = {
      {0, 3}, {1, 2}, {5, 5}, {2, 1}, {3, 0}};
  const ParetoLandscape p = AnalyzeParetoLandscape(graph, points);
  EXPECT_EQ(p.pareto_local_optima(), 4);  // All but vertex 2.
  EXPECT_EQ(p.front_size(), 4);
  EXPECT_EQ(p.front_vectors(), 4);
  EXPECT_EQ(p.front_components(), 2);
  EXPECT_EQ(p.largest_reachable(), 2);
  EXPECT_DOUBLE_EQ(p.mean_reachable_share(), 0.5);
  EXPECT_DOUBLE_EQ(p.reachable_share_from_best_error(), 0.5);
  // Joining 1 to 3 (one way) connects the front; from 0, all four.
  const ParetoLandscape joined = AnalyzeParetoLandscape(
      GraphFromAdjacency({{1}, {0, 2, 3}, {1, 3}, {2, 4}, {3}}), points);
  EXPECT_EQ(joined.front_components(), 1);
  EXPECT_DOUBLE_EQ(joined.reachable_share_from_best_error(), 1.0);
  EXPECT_DOUBLE_EQ(joined.mean_reachable_share(), (4 + 4 + 2 + 2) / 16.0);
}

// Random directed graphs with small integer objectives (ties, copies of
// front vectors, dominated neighbours), two and three objectives.
TEST(ParetoLandscapeTest, MatchesBruteForceOnRandomGraphs) {
  Rng rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 2 + static_cast<int>(rng.UniformInt(40));
    const int objectives = 2 + static_cast<int>(rng.UniformInt(2));
    const double density = 0.02 + 0.3 * rng.UniformDouble();
    std::vector<std::vector<int>> adjacency(n);
    for (int v = 0; v < n; ++v) {
      for (int u = 0; u < n; ++u) {
        if (u != v && rng.Bernoulli(density)) adjacency[v].push_back(u);
      }
    }
    std::vector<ObjectiveVector> points(n);
    for (auto& point : points) {
      for (int i = 0; i < objectives; ++i) {
        point.push_back(static_cast<double>(rng.UniformInt(6)));
      }
    }
    SCOPED_TRACE(trial);
    const NeighbourGraph graph = GraphFromAdjacency(adjacency);
    ExpectSame(AnalyzeParetoLandscape(graph, points),
               BruteForce(graph, points));
  }
}

// A real table: EC-NAS-Bench 4V (91 cells, NAS-Bench-101 moves), validation
// error vs energy, every value from the table.
TEST(ParetoLandscapeTest, MatchesBruteForceOnEcnas4V) {
  Nasbench101SpaceParams space_params;
  space_params.set_max_vertices(4);
  std::shared_ptr<const SearchSpace> space(
      *Nasbench101Space::New(space_params));
  EcnasObjectiveParams params;
  params.set_vertices(4);
  auto objective = EcnasObjective::New(space, params, {TestDataDir()});
  ASSERT_TRUE(objective.ok()) << objective.status();
  auto graph = BuildNeighbourGraph(*space);
  ASSERT_TRUE(graph.ok()) << graph.status();
  ASSERT_EQ(graph->size(), 91);
  const std::vector<ObjectiveVector> points =
      EvaluateAllObjectives(**objective, *graph, 2);
  ASSERT_EQ(points[0].size(), 2u);
  const ParetoLandscape p = AnalyzeParetoLandscape(*graph, points);
  ExpectSame(p, BruteForce(*graph, points));
  EXPECT_EQ(p.front_size(), 4);  // docs/multiobjective.md's exact front.
  std::printf(
      "EC-NAS 4V: %lld Pareto local optima, front %lld in %d "
      "components, mean reachable share %.4f\n",
      static_cast<long long>(p.pareto_local_optima()),
      static_cast<long long>(p.front_size()), p.front_components(),
      p.mean_reachable_share());
}

// The `nas landscape` hook: visible metrics only (the hash objective's
// hidden "test_score" stays out), the same numbers as the analysis of the
// evaluated vectors, and nothing for an objective without visible metrics.
TEST(ParetoLandscapeTest, AddsVisibleObjectivesOnly) {
  auto space = std::make_shared<TinySpace>(3, 4);
  auto graph = BuildNeighbourGraph(*space);
  ASSERT_TRUE(graph.ok()) << graph.status();
  const HashObjective objective(space, 1, 2);
  BenchmarkLandscape landscape;
  ASSERT_TRUE(
      AddParetoLandscape(objective, *graph, 1, *space, &landscape).ok());
  ASSERT_TRUE(landscape.has_pareto());
  EXPECT_EQ(std::vector<std::string>(landscape.pareto().objective().begin(),
                                     landscape.pareto().objective().end()),
            (std::vector<std::string>{"valid_error", "size"}));
  const std::vector<ObjectiveVector> points =
      EvaluateAllObjectives(objective, *graph, 1);
  for (int64_t v = 0; v < graph->size(); ++v) {
    const Evaluation e =
        objective.Evaluate(graph->architectures[v], 0, nullptr);
    EXPECT_EQ(points[v], (ObjectiveVector{e.valid_error, e.metrics[0]}));
  }
  ExpectSame(landscape.pareto(), BruteForce(*graph, points));
  EXPECT_NE(ParetoLandscapeMarkdown(landscape).find("| Pareto local optima"),
            std::string::npos);

  // Only a hidden metric: no Pareto landscape, no section.
  class HiddenOnly : public HashObjective {
   public:
    using HashObjective::HashObjective;
    std::vector<MetricInfo> metrics() const override {
      std::vector<MetricInfo> all = HashObjective::metrics();
      all[0].visibility = MetricInfo::Visibility::kHidden;
      return all;
    }
  };
  BenchmarkLandscape hidden;
  ASSERT_TRUE(
      AddParetoLandscape(HiddenOnly(space, 1, 2), *graph, 1, *space, &hidden)
          .ok());
  EXPECT_FALSE(hidden.has_pareto());
  EXPECT_EQ(ParetoLandscapeMarkdown(hidden), "");
}

}  // namespace
}  // namespace nas
