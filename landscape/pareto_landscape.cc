#include "landscape/pareto_landscape.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/random.h"

namespace nas {
namespace {

int Find(std::vector<int>& parent, int v) {
  while (parent[v] != v) v = parent[v] = parent[parent[v]];
  return v;
}

}  // namespace

ParetoLandscape AnalyzeParetoLandscape(
    const NeighbourGraph& graph, const std::vector<ObjectiveVector>& points) {
  ParetoLandscape result;
  const int64_t n = graph.size();
  int64_t optima = 0;
  for (int64_t v = 0; v < n; ++v) {
    bool dominated = false;
    for (int32_t u : graph.Neighbors(v)) {
      if (Dominates(points[u], points[v])) {
        dominated = true;
        break;
      }
    }
    optima += !dominated;
  }
  result.set_pareto_local_optima(optima);

  const std::vector<int> front = NonDominatedIndices(points);
  const int f = static_cast<int>(front.size());
  result.set_front_size(f);
  std::set<ObjectiveVector> vectors;
  for (int v : front) vectors.insert(points[v]);
  result.set_front_vectors(static_cast<int64_t>(vectors.size()));
  if (f == 0) return result;
  // Front position of each vertex, -1 off the front; moves within F.
  std::vector<int> position(n, -1);
  for (int k = 0; k < f; ++k) position[front[k]] = k;
  std::vector<std::vector<int>> moves(f);
  std::vector<int> parent(f);
  std::iota(parent.begin(), parent.end(), 0);
  int components = f;
  for (int k = 0; k < f; ++k) {
    for (int32_t u : graph.Neighbors(front[k])) {
      if (position[u] < 0) continue;
      moves[k].push_back(position[u]);
      const int a = Find(parent, k), b = Find(parent, position[u]);
      if (a != b) {
        parent[a] = b;
        --components;
      }
    }
  }
  result.set_front_components(components);

  std::vector<int64_t> reachable(f);
  std::vector<int> stamp(f, -1), stack;
  for (int m = 0; m < f; ++m) {
    stack.assign(1, m);
    stamp[m] = m;
    while (!stack.empty()) {
      const int k = stack.back();
      stack.pop_back();
      ++reachable[m];
      for (int next : moves[k]) {
        if (stamp[next] != m) {
          stamp[next] = m;
          stack.push_back(next);
        }
      }
    }
  }
  int best_error = 0;
  for (int k = 1; k < f; ++k) {
    if (points[front[k]] < points[front[best_error]]) best_error = k;
  }
  result.set_largest_reachable(
      *std::max_element(reachable.begin(), reachable.end()));
  result.set_mean_reachable_share(
      std::accumulate(reachable.begin(), reachable.end(), 0.0) / f / f);
  result.set_reachable_share_from_best_error(
      static_cast<double>(reachable[best_error]) / f);
  return result;
}

std::vector<ObjectiveVector> EvaluateAllObjectives(const Objective& objective,
                                                   const NeighbourGraph& graph,
                                                   int threads) {
  const int full = static_cast<int>(objective.fidelities().size()) - 1;
  const std::vector<MetricInfo> metrics = objective.metrics();
  std::vector<ObjectiveVector> points(graph.architectures.size());
  ParallelFor(graph.size(), threads, [&](int64_t begin, int64_t end) {
    for (int64_t v = begin; v < end; ++v) {
      Rng noise(HashCombine(0, static_cast<uint64_t>(v)));
      const Evaluation e =
          objective.Evaluate(graph.architectures[v], full,
                             objective.is_noisy() ? &noise : nullptr);
      points[v].push_back(e.valid_error);
      for (size_t m = 0; m < metrics.size(); ++m) {
        if (metrics[m].visible()) points[v].push_back(e.metrics[m]);
      }
    }
  });
  return points;
}

absl::Status AddParetoLandscape(const Objective& objective,
                                const NeighbourGraph& graph, int threads,
                                const SearchSpace& space,
                                BenchmarkLandscape* landscape) {
  std::vector<std::string> names = {"valid_error"};
  for (const MetricInfo& metric : objective.metrics()) {
    if (metric.visible()) names.push_back(metric.name);
  }
  if (names.size() == 1) return absl::OkStatus();
  const std::vector<ObjectiveVector> points =
      EvaluateAllObjectives(objective, graph, threads);
  for (int64_t v = 0; v < graph.size(); ++v) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (std::isfinite(points[v][i])) continue;
      return absl::InvalidArgumentError(absl::StrCat(
          "benchmark '", landscape->name(), "': ", names[i], " of ",
          space.ToString(graph.architectures[v]), " is ", points[v][i],
          "; the Pareto landscape needs finite objectives"));
    }
  }
  ParetoLandscape* pareto = landscape->mutable_pareto();
  *pareto = AnalyzeParetoLandscape(graph, points);
  for (const std::string& name : names) pareto->add_objective(name);
  return absl::OkStatus();
}

std::string ParetoLandscapeMarkdown(const BenchmarkLandscape& landscape) {
  if (!landscape.has_pareto()) return "";
  const ParetoLandscape& p = landscape.pareto();
  return absl::StrCat(
      "\nPareto landscape (", absl::StrJoin(p.objective(), ", "),
      ", all minimised; front reachability R(m) as in "
      "landscape/pareto_landscape.h):\n\n"
      "| Pareto local optima | front | distinct front vectors | front "
      "components | largest R(m) | mean share R(m) | share from best error "
      "|\n|---|---|---|---|---|---|---|\n| ",
      p.pareto_local_optima(), " | ", p.front_size(), " | ", p.front_vectors(),
      " | ", p.front_components(), " | ", p.largest_reachable(), " | ",
      absl::StrFormat("%.4f", p.mean_reachable_share()), " | ",
      absl::StrFormat("%.4f", p.reachable_share_from_best_error()), " |\n");
}

}  // namespace nas
