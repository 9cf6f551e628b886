#include "core/pareto.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nas {
namespace {

// Indices of `points` in lexicographic order of their objective vectors. A
// point can only be dominated by one before it in this order.
std::vector<int> LexicographicOrder(const std::vector<ObjectiveVector>& points,
                                    const std::vector<int>& subset) {
  std::vector<int> order = subset;
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return points[a] < points[b]; });
  return order;
}

std::vector<int> FrontOf(const std::vector<ObjectiveVector>& points,
                         const std::vector<int>& subset) {
  std::vector<int> front;
  for (int candidate : LexicographicOrder(points, subset)) {
    // Domination is transitive, so checking the front found so far is
    // enough: whatever dominates a candidate is dominated by, or is, a
    // member of it.
    const bool dominated =
        std::any_of(front.begin(), front.end(), [&](int member) {
          return Dominates(points[member], points[candidate]);
        });
    if (!dominated) front.push_back(candidate);
  }
  std::sort(front.begin(), front.end());
  return front;
}

// Area dominated by (x, y) points already sorted by x ascending, bounded
// by (ref_x, ref_y); all points strictly below the reference.
double SweepArea(const std::vector<std::pair<double, double>>& sorted,
                 double ref_x, double ref_y) {
  double area = 0;
  double best_y = ref_y;
  for (size_t i = 0; i < sorted.size(); ++i) {
    best_y = std::min(best_y, sorted[i].second);
    const double next_x = i + 1 < sorted.size() ? sorted[i + 1].first : ref_x;
    area += (next_x - sorted[i].first) * (ref_y - best_y);
  }
  return area;
}

}  // namespace

bool Dominates(absl::Span<const double> a, absl::Span<const double> b) {
  bool better_somewhere = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better_somewhere = true;
  }
  return better_somewhere;
}

std::vector<int> NonDominatedIndices(
    const std::vector<ObjectiveVector>& points) {
  std::vector<int> all(points.size());
  std::iota(all.begin(), all.end(), 0);
  return FrontOf(points, all);
}

std::vector<int> NonDominatedRanks(const std::vector<ObjectiveVector>& points) {
  std::vector<int> ranks(points.size(), -1);
  std::vector<int> remaining(points.size());
  std::iota(remaining.begin(), remaining.end(), 0);
  for (int rank = 0; !remaining.empty(); ++rank) {
    const std::vector<int> front = FrontOf(points, remaining);
    for (int index : front) ranks[index] = rank;
    std::vector<int> rest;
    std::set_difference(remaining.begin(), remaining.end(), front.begin(),
                        front.end(), std::back_inserter(rest));
    remaining = std::move(rest);
  }
  return ranks;
}

std::vector<double> CrowdingDistances(
    const std::vector<ObjectiveVector>& points,
    const std::vector<int>& members) {
  const size_t n = members.size();
  std::vector<double> distance(n, 0.0);
  if (n == 0) return distance;
  const double infinity = std::numeric_limits<double>::infinity();
  const size_t objectives = points[members[0]].size();
  std::vector<size_t> order(n);
  for (size_t m = 0; m < objectives; ++m) {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return points[members[a]][m] < points[members[b]][m];
    });
    const double low = points[members[order.front()]][m];
    const double high = points[members[order.back()]][m];
    distance[order.front()] = infinity;
    distance[order.back()] = infinity;
    if (high == low) continue;
    for (size_t k = 1; k + 1 < n; ++k) {
      distance[order[k]] += (points[members[order[k + 1]]][m] -
                             points[members[order[k - 1]]][m]) /
                            (high - low);
    }
  }
  return distance;
}

absl::StatusOr<double> Hypervolume(const std::vector<ObjectiveVector>& points,
                                   absl::Span<const double> reference) {
  const size_t d = reference.size();
  if (d != 2 && d != 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("hypervolume: ", d,
                     " objectives; it is computed exactly for 2 or 3 only"));
  }
  std::vector<ObjectiveVector> inside;
  for (size_t i = 0; i < points.size(); ++i) {
    if (points[i].size() != d) {
      return absl::InvalidArgumentError(
          absl::StrCat("hypervolume: point ", i, " has ", points[i].size(),
                       " objectives, the reference point ", d));
    }
    bool below = true;
    for (size_t m = 0; m < d; ++m) below = below && points[i][m] < reference[m];
    if (below) inside.push_back(points[i]);
  }
  if (d == 2) {
    std::vector<std::pair<double, double>> xy;
    for (const ObjectiveVector& p : inside) xy.push_back({p[0], p[1]});
    std::sort(xy.begin(), xy.end());
    return SweepArea(xy, reference[0], reference[1]);
  }
  // Three objectives: sweep z upwards; between consecutive z values the
  // dominated cross-section is the area of the points seen so far.
  std::sort(inside.begin(), inside.end(),
            [](const ObjectiveVector& a, const ObjectiveVector& b) {
              return a[2] < b[2];
            });
  double volume = 0;
  std::vector<std::pair<double, double>> seen;
  for (size_t i = 0; i < inside.size(); ++i) {
    const std::pair<double, double> xy = {inside[i][0], inside[i][1]};
    seen.insert(std::upper_bound(seen.begin(), seen.end(), xy), xy);
    const double next_z =
        i + 1 < inside.size() ? inside[i + 1][2] : reference[2];
    if (next_z > inside[i][2]) {
      volume +=
          SweepArea(seen, reference[0], reference[1]) * (next_z - inside[i][2]);
    }
  }
  return volume;
}

}  // namespace nas
