#include "landscape/exact.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>

namespace nas {

ExactAnalysis AnalyzeExact(const NeighbourGraph& graph,
                           absl::Span<const double> loss) {
  const int64_t n = graph.size();
  if (static_cast<int64_t>(loss.size()) != n || n == 0) {
    std::fprintf(stderr, "AnalyzeExact: %zu losses for %lld vertices\n",
                 loss.size(), static_cast<long long>(n));
    std::abort();
  }
  const std::vector<int32_t>& rank = graph.tie_rank;
  ExactAnalysis a;
  a.ls.resize(n);
  for (int64_t v = 0; v < n; ++v) {
    int32_t best = static_cast<int32_t>(v);
    double best_loss = loss[v];
    bool tie = false;
    for (int32_t u : graph.Neighbors(v)) {
      const double lu = loss[u];
      if (lu < best_loss) {
        best = u;
        best_loss = lu;
        tie = false;
      } else if (lu == best_loss && best != v) {
        tie = true;
        if (rank[u] < rank[best]) best = u;
      }
    }
    a.ls[v] = best;
    a.tied_moves += tie;
  }

  // LS* and step counts by memoised chasing: each vertex is resolved once.
  a.ls_star.assign(n, -1);
  a.steps.assign(n, 0);
  std::vector<int32_t> path;
  for (int64_t start = 0; start < n; ++start) {
    int32_t v = static_cast<int32_t>(start);
    while (a.ls_star[v] < 0 && a.ls[v] != v) {
      path.push_back(v);
      v = a.ls[v];
    }
    if (a.ls_star[v] < 0) {  // A local minimum reached for the first time.
      a.ls_star[v] = v;
      a.steps[v] = 0;
    }
    const int32_t root = a.ls_star[v];
    int32_t steps = a.steps[v];
    while (!path.empty()) {
      const int32_t u = path.back();
      path.pop_back();
      a.ls_star[u] = root;
      a.steps[u] = ++steps;
    }
  }

  // Tree sizes: add each vertex's count to its parent, deepest first.
  int32_t max_steps = 0;
  for (int32_t s : a.steps) max_steps = std::max(max_steps, s);
  std::vector<int64_t> depth_start(max_steps + 2, 0);
  for (int32_t s : a.steps) ++depth_start[s + 1];
  for (int32_t d = 0; d <= max_steps; ++d) depth_start[d + 1] += depth_start[d];
  std::vector<int32_t> by_depth(n);
  {
    std::vector<int64_t> next(depth_start.begin(), depth_start.end() - 1);
    for (int64_t v = 0; v < n; ++v) by_depth[next[a.steps[v]]++] = v;
  }
  a.tree_size.assign(n, 1);
  for (int64_t i = n - 1; i >= depth_start[1]; --i) {
    const int32_t v = by_depth[i];
    a.tree_size[a.ls[v]] += a.tree_size[v];
  }

  a.preimage.assign(n, 0);
  a.child_offsets.assign(n + 1, 0);
  for (int64_t v = 0; v < n; ++v) {
    if (a.ls[v] != v) {
      ++a.preimage[a.ls[v]];
      ++a.child_offsets[a.ls[v] + 1];
    }
  }
  for (int64_t v = 0; v < n; ++v) a.child_offsets[v + 1] += a.child_offsets[v];
  a.children.resize(a.child_offsets[n]);
  {
    std::vector<int64_t> next(a.child_offsets.begin(), a.child_offsets.end() - 1);
    for (int64_t v = 0; v < n; ++v) {
      if (a.ls[v] != v) a.children[next[a.ls[v]]++] = static_cast<int32_t>(v);
    }
  }

  for (int64_t v = 0; v < n; ++v) {
    if (a.ls[v] == v) a.minima.push_back(static_cast<int32_t>(v));
  }
  std::sort(a.minima.begin(), a.minima.end(), [&](int32_t x, int32_t y) {
    if (loss[x] != loss[y]) return loss[x] < loss[y];
    return rank[x] < rank[y];
  });
  return a;
}

std::vector<double> EpsilonCurve(const ExactAnalysis& analysis,
                                 absl::Span<const double> x,
                                 absl::Span<const double> epsilons) {
  // Minima are sorted by loss, so gaps ascend; cumulative basins give the
  // fraction of start points at or below each gap.
  const double best = x[analysis.global_minimum()];
  std::vector<double> gaps;
  std::vector<double> cumulative;
  double total = 0;
  for (int32_t m : analysis.minima) {
    total += static_cast<double>(analysis.tree_size[m]);
    gaps.push_back(x[m] - best);
    cumulative.push_back(total);
  }
  std::vector<double> curve;
  for (double eps : epsilons) {
    const size_t count =
        std::upper_bound(gaps.begin(), gaps.end(), eps) - gaps.begin();
    curve.push_back(count == 0 ? 0 : cumulative[count - 1] / total);
  }
  return curve;
}

LsTree ExtractLsTree(const ExactAnalysis& analysis, int32_t root,
                     int64_t max_nodes) {
  LsTree tree;
  tree.root = root;
  tree.full_size = analysis.tree_size[root];
  // Level sizes of the whole tree, and the first max_nodes in BFS order.
  std::vector<int32_t> level{root};
  std::vector<int32_t> level_positions{0};
  tree.vertices.push_back(root);
  tree.parent.push_back(-1);
  tree.depth.push_back(0);
  int32_t depth = 0;
  while (!level.empty()) {
    tree.level_sizes.push_back(static_cast<int64_t>(level.size()));
    std::vector<int32_t> next, next_positions;
    ++depth;
    for (size_t i = 0; i < level.size(); ++i) {
      for (int32_t child : analysis.Children(level[i])) {
        next.push_back(child);
        int32_t position = -1;
        if (level_positions[i] >= 0 &&
            static_cast<int64_t>(tree.vertices.size()) < max_nodes) {
          position = static_cast<int32_t>(tree.vertices.size());
          tree.vertices.push_back(child);
          tree.parent.push_back(level_positions[i]);
          tree.depth.push_back(depth);
        }
        next_positions.push_back(position);
      }
    }
    level = std::move(next);
    level_positions = std::move(next_positions);
  }
  return tree;
}

std::vector<double> ExactWalkAutocorrelation(const NeighbourGraph& graph,
                                             absl::Span<const double> loss,
                                             int max_lag, int threads) {
  const int64_t n = graph.size();
  double mean = 0;
  for (double f : loss) mean += f;
  mean /= n;
  // Centring first keeps the products well conditioned.
  std::vector<double> f(n), f2(n), pf(n), pf2(n), next_f(n), next_f2(n);
  double var0 = 0;
  for (int64_t v = 0; v < n; ++v) {
    f[v] = loss[v] - mean;
    f2[v] = f[v] * f[v];
    var0 += f2[v];
  }
  var0 /= n;
  pf = f;
  pf2 = f2;
  std::vector<double> r;
  for (int k = 1; k <= max_lag; ++k) {
    // (P g)(v) = mean of g over v's neighbours (g(v) when it has none).
    ParallelFor(n, threads, [&](int64_t begin, int64_t end) {
      for (int64_t v = begin; v < end; ++v) {
        const auto row = graph.Neighbors(v);
        if (row.empty()) {
          next_f[v] = pf[v];
          next_f2[v] = pf2[v];
          continue;
        }
        double s = 0, s2 = 0;
        for (int32_t u : row) {
          s += pf[u];
          s2 += pf2[u];
        }
        next_f[v] = s / row.size();
        next_f2[v] = s2 / row.size();
      }
    });
    pf.swap(next_f);
    pf2.swap(next_f2);
    double cross = 0, mean_k = 0, second_k = 0;
    for (int64_t v = 0; v < n; ++v) {
      cross += f[v] * pf[v];
      mean_k += pf[v];
      second_k += pf2[v];
    }
    cross /= n;
    mean_k /= n;
    second_k /= n;
    const double var_k = second_k - mean_k * mean_k;
    // E f(X_0) = 0 after centring, so the covariance is `cross`.
    r.push_back(var0 > 0 && var_k > 0 ? cross / std::sqrt(var0 * var_k)
                                      : std::nan(""));
  }
  return r;
}

FitnessDistance ComputeFitnessDistance(const NeighbourGraph& graph,
                                       absl::Span<const double> loss,
                                       int32_t target,
                                       const NeighbourGraph* reversed) {
  const int64_t n = graph.size();
  // Reverse edges: distance to the target along neighbour moves.
  NeighbourGraph own;
  if (reversed == nullptr) {
    own = graph.Reversed();
    reversed = &own;
  }
  const std::vector<int64_t>& offsets = reversed->offsets;
  const std::vector<int32_t>& sources = reversed->targets;
  // Breadth-first, one level at a time, each level's vertices taken in
  // vertex order: their rows are then read front to back, not in queue
  // order all over memory (the same distances; a level is a level).
  std::vector<int32_t> distance(n, -1);
  distance[target] = 0;
  for (int32_t level = 0, reached = 1; reached > 0; ++level) {
    reached = 0;
    for (int64_t v = 0; v < n; ++v) {
      if (distance[v] != level) continue;
      for (int64_t e = offsets[v]; e < offsets[v + 1]; ++e) {
        const int32_t u = sources[e];
        if (distance[u] < 0) {
          distance[u] = level + 1;
          ++reached;
        }
      }
    }
  }
  FitnessDistance fd;
  double sf = 0, sd = 0;
  int64_t m = 0;
  for (int64_t v = 0; v < n; ++v) {
    if (distance[v] < 0) {
      ++fd.unreachable;
      continue;
    }
    sf += loss[v];
    sd += distance[v];
    fd.max_distance = std::max(fd.max_distance, distance[v]);
    ++m;
  }
  const double mf = sf / m, md = sd / m;
  double cov = 0, vf = 0, vd = 0;
  for (int64_t v = 0; v < n; ++v) {
    if (distance[v] < 0) continue;
    cov += (loss[v] - mf) * (distance[v] - md);
    vf += (loss[v] - mf) * (loss[v] - mf);
    vd += (distance[v] - md) * (distance[v] - md);
  }
  fd.mean_distance = md;
  fd.correlation = vf > 0 && vd > 0 ? cov / std::sqrt(vf * vd) : std::nan("");
  return fd;
}

}  // namespace nas
